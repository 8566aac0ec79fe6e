import { Controller, Get, HttpCode, Param, Post, type PipeTransform } from '@nestjs/common';
import { ApiParam, ApiTags } from '@nestjs/swagger';

import {
  threadCommentSchema,
  threadCommentViewSchema,
  threadPeopleQuery,
  threadPeopleSchema,
  threadTargetTypeSchema,
  threadViewSchema,
  type Input,
} from '@bulwark/api-schema';

import { DomainException } from '../errors/domain.exception.js';
import { Allow } from '../tenancy/access.decorators.js';
import { Returns } from '../validation/returns.decorator.js';
import { IdParam } from '../validation/uuid.pipe.js';
import { ZodBody, ZodQuery } from '../validation/zod.pipe.js';
import { ThreadService } from './thread.service.js';

class TargetTypePipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!threadTargetTypeSchema.safeParse(value).success)
      throw new DomainException('request.invalid_target_type', 'bad_request', 'targetType is not a thread target type', [
        { path: 'targetType', message: 'must be a target type such as breach or negotiation' },
      ]);
    return value;
  }
}

/** `:targetType` of a thread route: a registered kind of object (`breach`, `negotiation`…). */
const TargetTypeParam = (): ParameterDecorator => (target, key, index) => {
  Param('targetType', new TargetTypePipe())(target, key, index);
  const descriptor = key ? Object.getOwnPropertyDescriptor(target, key) : undefined;
  if (key && descriptor)
    ApiParam({ name: 'targetType', required: true, schema: { type: 'string', pattern: '^[a-z][a-z_]{1,39}$' } })(target, key, descriptor);
};

@ApiTags('threads')
@Controller('threads')
export class ThreadController {
  constructor(private readonly threads: ThreadService) {}

  /** The comments the caller may see (vendor contacts: the vendor audience of their own vendor's objects). */
  @Get(':targetType/:targetId')
  @Allow('thread.read')
  @Returns(threadViewSchema)
  get(@TargetTypeParam() targetType: string, @IdParam('targetId') targetId: string) {
    return this.threads.get(targetType, targetId);
  }

  @Post(':targetType/:targetId')
  @Allow('thread.comment')
  @HttpCode(201)
  @Returns(threadCommentViewSchema, 201)
  post(
    @TargetTypeParam() targetType: string,
    @IdParam('targetId') targetId: string,
    @ZodBody(threadCommentSchema) body: Input<typeof threadCommentSchema>,
  ) {
    return this.threads.post(targetType, targetId, body);
  }

  /** Whom a comment may mention: the people who can read it. */
  @Get(':targetType/:targetId/people')
  @Allow('thread.read')
  @Returns(threadPeopleSchema)
  people(
    @TargetTypeParam() targetType: string,
    @IdParam('targetId') targetId: string,
    @ZodQuery(threadPeopleQuery) q: Input<typeof threadPeopleQuery>,
  ) {
    return this.threads.people(targetType, targetId, q.audience);
  }
}
