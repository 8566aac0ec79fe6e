import { createRequire } from 'node:module';
import { parentPort, workerData } from 'node:worker_threads';

import type { TestSourceResult } from '@bulwark/api-schema';
import { createHttpClient, type HttpClientOptions } from '@bulwark/plugin-sdk';

import type { PluginRegistration } from './plugin-registry.js';
import { failedTestRun, runPluginTest } from './plugin-test-run.js';

/**
 * A worker thread of the sandbox (`PluginSandbox`): it loads the app's plugin list once, then runs
 * one source test at a time with the production HTTP client and posts each result. Whatever a feed
 * costs to read (memory, CPU) is spent here, within the thread's resource limits, not on the API's
 * event loop.
 */
export interface SandboxThreadData {
  /** The module exporting the app's plugin list (a file path), and the export's name. */
  pluginList: { module: string; exportName: string };
}

export interface TestJob {
  pluginId: string;
  /** The validated config, secrets included. */
  config: Record<string, unknown>;
  http: Pick<HttpClientOptions, 'userAgent' | 'allowedHosts' | 'timeoutMs' | 'maxBytes'>;
  limits: { timeoutMs: number; maxSignals: number };
}

export interface TestRequest {
  id: number;
  job: TestJob;
}
export interface TestReply {
  id: number;
  result: TestSourceResult;
}

const { pluginList } = workerData as SandboxThreadData;
const load = createRequire(__filename);
const plugins = (load(pluginList.module) as Record<string, PluginRegistration[] | undefined>)[pluginList.exportName] ?? [];

async function run({ pluginId, config, http, limits }: TestJob): Promise<TestSourceResult> {
  const registration = plugins.find((r) => r.plugin.id === pluginId);
  if (!registration) return failedTestRun(`Plugin ${pluginId} is not installed`, 0);
  return runPluginTest(registration.plugin, config, createHttpClient(http), limits);
}

parentPort?.on('message', ({ id, job }: TestRequest) => {
  void run(job)
    .catch((err: unknown) => failedTestRun(`The test run failed: ${err instanceof Error ? err.message : String(err)}`.slice(0, 1000), 0))
    .then((result) => parentPort?.postMessage({ id, result } satisfies TestReply));
});
