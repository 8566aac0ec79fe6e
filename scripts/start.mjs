#!/usr/bin/env node
// `npm start`: builds what is out of date (server incrementally, portal when missing or older than
// its sources) and runs the API, which serves the portal. No configuration needed (embedded mode).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const run = (args) => {
  const r = spawnSync('npx', args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
};

function newest(dir) {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.name === 'node_modules' || e.name === 'dist') continue;
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

console.log('Building the server (incremental)…');
run(['tsc', '-b', 'tsconfig.build.json']);
const portalIndex = join(root, 'apps/portal/dist/index.html');
const portalSources = Math.max(newest(join(root, 'apps/portal/src')), newest(join(root, 'libs/api-schema/src')));
if (!existsSync(portalIndex) || statSync(portalIndex).mtimeMs < portalSources) {
  console.log('Building the portal…');
  run(['vite', 'build', '--config', 'apps/portal/vite.config.mts', '--logLevel', 'warn']);
}
const child = spawn(process.execPath, ['apps/api/dist/main.js'], { cwd: root, stdio: 'inherit' });
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 0 : 1)));
