#!/usr/bin/env node
// `npm run lint`: computes the Nx project graph first, then runs ESLint (arguments are passed on,
// default: the whole workspace). Without a cached graph, @nx/enforce-module-boundaries prints
// "No cached ProjectGraph is available" and skips itself, so boundaries would go unchecked on a
// fresh clone. The graph failing to build is an error, not a reason to lint without it. Without
// arguments it also checks the formatting (prettier, `.prettierrc.json`; `npm run format` fixes it).
import { spawnSync } from 'node:child_process';

const root = new URL('..', import.meta.url).pathname;
const env = { NX_DAEMON: 'false', NX_NO_CLOUD: 'true', ...process.env };
const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';

const graph = spawnSync(npx, ['nx', 'show', 'projects', '--json'], { cwd: root, env, stdio: ['ignore', 'ignore', 'inherit'] });
if (graph.status !== 0) {
  console.error('lint: computing the Nx project graph failed, so module boundaries cannot be checked');
  process.exit(graph.status ?? 1);
}
const args = process.argv.slice(2);
const lint = spawnSync(npx, ['eslint', ...(args.length ? args : ['.']), '--max-warnings=0'], { cwd: root, env, stdio: 'inherit' });
if (lint.status !== 0 || args.length) process.exit(lint.status ?? 1);
const format = spawnSync(npx, ['prettier', '--check', '--log-level', 'warn', '.'], { cwd: root, env, stdio: 'inherit' });
if (format.status !== 0) console.error('lint: files are not formatted; run `npm run format`');
process.exit(format.status ?? 1);
