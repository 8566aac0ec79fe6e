import { useState, type ChangeEvent } from 'react';
import type { z } from 'zod';

import type { RequestBody } from '@bulwark/api-schema';

import { isApiError } from '../api/client';

export type FieldErrors = Record<string, string>;

type Issue = z.ZodError['issues'][number];

/** Zod's default messages are written for developers; rephrase the common ones for people. */
function friendlyMessage(issue: Issue): string {
  const i = issue as Issue & { origin?: string; minimum?: number | bigint; maximum?: number | bigint; format?: string };
  const generic = /^(Invalid|Too small|Too big)/.test(issue.message);
  if (generic) {
    switch (issue.code) {
      case 'invalid_type':
        return /received (undefined|null)/.test(issue.message) ? 'Required' : 'Invalid value';
      case 'invalid_value':
        return 'Choose one of the options';
      case 'too_small':
        if (i.origin === 'string') return Number(i.minimum) <= 1 ? 'Required' : `Use at least ${String(i.minimum)} characters`;
        if (i.origin === 'number') return `Must be at least ${String(i.minimum)}`;
        break;
      case 'too_big':
        if (i.origin === 'string') return `Use at most ${String(i.maximum)} characters`;
        if (i.origin === 'number') return `Must be at most ${String(i.maximum)}`;
        if (i.origin === 'array') return `At most ${String(i.maximum)} entries`;
        break;
      case 'invalid_format':
        if (i.format === 'email') return 'Enter a valid e-mail address';
        if (i.format === 'url') return 'Enter a full web address starting with https://';
        if (i.format === 'uuid') return 'Choose one of the options';
        if (i.format === 'date') return 'Enter a date (YYYY-MM-DD)';
        break;
      default:
        break;
    }
  }
  return issue.message.charAt(0).toUpperCase() + issue.message.slice(1);
}

/** Same path convention as the API: `intake.servedCriticality`, `regions.0`. */
export function zodFieldErrors(error: z.ZodError): FieldErrors {
  const out: FieldErrors = {};
  for (const issue of error.issues) {
    const path = issue.path.map(String).join('.') || '(body)';
    if (!(path in out)) out[path] = friendlyMessage(issue);
  }
  return out;
}

/** Field errors returned by the API for the failed mutation. */
export function apiFieldErrors(error: unknown): FieldErrors {
  const out: FieldErrors = {};
  if (isApiError(error)) for (const f of error.fields) if (!(f.path in out)) out[f.path] = f.message;
  return out;
}

/** The message for `path`, or for the first nested path under it (`regions` matches `regions.2`). */
export function pickError(errors: FieldErrors, path: string): string | undefined {
  if (errors[path]) return errors[path];
  const nested = Object.keys(errors).find((k) => k.startsWith(`${path}.`));
  return nested ? errors[nested] : undefined;
}

/** Validates with a zod schema; returns the parsed value or the field errors. */
export function validate<S extends z.ZodType>(
  schema: S,
  value: unknown,
): { ok: true; data: z.output<S> } | { ok: false; errors: FieldErrors } {
  const r = schema.safeParse(value);
  return r.success ? { ok: true, data: r.data } : { ok: false, errors: zodFieldErrors(r.error) };
}

/**
 * Validates a request body with the API's zod schema. On success the body is returned as written
 * (not the parsed output: the API applies its own defaults and transforms), typed as the schema's input.
 */
export function validateBody<S extends z.ZodType>(
  schema: S,
  body: unknown,
): { ok: true; body: RequestBody<S> } | { ok: false; errors: FieldErrors } {
  const r = schema.safeParse(body);
  return r.success ? { ok: true, body: body as RequestBody<S> } : { ok: false, errors: zodFieldErrors(r.error) };
}

/**
 * A form's field errors: the client-side validation's (kept in state) over the API's for the failed
 * mutation. `check` shows a validation's errors (or clears them) and tells whether the body may be sent.
 */
export function useFieldErrors(apiError: unknown) {
  const [clientErrors, setClientErrors] = useState<FieldErrors>({});
  const errors = { ...apiFieldErrors(apiError), ...clientErrors };
  const check = <T>(v: { ok: true; body: T } | { ok: false; errors: FieldErrors }): v is { ok: true; body: T } => {
    setClientErrors(v.ok ? {} : v.errors);
    return v.ok;
  };
  return { errors, clientErrors, setClientErrors, check };
}

type FieldElement = HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement;

/**
 * Binds text inputs, textareas and native selects to string state: `field(path, value, set, testId)`
 * gives the `value`, `onChange`, `error` (the message for `path` in `errors`) and `data-testid` props.
 */
export function fieldBinder(errors: FieldErrors) {
  return (path: string, value: string, set: (value: string) => void, testId: string) => ({
    value,
    onChange: (e: ChangeEvent<FieldElement>) => set(e.currentTarget.value),
    error: pickError(errors, path),
    'data-testid': testId,
  });
}
