import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';

import { SecretBox } from './secret-box.js';

describe('SecretBox', () => {
  const box = new SecretBox(randomBytes(32));
  it('round-trips and never contains the plaintext', () => {
    const sealed = box.seal('{"apiKey":"sk-live-123"}', 'source-1');
    expect(sealed).not.toContain('sk-live');
    expect(box.open(sealed, 'source-1')).toBe('{"apiKey":"sk-live-123"}');
    expect(box.seal('x', 'a')).not.toBe(box.seal('x', 'a'));
  });
  it('refuses a ciphertext moved to another row, tampered, or under another key', () => {
    const sealed = box.seal('secret', 'source-1');
    expect(() => box.open(sealed, 'source-2')).toThrow();
    const parts = sealed.split('.');
    parts[3] = Buffer.from('other').toString('base64url');
    expect(() => box.open(parts.join('.'), 'source-1')).toThrow();
    expect(() => new SecretBox(randomBytes(32)).open(sealed, 'source-1')).toThrow();
  });
});
