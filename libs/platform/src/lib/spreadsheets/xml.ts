import { StringDecoder } from 'node:string_decoder';
import { SaxesParser, type SaxesTagNS } from 'saxes';

import { SpreadsheetError } from './errors.js';

/** SpreadsheetML's namespaces: ECMA-376 transitional (what everyone writes) and ISO 29500 strict. */
const MAIN_NS = new Set(['http://schemas.openxmlformats.org/spreadsheetml/2006/main', 'http://purl.oclc.org/ooxml/spreadsheetml/main']);
const RELS_NS = 'http://schemas.openxmlformats.org/package/2006/relationships';

export type Tag = SaxesTagNS;

export interface XmlHandlers {
  open?(tag: Tag, depth: number): void;
  close?(tag: Tag, depth: number): void;
  text?(text: string, depth: number): void;
}

const CHUNK = 1 << 20;

/**
 * Streams one XML part through saxes. saxes is a non-validating XML 1.0 parser that never reads a DTD: it
 * fetches nothing, expands no entity besides the five predefined ones and character references, and fails on
 * any other. On top of that a DOCTYPE (and with it any ENTITY declaration) is refused outright, before its
 * content is looked at. Handlers may throw to stop the parse; that error propagates unchanged.
 */
export function parseXml(part: string, bytes: Buffer, handlers: XmlHandlers): void {
  const parser = new SaxesParser({ xmlns: true, position: false });
  let depth = 0;
  parser.on('doctype', () => {
    throw new SpreadsheetError('spreadsheet.unsafe', `The part ${part} declares a DOCTYPE (entity declarations are refused)`);
  });
  parser.on('error', (err) => {
    throw new SpreadsheetError('spreadsheet.malformed', `The part ${part} is not well-formed XML: ${err.message}`);
  });
  parser.on('opentag', (tag) => {
    depth++;
    handlers.open?.(tag, depth);
  });
  parser.on('closetag', (tag) => {
    handlers.close?.(tag, depth);
    depth--;
  });
  if (handlers.text) {
    const onText = (t: string) => handlers.text!(t, depth);
    parser.on('text', onText);
    parser.on('cdata', onText);
  }

  // Byte order marks: UTF-16 parts exist (rarely); everything else is UTF-8.
  if (bytes.length >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))) {
    const le = bytes[0] === 0xff;
    const body = Buffer.from(bytes.subarray(2));
    if (!le) body.swap16();
    parser.write(body.toString('utf16le'));
  } else {
    const start = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
    const decoder = new StringDecoder('utf8');
    for (let i = start; i < bytes.length; i += CHUNK) parser.write(decoder.write(bytes.subarray(i, Math.min(i + CHUNK, bytes.length))));
    const rest = decoder.end();
    if (rest) parser.write(rest);
  }
  parser.close();
}

/** True for an element of SpreadsheetML's main namespace with this local name. */
export function isMain(tag: Tag, local: string): boolean {
  return tag.local === local && MAIN_NS.has(tag.uri);
}

/** An attribute by local name, whatever its prefix (`r:id` is `id`); undefined when absent. */
export function attr(tag: Tag, local: string): string | undefined {
  for (const a of Object.values(tag.attributes)) {
    if (a.local === local && a.prefix !== 'xmlns' && a.name !== 'xmlns') return a.value;
  }
  return undefined;
}

export interface Relationship {
  id: string;
  /** The last path segment of the type URI: `officeDocument`, `worksheet`, `sharedStrings`, `styles`… */
  type: string;
  /** The target part's name, resolved against the source part and normalised (no leading `/`). */
  target: string | null;
}

/** Parses a `.rels` part of the package whose source part is `source` (`''` for the package root). */
export function parseRelationships(part: string, bytes: Buffer, source: string): Relationship[] {
  const rels: Relationship[] = [];
  parseXml(part, bytes, {
    open(tag) {
      if (tag.local !== 'Relationship' || tag.uri !== RELS_NS) return;
      const id = attr(tag, 'Id') ?? '';
      const type = (attr(tag, 'Type') ?? '').split('/').pop() ?? '';
      const external = attr(tag, 'TargetMode') === 'External';
      const raw = attr(tag, 'Target');
      rels.push({ id, type, target: external || raw === undefined ? null : resolvePartName(source, raw) });
    },
  });
  return rels;
}

/** Resolves a relationship target against its source part: `worksheets/sheet1.xml` from `xl/workbook.xml`. */
export function resolvePartName(source: string, target: string): string | null {
  let path: string;
  try {
    path = decodeURIComponent(target.split('#')[0]!);
  } catch {
    return null;
  }
  const base = path.startsWith('/') ? [] : source.split('/').slice(0, -1);
  for (const seg of path.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (!base.length) return null;
      base.pop();
    } else base.push(seg);
  }
  return base.length ? base.join('/') : null;
}
