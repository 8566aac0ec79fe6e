import type { PluginInfo } from '@bulwark/api-schema';

import type { FieldErrors } from '../../../shared/lib/forms';

/**
 * A plugin's config form, read from its JSON Schema (generated from zod by the plugin SDK):
 * `{ type: 'object', properties: { … }, required: [ … ] }`. Each top-level property becomes one
 * input; anything the form cannot represent as a simple input is edited as JSON.
 */
export type ConfigFieldKind = 'string' | 'secret' | 'number' | 'integer' | 'boolean' | 'enum' | 'stringArray' | 'json';

export interface ConfigField {
  key: string;
  kind: ConfigFieldKind;
  label: string;
  description: string | undefined;
  /** Required by the schema (no default, not optional). */
  required: boolean;
  secret: boolean;
  hasDefault: boolean;
  default: unknown;
  enumValues: string[];
  format: string | undefined;
  min: number | undefined;
  max: number | undefined;
  /** Lower / upper bound is exclusive (`exclusiveMinimum` / `exclusiveMaximum`). */
  minExclusive: boolean;
  maxExclusive: boolean;
  pattern: string | undefined;
}

/** Form state of one field: text for everything typed, a boolean for checkboxes. */
export type ConfigValue = string | boolean;
export type ConfigValues = Record<string, ConfigValue>;

/** What to do with a stored secret when editing: keep it (leave it out), replace it, or clear it (`null`). */
export type SecretAction = 'keep' | 'replace' | 'clear';

type JsonSchema = Record<string, unknown>;

const isObject = (v: unknown): v is JsonSchema => typeof v === 'object' && v !== null && !Array.isArray(v);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() ? v : undefined);

const ACRONYMS: Record<string, string> = {
  url: 'URL',
  uri: 'URI',
  id: 'ID',
  ids: 'IDs',
  api: 'API',
  cik: 'CIK',
  lei: 'LEI',
  rss: 'RSS',
  sec: 'SEC',
  hmac: 'HMAC',
  csv: 'CSV',
  json: 'JSON',
  http: 'HTTP',
  https: 'HTTPS',
  ip: 'IP',
  sic: 'SIC',
  ebit: 'EBIT',
  mve: 'MVE',
};

/** `baseUrl` → "Base URL", `marketValueOfEquity` → "Market value of equity", `api_key` → "API key". */
export function fieldLabel(key: string): string {
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[\s_-]+/)
    .filter(Boolean)
    .map((w) => w.toLowerCase());
  return words.map((w, i) => ACRONYMS[w] ?? (i === 0 ? w.charAt(0).toUpperCase() + w.slice(1) : w)).join(' ');
}

/** Collapses `anyOf: [X, {type: 'null'}]` and `type: ['string', 'null']` into X. */
function effective(schema: JsonSchema): JsonSchema {
  let s: JsonSchema = schema;
  for (const combinator of ['anyOf', 'oneOf'] as const) {
    const options = s[combinator];
    if (Array.isArray(options)) {
      const nonNull = options.filter((o) => isObject(o) && o['type'] !== 'null') as JsonSchema[];
      if (nonNull.length === 1) {
        const { [combinator]: _drop, ...rest } = s;
        s = { ...nonNull[0], ...rest };
      }
    }
  }
  if (Array.isArray(s['type'])) {
    const types = (s['type'] as unknown[]).filter((t) => t !== 'null');
    s = { ...s, type: types.length === 1 ? types[0] : types };
  }
  return s;
}

function kindOf(s: JsonSchema, secret: boolean): ConfigFieldKind {
  const type = s['type'];
  const enumValues = s['enum'];
  if (Array.isArray(enumValues) && enumValues.length > 0 && enumValues.every((v) => typeof v === 'string')) return 'enum';
  switch (type) {
    case 'string':
      return secret ? 'secret' : 'string';
    case 'number':
      return 'number';
    case 'integer':
      return 'integer';
    case 'boolean':
      return 'boolean';
    case 'array': {
      const items = isObject(s['items']) ? effective(s['items']) : undefined;
      if (items && (items['type'] === 'string' || (Array.isArray(items['enum']) && items['enum'].every((v) => typeof v === 'string'))))
        return 'stringArray';
      return 'json';
    }
    default:
      return secret && type === undefined ? 'secret' : 'json';
  }
}

