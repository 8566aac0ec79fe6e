#!/usr/bin/env node
// `npm test`: lint (with module boundaries), typecheck, build, then unit, API and browser tests.
// Prints the reasons of any skipped test and a closing "N passed, N failed, N skipped" line.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const env = { ...process.env, TZ: 'UTC', NX_DAEMON: 'false', NX_NO_CLOUD: 'true' };
const skipsFile = join(root, 'dist/test-skips.txt');
const resultsFile = join(root, 'dist/test-results.json');
rmSync(skipsFile, { force: true });
rmSync(resultsFile, { force: true });

const steps = [
  ['project graph', ['nx', 'show', 'projects', '--json']],
  ['lint', ['eslint', '.', '--max-warnings=0']],
  ['format', ['prettier', '--check', '--log-level', 'warn', '.']],
  ['typecheck', ['tsc', '-b', 'tsconfig.json']],
  ['typecheck portal', ['tsc', '-p', 'apps/portal/tsconfig.json', '--noEmit']],
  ['build portal', ['vite', 'build', '--config', 'apps/portal/vite.config.mts', '--logLevel', 'warn']],
  ['tests', ['vitest', 'run', ...process.argv.slice(2)]],
];

let failed = null;
for (const [name, args] of steps) {
  const t0 = Date.now();
  console.log(`\n▶ ${name}: npx ${args.join(' ')}`);
  const r = spawnSync('npx', args, { cwd: root, env, stdio: name === 'project graph' ? ['ignore', 'ignore', 'inherit'] : 'inherit' });
  console.log(`  ${name} ${r.status === 0 ? 'ok' : 'FAILED'} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  if (r.status !== 0) {
    failed = name;
    break;
  }
}

if (existsSync(skipsFile)) {
  const reasons = [...new Set(readFileSync(skipsFile, 'utf8').split('\n').filter(Boolean))];
  console.log('\nSkipped, with reasons:');
  for (const r of reasons) console.log(`  - ${r}`);
}
if (existsSync(resultsFile)) {
  const r = JSON.parse(readFileSync(resultsFile, 'utf8'));
  const skipped = (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
  console.log(`\ntests: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${skipped} skipped`);
}
if (failed) {
  console.error(`\nnpm test failed at: ${failed}`);
  process.exit(1);
}
