import { describe, expect, it } from 'vitest';

import { sanitizeFileName, sniffMediaType } from './media-type.js';

const PDF = ['.pdf'];

describe('file names', () => {
  it('keep only the last path segment, drop control and bidi-override characters and leading dots', () => {
    expect(sanitizeFileName('../../etc/passwd.pdf', PDF)).toBe('passwd.pdf');
    expect(sanitizeFileName('C:\\Users\\me\\report.pdf', PDF)).toBe('report.pdf');
    expect(sanitizeFileName('re\u0000po\u0007rt\r\n.pdf', PDF)).toBe('report.pdf');
    expect(sanitizeFileName('invoice\u202efdp.exe.pdf', PDF)).toBe('invoicefdp.exe.pdf');
    expect(sanitizeFileName('.hidden.pdf', PDF)).toBe('hidden.pdf');
    expect(sanitizeFileName('../', PDF)).toBe('evidence.pdf');
    expect(sanitizeFileName('photo.png', PDF)).toBe('photo.png.pdf');
    expect(sanitizeFileName(`${'a'.repeat(300)}.pdf`, PDF)).toHaveLength(200);
  });
});

describe('type sniffing', () => {
  const declared = { fileName: 'x', mimeType: 'application/octet-stream' };
  it('reads text with a UTF-8 character cut at the end of the head as text, and refuses NULs and markup', () => {
    const cut = Buffer.from('é').subarray(0, 1);
    expect(sniffMediaType(Buffer.concat([Buffer.from('abc'), cut]), declared, false)).toMatchObject({ ok: true, mediaType: 'text/plain' });
    expect(sniffMediaType(Buffer.from('a\u0000b'), declared, true)).toMatchObject({ ok: false });
    expect(sniffMediaType(Buffer.from('  <html>'), declared, true)).toMatchObject({ ok: false });
    expect(sniffMediaType(Buffer.from('hello <svg onload=x>'), declared, true)).toMatchObject({ ok: false });
  });
});