/** The fields of a plugin's config form, in schema order. */
export function configFields(plugin: Pick<PluginInfo, 'configSchema' | 'secretFields'>): ConfigField[] {
  const schema = plugin.configSchema;
  const props = isObject(schema['properties']) ? schema['properties'] : {};
  const required = new Set(
    Array.isArray(schema['required']) ? (schema['required'] as unknown[]).filter((k): k is string => typeof k === 'string') : [],
  );
  const secrets = new Set(plugin.secretFields);
  return Object.entries(props)
    .filter(([, raw]) => isObject(raw))
    .map(([key, raw]) => {
      const s = effective(raw as JsonSchema);
      const secret = s['writeOnly'] === true || secrets.has(key);
      const kind = kindOf(s, secret);
      const exclusiveMin = num(s['exclusiveMinimum']);
      const exclusiveMax = num(s['exclusiveMaximum']);
      const items = isObject(s['items']) ? effective(s['items']) : undefined;
      const enumSource = kind === 'enum' ? s['enum'] : undefined;
      return {
        key,
        kind,
        label: str(s['title']) ?? fieldLabel(key),
        description:
          str(s['description']) ??
          (kind === 'stringArray' && Array.isArray(items?.['enum'])
            ? `One or more of: ${(items['enum'] as string[]).join(', ')}`
            : undefined),
        required: required.has(key) && !('default' in s),
        secret,
        hasDefault: 'default' in s,
        default: s['default'],
        enumValues: Array.isArray(enumSource) ? (enumSource as string[]) : [],
        format: str(s['format']),
        min: exclusiveMin ?? num(s['minimum']),
        max: exclusiveMax ?? num(s['maximum']),
        minExclusive: exclusiveMin !== undefined,
        maxExclusive: exclusiveMax !== undefined,
        pattern: str(s['pattern']),
      } satisfies ConfigField;
    });
}

/** A stored or default value as form text. */
function toFormValue(field: ConfigField, value: unknown): ConfigValue {
  if (field.kind === 'boolean') return value === true;
  if (value === undefined || value === null) return '';
  switch (field.kind) {
    case 'stringArray':
      return Array.isArray(value) ? value.map(String).join(', ') : String(value);
    case 'json':
      return JSON.stringify(value, null, 2);
    default:
      return typeof value === 'object' ? JSON.stringify(value) : String(value);
  }
}

/**
 * Initial form values: the stored config when editing (secrets are never returned, so they start
 * empty), otherwise the schema defaults.
 */
export function initialConfigValues(fields: ConfigField[], stored?: Record<string, unknown>): ConfigValues {
  const out: ConfigValues = {};
  for (const f of fields) {
    if (f.secret) out[f.key] = '';
    else if (stored && f.key in stored) out[f.key] = toFormValue(f, stored[f.key]);
    else out[f.key] = toFormValue(f, f.hasDefault ? f.default : undefined);
  }
  return out;
}

function parseNumber(field: ConfigField, text: string): { value?: number; error?: string } {
  const n = Number(text.replace(/[\s_]/g, ''));
  if (!Number.isFinite(n)) return { error: 'Enter a number' };
  if (field.kind === 'integer' && !Number.isInteger(n)) return { error: 'Enter a whole number' };
  if (field.min !== undefined && (field.minExclusive ? n <= field.min : n < field.min))
    return { error: field.minExclusive ? `Must be greater than ${field.min}` : `Must be at least ${field.min}` };
  if (field.max !== undefined && (field.maxExclusive ? n >= field.max : n > field.max))
    return { error: field.maxExclusive ? `Must be less than ${field.max}` : `Must be at most ${field.max}` };
  return { value: n };
}

/**
 * Builds the `config` object for the API from the form. Empty fields are left out on create (so
 * the plugin's defaults apply) and sent as `null` on edit (which clears the stored value). Secrets
 * being kept are left out; cleared ones are `null`. Errors use the API's paths (`config.<key>`).
 */
export function buildConfig(
  fields: ConfigField[],
  values: ConfigValues,
  opts: { mode: 'create' | 'edit'; secretsSet?: readonly string[]; secretActions?: Record<string, SecretAction> } = { mode: 'create' },
): { config: Record<string, unknown>; errors: FieldErrors } {
  const config: Record<string, unknown> = {};
  const errors: FieldErrors = {};
  const empty = (f: ConfigField) => {
    if (f.required) errors[`config.${f.key}`] = 'Required';
    else if (opts.mode === 'edit') config[f.key] = null;
  };
  for (const f of fields) {
    const v = values[f.key];
    const path = `config.${f.key}`;
    if (f.kind === 'boolean') {
      config[f.key] = v === true;
      continue;
    }
    const text = typeof v === 'string' ? v : '';
    if (f.secret && opts.mode === 'edit' && opts.secretsSet?.includes(f.key)) {
      const action = opts.secretActions?.[f.key] ?? 'keep';
      if (action === 'keep') continue;
      if (action === 'clear') {
        if (f.required) errors[path] = 'This setting is required: replace it instead of clearing it';
        else config[f.key] = null;
        continue;
      }
      if (!text) {
        errors[path] = 'Enter the new value, or keep the stored one';
        continue;
      }
      config[f.key] = text;
      continue;
    }
    if (text.trim() === '') {
      empty(f);
      continue;
    }
    switch (f.kind) {
      case 'number':
      case 'integer': {
        const r = parseNumber(f, text);
        if (r.error) errors[path] = r.error;
        else config[f.key] = r.value;
        break;
      }
      case 'stringArray':
        config[f.key] = text
          .split(/[,\n]/)
          .map((x) => x.trim())
          .filter(Boolean);
        break;
      case 'json':
        try {
          config[f.key] = JSON.parse(text) as unknown;
        } catch {
          errors[path] = 'Enter valid JSON';
        }
        break;
      case 'secret':
        config[f.key] = text;
        break;
      default:
        config[f.key] = text.trim();
    }
  }
  return { config, errors };
}
