import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(__dirname, '..');
// api-schema may import util only: an import of the platform crosses a module boundary.
const probe = "import { loadConfig } from '@bulwark/platform';\nexport const probe = loadConfig;\n";

describe('npm run lint', () => {
  it('enforces module boundaries without a cached project graph (a fresh clone)', () => {
    const fresh = mkdtempSync(join(tmpdir(), 'bulwark-nx-'));
    try {
      const r = spawnSync('npm', ['run', '-s', 'lint', '--', '--stdin', '--stdin-filename', 'libs/api-schema/src/lib/boundary-probe.ts'], {
        cwd: root,
        input: probe,
        encoding: 'utf8',
        env: { ...process.env, NX_WORKSPACE_DATA_DIRECTORY: fresh, NX_DAEMON: 'false' },
      });
      const out = `${r.stdout}${r.stderr}`;
      expect(out).not.toMatch(/No cached ProjectGraph/);
      expect(out).toMatch(/@nx\/enforce-module-boundaries/);
      expect(r.status).toBe(1);
    } finally {
      rmSync(fresh, { recursive: true, force: true });
    }
  }, 60_000);
});
