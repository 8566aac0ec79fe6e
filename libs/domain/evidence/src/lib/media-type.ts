import { extname } from 'node:path';

/** How many leading bytes the type is judged from. */
export const SNIFF_BYTES = 64 * 1024;

export type Sniffed = { ok: true; mediaType: string; extensions: readonly string[] } | { ok: false; reason: string };

const OFFICE = {
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
} as const;

/** The allowed media types and the file extensions that go with them (the first is added to a name that has none of them). */
export const ALLOWED_TYPES: Record<string, readonly string[]> = {
  'application/pdf': ['.pdf'],
  'image/png': ['.png'],
  'image/jpeg': ['.jpg', '.jpeg'],
  [OFFICE.docx]: ['.docx'],
  [OFFICE.xlsx]: ['.xlsx'],
  [OFFICE.pptx]: ['.pptx'],
  'application/zip': ['.zip'],
  'text/plain': ['.txt', '.text', '.log', '.md'],
  'text/csv': ['.csv'],
};

const ARCHIVE_TYPES = new Set(['application/zip', 'application/x-zip-compressed', 'application/x-zip']);
const MARKUP = /<\s*(script|svg|html|body|iframe|object|embed|\?xml|!doctype|!entity|xml|foreignobject)\b/i;

const startsWith = (head: Buffer, sig: number[]) => head.length >= sig.length && sig.every((b, i) => head[i] === b);

/** The names of the entries whose local headers are in `head` (a ZIP's first bytes). */
function zipEntryNames(head: Buffer): string[] {
  const names: string[] = [];
  let at = head.indexOf('PK\x03\x04', 0, 'latin1');
  while (at >= 0 && at + 30 <= head.length) {
    const nameLength = head.readUInt16LE(at + 26);
    if (at + 30 + nameLength <= head.length) names.push(head.toString('latin1', at + 30, at + 30 + nameLength));
    at = head.indexOf('PK\x03\x04', at + 4, 'latin1');
  }
  return names;
}

/** Whether `head` is UTF-8 text without NULs or control characters other than tab, line breaks and form feed. */
function isPlainText(head: Buffer, complete: boolean): boolean {
  // A multi-byte character cut at the end of the head is not an error.
  let end = head.length;
  if (!complete) for (let back = 1; back <= 3 && end - back >= 0; back++) if ((head[end - back]! & 0xc0) === 0xc0) end -= back;
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(head.subarray(0, end));
  } catch {
    return false;
  }
  // eslint-disable-next-line no-control-regex -- control characters are what this looks for
  return !/[\u0000-\u0008\u000b\u000e-\u001f\u007f]/.test(text);
}

/**
 * Judges a file by its first bytes (magic numbers), not by its name or its declared type: PDF, PNG, JPEG,
 * the Office Open XML documents (docx, xlsx, pptx: ZIP containers recognised by their entries), a ZIP
 * archive only when the uploader declared one (`application/zip` or a `.zip` name; it is never expanded
 * here), and UTF-8 plain text or CSV. Markup (HTML, SVG, XML) is refused, whatever the name says.
 * `complete` says whether `head` is the whole file.
 */
export function sniffMediaType(head: Buffer, declared: { fileName: string; mimeType: string }, complete: boolean): Sniffed {
  const ext = extname(declared.fileName).toLowerCase();
  if (startsWith(head, [0x25, 0x50, 0x44, 0x46, 0x2d])) return allowed('application/pdf');
  if (startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return allowed('image/png');
  if (startsWith(head, [0xff, 0xd8, 0xff])) return allowed('image/jpeg');
  if (startsWith(head, [0x50, 0x4b, 0x03, 0x04]) || startsWith(head, [0x50, 0x4b, 0x05, 0x06])) {
    const names = zipEntryNames(head);
    const ooxml = names.some((n) => n === '[Content_Types].xml' || n === '_rels/.rels' || n.startsWith('docProps/'));
    if (ooxml) {
      if (names.some((n) => n.startsWith('word/'))) return allowed(OFFICE.docx);
      if (names.some((n) => n.startsWith('xl/'))) return allowed(OFFICE.xlsx);
      if (names.some((n) => n.startsWith('ppt/'))) return allowed(OFFICE.pptx);
      // The parts may come later in the archive than the head: the name decides between the three.
      if (ext === '.docx' || ext === '.xlsx' || ext === '.pptx') return allowed(OFFICE[ext.slice(1) as keyof typeof OFFICE]);
    }
    if (ARCHIVE_TYPES.has(declared.mimeType.toLowerCase()) || ext === '.zip') return allowed('application/zip');
    return { ok: false, reason: 'a ZIP archive is accepted only when declared as one (a .zip name or the application/zip type)' };
  }
  let textHead = head;
  if (startsWith(head, [0xef, 0xbb, 0xbf])) textHead = head.subarray(3);
  if (textHead.length && isPlainText(textHead, complete)) {
    const text = textHead.toString('utf8');
    if (/^\s*</.test(text) || MARKUP.test(text)) return { ok: false, reason: 'HTML, SVG and XML files are not accepted' };
    return allowed(ext === '.csv' || declared.mimeType.toLowerCase() === 'text/csv' ? 'text/csv' : 'text/plain');
  }
  return {
    ok: false,
    reason: 'the content is not an accepted type (PDF, PNG, JPEG, Word, Excel, PowerPoint, a declared ZIP archive, plain text or CSV)',
  };
}

function allowed(mediaType: string): Sniffed {
  return { ok: true, mediaType, extensions: ALLOWED_TYPES[mediaType]! };
}

/**
 * The name a file is stored and downloaded under: its last path segment only (no `../`, no folders),
 * without control or bidirectional-override characters, at most 200 characters, and ending with an
 * extension of its detected type (`report.png` holding a PDF becomes `report.png.pdf`).
 */
export function sanitizeFileName(raw: string, extensions: readonly string[]): string {
  let name = raw.split(/[\\/]/).pop() ?? '';
  name = name
    // eslint-disable-next-line no-control-regex -- control characters are what this removes
    .replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, '')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^\.+/, '');
  if (!name) name = 'evidence';
  if (!extensions.includes(extname(name).toLowerCase())) name = `${name}${extensions[0] ?? ''}`;
  if (name.length > 200) {
    const ext = extname(name);
    name = name.slice(0, 200 - ext.length) + ext;
  }
  return name;
}

/** The Content-Type a revision is served with. */
export function servedType(mediaType: string): string {
  return mediaType.startsWith('text/') ? `${mediaType}; charset=utf-8` : mediaType;
}
