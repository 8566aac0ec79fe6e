import { Controller, Delete, Get, Post, Req, Res } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { z } from 'zod';

import {
  evidenceLinkBody,
  evidenceListQuery,
  evidenceRevisionFields,
  evidenceUploadFields,
  evidenceViewSchema,
  pageOf,
  type Input,
} from '@bulwark/api-schema';
import { Allow, IdParam, Returns, ReturnsFile, ZodBody, ZodQuery } from '@bulwark/platform';

import { EvidenceService } from './evidence.service.js';

/** The multipart form of an upload: the fields of `fields`, then the `file` part (fields after the file are ignored). */
function multipartBody(fields: z.ZodType) {
  const schema = z.toJSONSchema(fields, { io: 'input', unrepresentable: 'any' }) as {
    properties?: Record<string, unknown>;
    required?: string[];
  };
  return ApiBody({
    schema: {
      type: 'object',
      properties: { ...(schema.properties ?? {}), file: { type: 'string', format: 'binary' } },
      required: [...(schema.required ?? []), 'file'],
    },
  });
}

@ApiTags('evidence')
@Controller('evidence')
export class EvidenceController {
  constructor(private readonly evidence: EvidenceService) {}

  /** Upload new evidence: multipart/form-data with `vendorId`, `kind`, `title`, dates, then the `file` part. */
  @Post()
  @Allow('evidence.write')
  @ApiConsumes('multipart/form-data')
  @multipartBody(evidenceUploadFields)
  @Returns(evidenceViewSchema, 201)
  create(@Req() req: Request) {
    return this.evidence.create(req);
  }

  @Get()
  @Allow('evidence.read')
  @Returns(pageOf(evidenceViewSchema))
  list(@ZodQuery(evidenceListQuery) q: Input<typeof evidenceListQuery>) {
    return this.evidence.list(q);
  }

  @Get(':id')
  @Allow('evidence.read')
  @Returns(evidenceViewSchema)
  get(@IdParam() id: string) {
    return this.evidence.get(id);
  }

  /** A new revision (a renewed certificate, next year's report): multipart/form-data with its dates, then the `file` part. */
  @Post(':id/revisions')
  @Allow('evidence.write')
  @ApiConsumes('multipart/form-data')
  @multipartBody(evidenceRevisionFields)
  @Returns(evidenceViewSchema, 201)
  addRevision(@IdParam() id: string, @Req() req: Request) {
    return this.evidence.addRevision(id, req);
  }

  @Get(':id/revisions/:revisionId/download')
  @Allow('evidence.read')
  @ReturnsFile('*/*')
  download(@IdParam() id: string, @IdParam('revisionId') revisionId: string, @Res() res: Response) {
    return this.evidence.download(id, revisionId, res);
  }

  @Post(':id/links')
  @Allow('evidence.write')
  @Returns(evidenceViewSchema, 201)
  link(@IdParam() id: string, @ZodBody(evidenceLinkBody) body: Input<typeof evidenceLinkBody>) {
    return this.evidence.link(id, body);
  }

  @Delete(':id/links/:linkId')
  @Allow('evidence.write')
  @Returns(evidenceViewSchema)
  unlink(@IdParam() id: string, @IdParam('linkId') linkId: string) {
    return this.evidence.unlink(id, linkId);
  }
}
