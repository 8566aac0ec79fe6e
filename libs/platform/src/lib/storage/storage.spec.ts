import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

import { LocalStorage, recordPath } from './storage.js';

const root = mkdtempSync(join(tmpdir(), 'bulwark-records-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('named records', () => {
  it('are written whole under records/, private, replaced in place and read back; a missing one reads as null', async () => {
    const storage = new LocalStorage(root);
    expect(await storage.readRecord('audit-anchors/x.json')).toBeNull();
    await storage.writeRecord('audit-anchors/x.json', Buffer.from('first'));
    await storage.writeRecord('audit-anchors/x.json', Buffer.from('second'));
    expect((await storage.readRecord('audit-anchors/x.json'))!.toString()).toBe('second');
    const dir = join(root, 'records', 'audit-anchors');
    expect(readdirSync(dir)).toEqual(['x.json']); // no temp file left
    expect(statSync(join(dir, 'x.json')).mode & 0o777).toBe(0o600);
  });

  it('refuse names that could leave their folder', () => {
    expect(recordPath('audit-anchors/0f1e.json')).toBe('records/audit-anchors/0f1e.json');
    for (const bad of ['../x', 'a/../../x', '/etc/passwd', 'a//b', '.hidden', 'A.json', 'a\\b', ''])
      expect(() => recordPath(bad), bad).toThrow(/not a record name/);
  });
});
