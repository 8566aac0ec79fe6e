import { Controller, Headers, HttpCode, Param, Post, Req } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';

import { webhookReceiptSchema } from '@bulwark/api-schema';
import { Public, Returns } from '@bulwark/platform';

import { PushService } from './push.service.js';

/** The public endpoint of push sources' webhooks; the signature, not a login, authenticates a delivery. */
@ApiTags('signals')
@Controller()
export class IngestController {
  constructor(private readonly push: PushService) {}

  /**
   * Signed webhook for commercial feeds: HMAC-SHA256 over `<timestamp>.<raw body>` in
   * `X-Bulwark-Signature`, unix seconds in `X-Bulwark-Timestamp`, within the replay window.
   */
  @Post('ingest/:key')
  @Public()
  @HttpCode(202)
  @Returns(webhookReceiptSchema, 202)
  ingest(
    @Param('key') key: string,
    @Req() req: Request & { rawBody?: Buffer },
    @Headers('x-bulwark-signature') signature?: string,
    @Headers('x-bulwark-timestamp') timestamp?: string,
  ) {
    const rawBody = req.rawBody ?? Buffer.from(typeof req.body === 'string' ? req.body : JSON.stringify(req.body ?? ''));
    return this.push.receive(key, { rawBody, body: req.body, signature, timestamp });
  }
}
