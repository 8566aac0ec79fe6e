import { createRequire } from 'node:module';
import { extname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';

import type { TestSourceResult } from '@bulwark/api-schema';
import { APP_CONFIG, type AppConfig } from '@bulwark/platform';

import { failedTestRun } from './plugin-test-run.js';
import type { SandboxThreadData, TestJob, TestReply, TestRequest } from './plugin-test.worker.js';

/** Where the worker threads find the app's plugin list: a module (file path) and the name of its export. */
export interface PluginListModule {
  module: string;
  exportName: string;
}
export const PLUGIN_LIST_MODULE = Symbol('bulwark:plugin-list-module');

/** Threads, hence test runs at once; more runs wait for a free thread (each may use up to FEED_TEST_MEMORY_MB). */
const MAX_THREADS = 2;
/** An idle thread ends after this long (its memory is given back). */
const IDLE_MS = 60_000;
/** Time a new thread gets to start (load the plugins) on top of the run's own time limit. */
const START_ALLOWANCE_MS = 15_000;

/**
 * Boots a thread: from the TypeScript sources (tests, development) through tsx, which only dev
 * installs have; a build runs the compiled worker directly.
 */
const BOOT = `
const { workerData } = require('node:worker_threads');
if (workerData.tsx) require(workerData.tsx).register();
require(workerData.entry);
`;

interface Thread {
  worker: Worker;
  /** Taken by a run (from `acquire` until the run ends). */
  busy: boolean;
  /** The run in progress, if any. */
  current: { id: number; finish: (r: TestSourceResult) => void } | null;
  /** Has answered once: its plugins are loaded. */
  started: boolean;
  dead: boolean;
  idle: NodeJS.Timeout | null;
}

/**
 * Runs the source form's **Test** in worker threads with a memory limit (`FEED_TEST_MEMORY_MB`) and a
 * time limit, so that a hostile or merely huge feed costs a thread, never the API's event loop: every
 * other request keeps being answered, and a run over its limits ends with a clear error (its thread
 * is stopped; the next run gets a new one). Threads are reused between runs and end when idle.
 */
@Injectable()
export class PluginSandbox implements OnModuleDestroy {
  private readonly logger = new Logger('PluginSandbox');
  private readonly threads = new Set<Thread>();
  private readonly waiting: ((t: Thread) => void)[] = [];
  private nextId = 1;
  private closed = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(PLUGIN_LIST_MODULE) private readonly pluginList: PluginListModule,
  ) {}

  /** Runs a plugin once with a validated config (secrets included), storing nothing. */
  async test(pluginId: string, config: Record<string, unknown>): Promise<TestSourceResult> {
    const job: TestJob = {
      pluginId,
      config,
      http: {
        userAgent: this.config.feeds.userAgent,
        allowedHosts: this.config.feeds.allowedHosts,
        timeoutMs: this.config.feeds.timeoutMs,
        maxBytes: this.config.feeds.maxBytes,
      },
      limits: { timeoutMs: this.config.feeds.timeoutMs * 3, maxSignals: this.config.feeds.maxSignals },
    };
    return this.run(await this.acquire(), job);
  }

  async onModuleDestroy(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.threads].map((t) => this.stop(t, 'The API is shutting down')));
  }

  private run(thread: Thread, job: TestJob): Promise<TestSourceResult> {
    const t0 = Date.now();
    const id = this.nextId++;
    const deadlineMs = job.limits.timeoutMs + (thread.started ? 0 : START_ALLOWANCE_MS) + 1000;
    return new Promise<TestSourceResult>((resolve) => {
      const timer = setTimeout(
        () => void this.stop(thread, `The test run did not finish within ${Math.round(deadlineMs / 1000)} s and was stopped`),
        deadlineMs,
      );
      thread.current = {
        id,
        finish: (result) => {
          clearTimeout(timer);
          thread.current = null;
          resolve(result.durationMs ? result : { ...result, durationMs: Date.now() - t0 });
        },
      };
      thread.worker.postMessage({ id, job } satisfies TestRequest);
    });
  }

  private spawn(): Thread {
    const ext = extname(__filename);
    const data: SandboxThreadData & { entry: string; tsx: string | null } = {
      pluginList: this.pluginList,
      entry: join(__dirname, `plugin-test.worker${ext}`),
      tsx: ext === '.ts' ? createRequire(__filename).resolve('tsx/cjs/api') : null,
    };
    const memoryMb = this.config.feeds.testMemoryMb;
    const worker = new Worker(BOOT, { eval: true, workerData: data, resourceLimits: { maxOldGenerationSizeMb: memoryMb } });
    const thread: Thread = { worker, busy: true, current: null, started: false, dead: false, idle: null };
    this.threads.add(thread);
    worker.on('message', (reply: TestReply) => {
      thread.started = true;
      if (thread.current?.id === reply.id) thread.current.finish(reply.result);
      this.release(thread);
    });
    worker.once('error', (err: Error & { code?: string }) => {
      if (err.code === 'ERR_WORKER_OUT_OF_MEMORY')
        return this.fail(
          thread,
          `The test run was stopped: reading the feed needed more than ${memoryMb} MB of memory (FEED_TEST_MEMORY_MB)`,
        );
      this.logger.error(`A test run thread failed: ${err.stack ?? err.message}`);
      this.fail(thread, `The test run failed: ${err.message.slice(0, 500)}`);
    });
    worker.once('exit', (code) => this.fail(thread, `The test run stopped unexpectedly (exit code ${code})`));
    return thread;
  }

  /** A free thread for one run: an idle one, a new one while there are fewer than MAX_THREADS, else the next to free up. */
  private async acquire(): Promise<Thread> {
    for (const t of this.threads)
      if (!t.busy) {
        t.busy = true;
        if (t.idle) clearTimeout(t.idle);
        t.idle = null;
        return t;
      }
    if (this.threads.size < MAX_THREADS) return this.spawn();
    return new Promise<Thread>((resolve) => this.waiting.push(resolve));
  }

  /** A run ended: the next waiting run takes the thread (a new one if it died), else it idles and ends after IDLE_MS. */
  private release(thread: Thread): void {
    const next = this.waiting.shift();
    if (next) {
      if (!thread.dead) return next(thread);
      if (!this.closed) return next(this.spawn());
    }
    if (thread.dead) return;
    thread.busy = false;
    thread.idle = setTimeout(() => void this.stop(thread, 'idle'), IDLE_MS);
    thread.idle.unref();
  }

  /** Ends the thread's run (if any) with an error; the thread is not used again. */
  private fail(thread: Thread, error: string): void {
    if (thread.dead) return;
    thread.dead = true;
    this.threads.delete(thread);
    if (thread.idle) clearTimeout(thread.idle);
    const running = thread.current;
    running?.finish(failedTestRun(error, 0));
    if (thread.busy) this.release(thread);
  }

  private async stop(thread: Thread, error: string): Promise<void> {
    this.fail(thread, error);
    await thread.worker.terminate();
  }
}
