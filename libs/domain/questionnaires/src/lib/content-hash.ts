import { createHash } from 'node:crypto';
import stringify from 'safe-stable-stringify';

import type { TemplateDocument } from '@bulwark/api-schema';

/**
 * The canonical JSON of a template document: keys sorted at every level, no whitespace, absent optional fields
 * left out. The document is always the schema's output (defaults filled in, text trimmed), so two documents
 * that mean the same have the same canonical form, whatever order or omissions the client sent.
 */
export function canonicalJson(doc: TemplateDocument): string {
  const text = stringify(doc);
  if (typeof text !== 'string') throw new Error('a template document has a JSON form');
  return text;
}

/** SHA-256 (hex) of the canonical JSON: what a published version stores and a request will snapshot with it. */
export function contentHash(doc: TemplateDocument): string {
  return createHash('sha256').update(canonicalJson(doc), 'utf8').digest('hex');
}
