import { createHash } from 'node:crypto';
import { ApiProduces, ApiResponse } from '@nestjs/swagger';
import { z } from 'zod';

type Awaitable<T> = T | Promise<T>;
/** A method decorator that only fits handlers returning (or resolving to) `R`: the compiler checks the handler's return type. */
type HandlerDecorator<R> = <H extends (...args: never[]) => Awaitable<R>>(
  target: object,
  key: string | symbol,
  descriptor: TypedPropertyDescriptor<H>,
) => void;

/**
 * The JSON Schema of what a response schema produces (`io: 'output'`): objects list every property they
 * may carry (`additionalProperties: false`), so an undeclared field in an answer is a mismatch. The
 * `$schema` key is dropped: the document (OpenAPI 3.1) already says its schemas are JSON Schema 2020-12.
 */
export function responseJsonSchema(schema: z.ZodType): Record<string, unknown> {
  const { $schema: _dialect, ...json } = z.toJSONSchema(schema, { io: 'output' }) as Record<string, unknown>;
  return withOwnId(json);
}

/**
 * A recursive schema (a condition that nests conditions) comes with its own `$defs` and `$ref: '#/$defs/…'`. Inside
 * the OpenAPI document `#` would mean the document itself, so such a schema gets an `$id` of its own (from its
 * content): its references then resolve within it, in any JSON Schema 2020-12 tool.
 */
export function withOwnId(json: Record<string, unknown>): Record<string, unknown> {
  if (!json['$defs'] || json['$id']) return json;
  const id = createHash('sha256').update(JSON.stringify(json)).digest('hex').slice(0, 32);
  return { $id: `urn:bulwark:schema:${id}`, ...json };
}

/**
 * `@Returns(schema, status?)` declares the operation's successful answer in the OpenAPI document, as the
 * JSON Schema of a zod schema from `@bulwark/api-schema`. The handler must return (or resolve to) the
 * schema's output type, so the declared schema and the service's return type cannot drift apart.
 */
export function Returns<S extends z.ZodType>(schema: S, status = 200): HandlerDecorator<z.output<NoInfer<S>>> {
  return (target, key, descriptor) => {
    ApiResponse({ status, description: description(status), content: { 'application/json': { schema: responseJsonSchema(schema) } } })(
      target,
      key,
      descriptor,
    );
  };
}

/** `@ReturnsNothing()`: the operation answers with an empty body (204 unless told). */
export function ReturnsNothing(status = 204): HandlerDecorator<void> {
  return (target, key, descriptor) => {
    ApiResponse({ status, description: description(status) })(target, key, descriptor);
  };
}

/**
 * `@ReturnsFile(contentType)`: the operation answers with a file (a download or an export), not JSON. A
 * stored file served with the content type it was uploaded with is declared with the media range for any type.
 */
export function ReturnsFile(contentType: string, status = 200): HandlerDecorator<void> {
  return (target, key, descriptor) => {
    ApiProduces(contentType)(target, key, descriptor);
    ApiResponse({
      status,
      description: description(status),
      // No schema: the body is the file's bytes (OpenAPI 3.1 describes binary content by its media type alone).
      content: { [contentType]: {} },
    })(target, key, descriptor);
  };
}

function description(status: number): string {
  switch (status) {
    case 200:
      return 'OK';
    case 201:
      return 'Created';
    case 202:
      return 'Accepted';
    case 204:
      return 'No Content';
    case 503:
      return 'Service Unavailable';
    default:
      return String(status);
  }
}
