import { Controller, Get, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { z } from 'zod';

import {
  degradedEntrySchema,
  pageOf,
  signalChangeViewSchema,
  signalDetailViewSchema,
  signalListQuery,
  signalViewSchema,
  vendorSignalsQuery,
  vendorSignalSummarySchema,
  vendorStatusSchema,
  type Input,
} from '@bulwark/api-schema';
import { Allow, assertVendorAccess, IdParam, Returns, ReturnsFile, ZodQuery } from '@bulwark/platform';

import { RawEvidence } from './raw-evidence.js';
import { SignalQueryService } from './signal-query.service.js';

/** Stored signals: lists, one signal with its history and raw evidence, and a vendor's rollup. */
@ApiTags('signals')
@Controller()
export class SignalController {
  constructor(
    private readonly queries: SignalQueryService,
    private readonly evidence: RawEvidence,
  ) {}

  @Get('signals')
  @Allow('signal.read')
  @Returns(pageOf(signalViewSchema))
  signals(@ZodQuery(signalListQuery) q: Input<typeof signalListQuery>) {
    return this.queries.list(q);
  }

  @Get('signals/degraded')
  @Allow('signal.read')
  @Returns(z.array(degradedEntrySchema))
  degraded() {
    return this.queries.degraded();
  }

  /**
   * Every vendor's current status: its level, whether anything watches it (`monitoring`), and its
   * critical or high dependencies that no working source watches.
   */
  @Get('signals/status')
  @Allow('signal.read')
  @Returns(z.array(vendorStatusSchema))
  statuses() {
    return this.queries.statuses();
  }

  /** One signal, as in the list; a vendor contact may read their own vendor's (another's is 404). */
  @Get('signals/:id')
  @Allow('signal.read_own')
  @Returns(signalDetailViewSchema)
  signal(@IdParam() id: string) {
    return this.queries.get(id);
  }

  /** The signal's recorded states, oldest first. */
  @Get('signals/:id/history')
  @Allow('signal.read_own')
  @Returns(z.array(signalChangeViewSchema))
  history(@IdParam() id: string) {
    return this.queries.history(id);
  }

  /**
   * The raw body the signal's current state was read from, as an attachment, checked against its
   * SHA-256 first. Internal roles only: raw feed bodies and pushed payloads are the organization's
   * working material (licensed data, other vendors' entries, source URLs), not the vendor's.
   */
  @Get('signals/:id/raw')
  @Allow('signal.read_raw')
  @ReturnsFile('*/*')
  async raw(@IdParam() id: string, @Res() res: Response) {
    await this.evidence.download(await this.queries.load(id), res);
  }

  /**
   * The vendor's signal rollup with one page of its open signals (`limit`, `cursor` from the previous
   * page's `nextCursor`); a vendor contact may read their own vendor's.
   */
  @Get('vendors/:id/signals')
  @Allow('signal.read_own')
  @Returns(vendorSignalSummarySchema)
  summary(@IdParam() id: string, @ZodQuery(vendorSignalsQuery) q: Input<typeof vendorSignalsQuery>) {
    assertVendorAccess(id);
    return this.queries.vendorSummary(id, q);
  }
}
