import { Body, Query, type PipeTransform } from '@nestjs/common';
import { ApiBody, ApiQuery } from '@nestjs/swagger';
import { z as zod, type z } from 'zod';

import { Invalid, type FieldError } from '../errors/domain.exception.js';
import { withOwnId } from './returns.decorator.js';

export function zodFieldErrors(error: z.ZodError, prefix = ''): FieldError[] {
  return error.issues.flatMap((i) => {
    const path = [prefix, ...i.path.map(String)].filter(Boolean).join('.');
    // One entry per unknown key: each is a field of its own, not a nested path.
    if (i.code === 'unrecognized_keys') return i.keys.map((k) => ({ path: [path, k].filter(Boolean).join('.'), message: 'unknown field' }));
    return [{ path: path || '(body)', message: i.message }];
  });
}

/**
 * Every text value (or key) holding a NUL character, by path. PostgreSQL cannot store U+0000 in text, and
 * nothing a person types contains one: such input is refused before any schema runs, naming the field.
 */
export function nulFields(value: unknown, prefix = '', out: FieldError[] = [], depth = 0): FieldError[] {
  if (depth > 64 || out.length >= 50) return out;
  const at = (key: string) => [prefix, key].filter(Boolean).join('.');
  if (typeof value === 'string') {
    if (value.includes('\u0000')) out.push({ path: prefix || '(body)', message: 'must not contain a NUL character' });
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => nulFields(v, at(String(i)), out, depth + 1));
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k.includes('\u0000'))
        out.push({ path: at(k.split('\u0000').join('\\0')), message: 'a field name must not contain a NUL character' });
      else nulFields(v, at(k), out, depth + 1);
    }
  }
  return out;
}

/** Validates and parses with a zod schema; any failure is a 422 naming each field at fault. */
export class ZodPipe<S extends z.ZodType> implements PipeTransform<unknown, z.infer<S>> {
  constructor(
    private readonly schema: S,
    private readonly where: 'body' | 'query',
  ) {}

  transform(value: unknown): z.infer<S> {
    const input =
      this.where === 'body' &&
      (value === undefined || value === null || (typeof value === 'object' && Object.keys(value).length === 0 && !Array.isArray(value)))
        ? (value ?? {})
        : value;
    const nul = nulFields(input, this.where === 'query' ? 'query' : '');
    if (nul.length) throw new Invalid(`${this.where}.invalid`, `The request ${this.where === 'body' ? 'body' : 'query'} is invalid`, nul);
    const result = this.schema.safeParse(input);
    if (!result.success) {
      throw new Invalid(
        `${this.where}.invalid`,
        `The request ${this.where === 'body' ? 'body' : 'query'} is invalid`,
        zodFieldErrors(result.error, this.where === 'query' ? 'query' : ''),
      );
    }
    return result.data;
  }
}

function jsonSchema(schema: z.ZodType): Record<string, unknown> {
  try {
    return withOwnId(zod.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>);
  } catch {
    return { type: 'object' };
  }
}

/** Applies a method decorator from inside a parameter decorator (to document what the pipe validates). */
function onMethod(target: object, key: string | symbol | undefined, decorator: MethodDecorator): void {
  if (!key) return;
  const descriptor = Object.getOwnPropertyDescriptor(target, key);
  if (descriptor) decorator(target, key, descriptor);
}

/** `@ZodBody(schema) body: T` validates the JSON body and documents it in OpenAPI. */
export const ZodBody =
  (schema: z.ZodType): ParameterDecorator =>
  (target, key, index) => {
    Body(new ZodPipe(schema, 'body'))(target, key, index);
    onMethod(target, key, ApiBody({ schema: jsonSchema(schema) }));
  };

/** `@ZodQuery(schema) q: T` validates the whole query string and documents each parameter. */
export const ZodQuery =
  (schema: z.ZodType): ParameterDecorator =>
  (target, key, index) => {
    Query(new ZodPipe(schema, 'query'))(target, key, index);
    const props = (jsonSchema(schema)['properties'] ?? {}) as Record<string, Record<string, unknown>>;
    for (const [name, prop] of Object.entries(props)) onMethod(target, key, ApiQuery({ name, required: false, schema: prop }));
  };
