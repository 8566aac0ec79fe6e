import { Controller, Get, HttpCode, Patch, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { attainmentQuery, contractListQuery, createContractSchema, createSlaSchema, newSlaVersionSchema, updateContractSchema, vendorReportSchema } from '@bulwark/api-schema';
import { Allow, IdParam, RequestContext, ZodBody, ZodQuery } from '@bulwark/platform';
import { z } from 'zod';
import { AgreementsService } from './agreements.service.js';
import { BreachService } from './breach.service.js';

type In<S extends z.ZodType> = z.infer<S>;
const slaListQuery = z.strictObject({ vendorId: z.uuid().optional(), contractId: z.uuid().optional() });

/** Reads are open to vendor contacts: the tenant scope confines them to their own vendor's rows. */
@ApiTags('contracts')
@Controller()
export class AgreementsController {
  constructor(
    private readonly agreements: AgreementsService,
    private readonly breaches: BreachService,
  ) {}

  @Get('contracts')
  @Allow('contract.read')
  list(@ZodQuery(contractListQuery) q: In<typeof contractListQuery>) {
    return this.agreements.listContracts(q);
  }

  @Post('contracts')
  @Allow('contract.write')
  create(@ZodBody(createContractSchema) body: In<typeof createContractSchema>) {
    return this.agreements.createContract(body);
  }

  @Get('contracts/:id')
  @Allow('contract.read')
  get(@IdParam() id: string) {
    return this.agreements.getContract(id);
  }

  @Patch('contracts/:id')
  @Allow('contract.write')
  update(@IdParam() id: string, @ZodBody(updateContractSchema) body: In<typeof updateContractSchema>) {
    return this.agreements.updateContract(id, body);
  }

  @Get('slas')
  @Allow('sla.read')
  slas(@ZodQuery(slaListQuery) q: In<typeof slaListQuery>) {
    return this.agreements.listSlas(q.vendorId, q.contractId);
  }

  @Post('slas')
  @Allow('sla.write')
  async createSla(@ZodBody(createSlaSchema) body: In<typeof createSlaSchema>) {
    const sla = await this.agreements.createSla(body);
    await this.breaches.enqueueRecompute(RequestContext.actor().organizationId, sla.vendorId);
    return sla;
  }

  @Get('slas/:id')
  @Allow('sla.read')
  sla(@IdParam() id: string) {
    return this.agreements.getSla(id);
  }

  @Post('slas/:id/versions')
  @Allow('sla.write')
  async addVersion(@IdParam() id: string, @ZodBody(newSlaVersionSchema) body: In<typeof newSlaVersionSchema>) {
    const sla = await this.agreements.addVersion(id, body);
    await this.breaches.enqueueRecompute(RequestContext.actor().organizationId, sla.vendorId);
    return sla;
  }

  /** One entry per window: computed availability, the vendor's own figure, breach and credit. */
  @Get('slas/:id/attainment')
  @Allow('sla.read')
  attainment(@IdParam() id: string, @ZodQuery(attainmentQuery) q: In<typeof attainmentQuery>) {
    return this.agreements.attainment(id, q.from, q.to);
  }

  @Post('slas/:id/vendor-reports')
  @Allow('sla.vendor_report')
  @HttpCode(204)
  report(@IdParam() id: string, @ZodBody(vendorReportSchema) body: In<typeof vendorReportSchema>) {
    return this.agreements.fileVendorReport(id, body);
  }
}
