import 'reflect-metadata';

import { describe, expect, it } from 'vitest';
import { z } from 'zod';

import { responseJsonSchema, Returns, ReturnsFile, ReturnsNothing } from './returns.decorator.js';

const item = z.object({ id: z.guid(), at: z.iso.datetime({ offset: true }), note: z.string().nullable() });
type Item = z.output<typeof item>;

class Handlers {
  @Returns(item)
  get(): Promise<Item> {
    return Promise.resolve({ id: '00000000-0000-4000-8000-000000000000', at: new Date(0).toISOString(), note: null });
  }

  @Returns(z.array(item), 201)
  list(): Item[] {
    return [];
  }

  @ReturnsNothing()
  remove(): Promise<void> {
    return Promise.resolve();
  }

  @ReturnsFile('text/csv')
  export(): Promise<void> {
    return Promise.resolve();
  }

  // The declared schema and the handler's return type cannot drift apart: this one does not compile.
  // @ts-expect-error a string where the schema says a date-time string or null is fine, a number is not
  @Returns(item)
  wrong(): { id: string; at: string; note: number } {
    return { id: '', at: '', note: 1 };
  }
}

/** Where @nestjs/swagger keeps a method's declared responses (its DECORATORS.API_RESPONSE, not exported). */
const API_RESPONSE = 'swagger/apiResponse';
const responses = (key: keyof Handlers) =>
  Reflect.getMetadata(API_RESPONSE, Handlers.prototype[key]) as Record<string, { content?: Record<string, { schema?: object }> }>;

describe('@Returns', () => {
  it('declares the JSON Schema of what the zod schema outputs, with no undeclared property', () => {
    const json = responses('get')['200']!.content!['application/json']!.schema as Record<string, unknown>;
    expect(json).toEqual(responseJsonSchema(item));
    expect(json).not.toHaveProperty('$schema');
    expect(json).toMatchObject({ type: 'object', additionalProperties: false, required: ['id', 'at', 'note'] });
    expect(json['properties']).toMatchObject({
      at: { type: 'string', format: 'date-time' },
      note: { type: ['string', 'null'] },
    });
    expect(Object.keys(responses('list'))).toEqual(['201']);
  });

  it('declares a 204 without a body and a file by its content type, without a schema', () => {
    expect(responses('remove')['204']).not.toHaveProperty('content');
    expect(responses('export')['200']!.content).toEqual({ 'text/csv': {} });
  });
});
