import { Param, type PipeTransform } from '@nestjs/common';
import { ApiParam } from '@nestjs/swagger';

import { DomainException } from '../errors/domain.exception.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

class UuidPipe implements PipeTransform<string, string> {
  constructor(private readonly name: string) {}
  transform(value: string): string {
    if (!UUID.test(value)) {
      throw new DomainException('request.invalid_identifier', 'bad_request', `${this.name} must be a UUID`, [
        { path: this.name, message: 'must be a UUID' },
      ]);
    }
    return value.toLowerCase();
  }
}

/** `@IdParam() id: string` reads `:id` (or another name) and rejects anything that is not a UUID with 400. */
export const IdParam =
  (name = 'id'): ParameterDecorator =>
  (target, key, index) => {
    Param(name, new UuidPipe(name))(target, key, index);
    // Documents the parameter as a UUID (the default would be a bare string).
    const descriptor = key ? Object.getOwnPropertyDescriptor(target, key) : undefined;
    if (key && descriptor) ApiParam({ name, required: true, schema: { type: 'string', format: 'uuid' } })(target, key, descriptor);
  };
