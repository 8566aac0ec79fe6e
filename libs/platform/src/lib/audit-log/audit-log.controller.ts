import { Controller, Get, Header, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { stringify } from 'csv-stringify';
import type { Response } from 'express';

import { auditEntryViewSchema, auditLogQuery, auditVerifyResultSchema, pageOf, type AuditLogQuery } from '@bulwark/api-schema';

import { Allow } from '../tenancy/access.decorators.js';
import { Returns, ReturnsFile } from '../validation/returns.decorator.js';
import { ZodQuery } from '../validation/zod.pipe.js';
import { AuditLogService } from './audit-log.service.js';

@ApiTags('audit-log')
@Controller('audit-log')
export class AuditLogController {
  constructor(private readonly audit: AuditLogService) {}

  @Get()
  @Allow('audit.read')
  @Returns(pageOf(auditEntryViewSchema))
  list(@ZodQuery(auditLogQuery) q: AuditLogQuery) {
    return this.audit.list(q);
  }

  @Get('verify')
  @Allow('audit.read')
  @Returns(auditVerifyResultSchema)
  verify() {
    return this.audit.verify();
  }

  @Get('export')
  @Allow('audit.read')
  @Header('Content-Type', 'text/csv; charset=utf-8')
  @Header('Content-Disposition', 'attachment; filename="audit-log.csv"')
  @ReturnsFile('text/csv')
  async export(@ZodQuery(auditLogQuery) q: AuditLogQuery, @Res() res: Response): Promise<void> {
    const csv = stringify({
      header: true,
      columns: ['seq', 'at', 'actorEmail', 'actorId', 'action', 'entityType', 'entityId', 'diff', 'hash'],
    });
    csv.pipe(res);
    for await (const e of this.audit.iterate(q)) {
      if (!csv.write({ ...e, diff: e.diff ? JSON.stringify(e.diff) : '' })) await new Promise((r) => csv.once('drain', r));
    }
    csv.end();
  }
}
