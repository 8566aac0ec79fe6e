import { Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { z } from 'zod';

import {
  attainmentEntrySchema,
  attainmentQuery,
  createSlaSchema,
  newSlaVersionSchema,
  slaListQuery,
  slaViewSchema,
  vendorReportSchema,
  windowIncidentsQuery,
  windowIncidentsSchema,
  type Input,
} from '@bulwark/api-schema';
import { Allow, IdParam, Returns, ReturnsNothing, ZodBody, ZodQuery } from '@bulwark/platform';

import { AttainmentService } from './attainment.service.js';
import { SlaService } from './sla.service.js';

/** Reads are open to vendor contacts: the tenant scope confines them to their own vendor's SLAs. */
@ApiTags('slas')
@Controller('slas')
export class SlaController {
  constructor(
    private readonly slas: SlaService,
    private readonly attainment: AttainmentService,
  ) {}

  @Get()
  @Allow('sla.read')
  @Returns(z.array(slaViewSchema))
  list(@ZodQuery(slaListQuery) q: Input<typeof slaListQuery>) {
    return this.slas.list(q.vendorId, q.contractId);
  }

  /** A new SLA with its first version; the attainment is recomputed once it has committed. */
  @Post()
  @Allow('sla.write')
  @Returns(slaViewSchema, 201)
  create(@ZodBody(createSlaSchema) body: Input<typeof createSlaSchema>) {
    return this.slas.create(body);
  }

  @Get(':id')
  @Allow('sla.read')
  @Returns(slaViewSchema)
  get(@IdParam() id: string) {
    return this.slas.get(id);
  }

  @Post(':id/versions')
  @Allow('sla.write')
  @Returns(slaViewSchema, 201)
  addVersion(@IdParam() id: string, @ZodBody(newSlaVersionSchema) body: Input<typeof newSlaVersionSchema>) {
    return this.slas.addVersion(id, body);
  }

  /** One entry per window: computed availability, the vendor's own figure, breach and credit. */
  @Get(':id/attainment')
  @Allow('sla.read')
  @Returns(z.array(attainmentEntrySchema))
  windows(@IdParam() id: string, @ZodQuery(attainmentQuery) q: Input<typeof attainmentQuery>) {
    return this.attainment.attainment(id, q.from, q.to);
  }

  /** The outage intervals that make up a window's downtime, with their weights: the drill-down from a window (or a breach) to its signals. */
  @Get(':id/incidents')
  @Allow('sla.read')
  @Returns(windowIncidentsSchema)
  incidents(@IdParam() id: string, @ZodQuery(windowIncidentsQuery) q: Input<typeof windowIncidentsQuery>) {
    return this.attainment.incidents(id, q.window);
  }

  @Post(':id/vendor-reports')
  @Allow('sla.vendor_report')
  @HttpCode(204)
  @ReturnsNothing()
  report(@IdParam() id: string, @ZodBody(vendorReportSchema) body: Input<typeof vendorReportSchema>) {
    return this.attainment.fileVendorReport(id, body);
  }
}
