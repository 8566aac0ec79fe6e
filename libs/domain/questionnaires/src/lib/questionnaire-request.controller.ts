import { Controller, Get, HttpCode, Param, Post, Put, type PipeTransform } from '@nestjs/common';
import { ApiParam, ApiTags } from '@nestjs/swagger';

import {
  cancelQuestionnaireRequestSchema,
  createQuestionnaireRequestSchema,
  KEY_PATTERN,
  pageOf,
  questionnaireRequestDetailSchema,
  questionnaireRequestListQuery,
  questionnaireRequestSummarySchema,
  questionnaireScoreHistorySchema,
  raiseAnswerFindingSchema,
  reviewQuestionnaireRequestSchema,
  saveAnswerSchema,
  submitQuestionnaireRequestSchema,
  type Input,
} from '@bulwark/api-schema';
import { Allow, DomainException, IdParam, Returns, ZodBody, ZodQuery } from '@bulwark/platform';

import { QuestionnaireRequestService } from './questionnaire-request.service.js';

class QuestionKeyPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!KEY_PATTERN.test(value))
      throw new DomainException('request.invalid_question_key', 'bad_request', 'questionKey must be a question key', [
        { path: 'questionKey', message: 'letters, digits or _ . : - (at most 120)' },
      ]);
    return value;
  }
}

/** `@QuestionKeyParam() key: string` reads `:questionKey`, a template's stable question key. */
const QuestionKeyParam = (): ParameterDecorator => (target, key, index) => {
  Param('questionKey', new QuestionKeyPipe())(target, key, index);
  const descriptor = key ? Object.getOwnPropertyDescriptor(target, key) : undefined;
  if (key && descriptor)
    ApiParam({
      name: 'questionKey',
      required: true,
      description: 'The question’s stable key',
      schema: { type: 'string', pattern: KEY_PATTERN.source, maxLength: 120 },
    })(target, key, descriptor);
};

/**
 * DR questionnaire requests: sent and cancelled by admins and vendor managers, answered and submitted by the
 * vendor's contacts (their own vendor's only, by the tenant scope), reviewed by admins and vendor managers.
 */
@ApiTags('questionnaire-requests')
@Controller()
export class QuestionnaireRequestController {
  constructor(private readonly requests: QuestionnaireRequestService) {}

  @Get('questionnaire-requests')
  @Allow('questionnaire_request.read')
  @Returns(pageOf(questionnaireRequestSummarySchema))
  list(@ZodQuery(questionnaireRequestListQuery) q: Input<typeof questionnaireRequestListQuery>) {
    return this.requests.list(q);
  }

  /** Sends a published template version to a vendor (a snapshot: later template edits never change it). */
  @Post('questionnaire-requests')
  @Allow('questionnaire_request.write')
  @HttpCode(201)
  @Returns(questionnaireRequestDetailSchema, 201)
  create(@ZodBody(createQuestionnaireRequestSchema) body: Input<typeof createQuestionnaireRequestSchema>) {
    return this.requests.create(body);
  }

  @Get('questionnaire-requests/:id')
  @Allow('questionnaire_request.read')
  @Returns(questionnaireRequestDetailSchema)
  get(@IdParam() id: string) {
    return this.requests.get(id);
  }

  /** Saves one answer; `version` is the answer's version as read (0: unanswered). Stale: 409 with `error.details.current`. */
  @Put('questionnaire-requests/:id/answers/:questionKey')
  @Allow('questionnaire_request.answer')
  @Returns(questionnaireRequestDetailSchema)
  answer(@IdParam() id: string, @QuestionKeyParam() questionKey: string, @ZodBody(saveAnswerSchema) body: Input<typeof saveAnswerSchema>) {
    return this.requests.saveAnswer(id, questionKey, body);
  }

  /** Submits; a visible required question left unanswered is a 422 naming `answers.<key>` (keys in `error.details.missing`). */
  @Post('questionnaire-requests/:id/submit')
  @Allow('questionnaire_request.answer')
  @HttpCode(200)
  @Returns(questionnaireRequestDetailSchema)
  submit(@IdParam() id: string, @ZodBody(submitQuestionnaireRequestSchema) _body: Input<typeof submitQuestionnaireRequestSchema>) {
    return this.requests.submit(id);
  }

  /** Per-answer decisions (accept, or flag with a comment on the thread), and optionally the outcome. */
  @Post('questionnaire-requests/:id/review')
  @Allow('questionnaire_request.review')
  @HttpCode(200)
  @Returns(questionnaireRequestDetailSchema)
  review(@IdParam() id: string, @ZodBody(reviewQuestionnaireRequestSchema) body: Input<typeof reviewQuestionnaireRequestSchema>) {
    return this.requests.review(id, body);
  }

  /** Raises a finding from a flagged answer, linked both ways. */
  @Post('questionnaire-requests/:id/answers/:questionKey/finding')
  @Allow('questionnaire_request.review')
  @HttpCode(200)
  @Returns(questionnaireRequestDetailSchema)
  raiseFinding(
    @IdParam() id: string,
    @QuestionKeyParam() questionKey: string,
    @ZodBody(raiseAnswerFindingSchema) body: Input<typeof raiseAnswerFindingSchema>,
  ) {
    return this.requests.raiseFinding(id, questionKey, body);
  }

  @Post('questionnaire-requests/:id/cancel')
  @Allow('questionnaire_request.write')
  @HttpCode(200)
  @Returns(questionnaireRequestDetailSchema)
  cancel(@IdParam() id: string, @ZodBody(cancelQuestionnaireRequestSchema) body: Input<typeof cancelQuestionnaireRequestSchema>) {
    return this.requests.cancel(id, body.reason);
  }

  /** The scores stored when the vendor's questionnaires were accepted, newest first. */
  @Get('vendors/:id/questionnaire-scores')
  @Allow('questionnaire_score.read')
  @Returns(questionnaireScoreHistorySchema)
  scores(@IdParam() id: string) {
    return this.requests.scoreHistory(id);
  }
}
