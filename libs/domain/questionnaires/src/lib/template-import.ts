import {
  BULWARK_TEMPLATE_FORMAT,
  bulwarkTemplateFileSchema,
  templateDocumentSchema,
  type TemplateDocument,
  type TemplateImportFormat,
  type TemplateSource,
} from '@bulwark/api-schema';
import { assertJsonDepth, DomainException, Invalid, zodFieldErrors } from '@bulwark/platform';

import type { VsaqValue } from './vsaq/vsaq-dialect.js';
import { importVsaqText, VsaqImportError, vsaqToTemplate } from './vsaq/vsaq-import.js';

export interface ImportedTemplate {
  content: TemplateDocument;
  source: TemplateSource;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Which format a parsed body is in, when the client did not say. */
function detect(value: unknown): TemplateImportFormat | null {
  if (Array.isArray(value)) return 'vsaq';
  if (!isRecord(value)) return null;
  if (value['format'] === BULWARK_TEMPLATE_FORMAT || Array.isArray(value['sections'])) return 'bulwark';
  if (Array.isArray(value['questionnaire']) || Array.isArray(value['extensions'])) return 'vsaq';
  return null;
}

const unreadable = (message: string) => new Invalid('questionnaire_import.unreadable', message, [{ path: '(body)', message }]);

/**
 * Reads an import body into a template document: Bulwark's own file (or a bare document) or a VSAQ questionnaire,
 * sent as text (`text/plain`: the VSAQ dialect with comments and `+` is not JSON) or as JSON. Nothing is stored
 * here; every failure is a 422 that names what is wrong (the field path, or the VSAQ item id).
 */
export function readTemplateImport(body: unknown, format: TemplateImportFormat | undefined, fileName: string | null): ImportedTemplate {
  let value: unknown = body;
  let text: string | null = null;
  if (typeof body === 'string') {
    text = body.replace(/^\ufeff/, '');
    value = undefined;
    if (!text.trim()) throw unreadable('The file is empty');
    if (format !== 'vsaq') {
      try {
        // Strict JSON first (a Bulwark file, or a VSAQ file that happens to be strict JSON), depth-checked before parsing.
        assertJsonDepth(Buffer.from(text, 'utf8'));
        value = JSON.parse(text) as unknown;
      } catch (err) {
        if ((err as { type?: string }).type === 'entity.too.deep') throw unreadable((err as Error).message);
        if (format === 'bulwark') throw unreadable(`The file is not JSON: ${(err as Error).message}`);
        value = undefined; // Not JSON: the VSAQ dialect, read below.
      }
    }
  } else if (body === undefined || body === null || (isRecord(body) && !Object.keys(body).length)) {
    throw new DomainException(
      'questionnaire_import.no_file',
      'bad_request',
      'Send the file as the request body: Content-Type text/plain (any format) or application/json',
    );
  }
  const chosen = format ?? (value === undefined ? 'vsaq' : detect(value));
  if (!chosen)
    throw unreadable(
      `Neither a Bulwark template ("format": "${BULWARK_TEMPLATE_FORMAT}") nor a VSAQ questionnaire ("questionnaire": [...])`,
    );

  if (chosen === 'bulwark') {
    const isFile = isRecord(value) && 'format' in value;
    const parsed = isFile ? bulwarkTemplateFileSchema.safeParse(value) : templateDocumentSchema.safeParse(value);
    if (!parsed.success)
      throw new Invalid('questionnaire_import.invalid', 'The Bulwark template file is invalid', zodFieldErrors(parsed.error));
    const content = 'template' in parsed.data ? parsed.data.template : parsed.data;
    const reference = 'source' in parsed.data && parsed.data.source ? parsed.data.source.contentHash : null;
    return { content, source: { format: 'bulwark', fileName, reference } };
  }

  let document;
  try {
    document = value === undefined && text !== null ? importVsaqText(text) : vsaqToTemplate(value as VsaqValue);
  } catch (err) {
    if (!(err instanceof VsaqImportError)) throw err;
    const first = err.problems[0]!;
    throw new DomainException(
      'questionnaire_import.vsaq_unsupported',
      'invalid',
      `The VSAQ questionnaire cannot be imported (${err.problems.length} problem${err.problems.length === 1 ? '' : 's'}); ${first.item}: ${first.message}`,
      err.problems.map((p) => ({ path: p.item, message: p.message })),
      undefined,
      { problems: err.problems },
    );
  }
  const parsed = templateDocumentSchema.safeParse(document);
  if (!parsed.success)
    throw new Invalid('questionnaire_import.invalid', 'The VSAQ questionnaire does not fit a template', zodFieldErrors(parsed.error));
  return { content: parsed.data, source: { format: 'vsaq', fileName, reference: null } };
}
