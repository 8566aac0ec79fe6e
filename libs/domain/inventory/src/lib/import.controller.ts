import { Controller, HttpCode, Post, Query, Req } from '@nestjs/common';
import { ApiConsumes, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';

import { importResultSchema } from '@bulwark/api-schema';
import { Allow, DomainException, Returns } from '@bulwark/platform';

import { CsvImportService } from './csv-import.service.js';

function csvBody(req: Request): string {
  if (typeof req.body !== 'string' || !req.is('text/csv')) {
    throw new DomainException('import.not_csv', 'bad_request', 'Send the file as the request body with Content-Type: text/csv');
  }
  return req.body;
}

function dryRunFlag(v: string | undefined): boolean {
  if (v === undefined || v === 'false' || v === '0') return false;
  if (v === 'true' || v === '1') return true;
  throw new DomainException('query.invalid', 'invalid', 'dryRun must be true or false', [
    { path: 'query.dryRun', message: 'must be true or false' },
  ]);
}

@ApiTags('import')
@Controller('import')
export class ImportController {
  constructor(private readonly importer: CsvImportService) {}

  @Post('vendors')
  @Allow('inventory.write')
  @HttpCode(200)
  @ApiConsumes('text/csv')
  @Returns(importResultSchema)
  vendors(@Req() req: Request, @Query('dryRun') dryRun?: string) {
    return this.importer.importVendors(csvBody(req), dryRunFlag(dryRun));
  }

  @Post('services')
  @Allow('inventory.write')
  @HttpCode(200)
  @ApiConsumes('text/csv')
  @Returns(importResultSchema)
  services(@Req() req: Request, @Query('dryRun') dryRun?: string) {
    return this.importer.importServices(csvBody(req), dryRunFlag(dryRun));
  }
}
