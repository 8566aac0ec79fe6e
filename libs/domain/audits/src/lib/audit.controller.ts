import { Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';

import {
  auditDetailSchema,
  auditItemDecisionSchema,
  auditItemResponseSchema,
  auditListQuery,
  auditTransitionSchema,
  auditViewSchema,
  createAuditSchema,
  entitlementQuery,
  entitlementSchema,
  newAuditItemSchema,
  pageOf,
  windowDecisionSchema,
  type Input,
} from '@bulwark/api-schema';
import { Allow, IdParam, Returns, ZodBody, ZodQuery } from '@bulwark/platform';

import { AuditItems } from './audit-items.service.js';
import { AuditService } from './audit.service.js';

/** Right-to-audit requests. Reads are open to vendor contacts: the tenant scope confines them to their own vendor's issued audits. */
@ApiTags('audits')
@Controller('audits')
export class AuditController {
  constructor(
    private readonly audits: AuditService,
    private readonly items: AuditItems,
  ) {}

  @Get('entitlement')
  @Allow('audit_request.entitlement')
  @Returns(entitlementSchema)
  entitlement(@ZodQuery(entitlementQuery) q: Input<typeof entitlementQuery>) {
    return this.audits.entitlement(q);
  }

  @Get()
  @Allow('audit_request.read')
  @Returns(pageOf(auditViewSchema))
  list(@ZodQuery(auditListQuery) q: Input<typeof auditListQuery>) {
    return this.audits.list(q);
  }

  @Post()
  @Allow('audit_request.write')
  @HttpCode(201)
  @Returns(auditDetailSchema, 201)
  create(@ZodBody(createAuditSchema) body: Input<typeof createAuditSchema>) {
    return this.audits.create(body);
  }

  @Get(':id')
  @Allow('audit_request.read')
  @Returns(auditDetailSchema)
  get(@IdParam() id: string) {
    return this.audits.get(id);
  }

  @Post(':id/transitions')
  @Allow('audit_request.transition')
  @HttpCode(200)
  @Returns(auditDetailSchema)
  transition(@IdParam() id: string, @ZodBody(auditTransitionSchema) body: Input<typeof auditTransitionSchema>) {
    return this.audits.transition(id, body);
  }

  /** Accept or reject the window the vendor proposed instead. */
  @Post(':id/window-decision')
  @Allow('audit_request.write')
  @HttpCode(200)
  @Returns(auditDetailSchema)
  decideWindow(@IdParam() id: string, @ZodBody(windowDecisionSchema) body: Input<typeof windowDecisionSchema>) {
    return this.audits.decideWindow(id, body);
  }

  /** One more requested item (before the end of fieldwork). */
  @Post(':id/items')
  @Allow('audit_request.write')
  @HttpCode(201)
  @Returns(auditDetailSchema, 201)
  addItem(@IdParam() id: string, @ZodBody(newAuditItemSchema) body: Input<typeof newAuditItemSchema>) {
    return this.items.add(id, body);
  }

  @Post(':id/items/:itemId/responses')
  @Allow('audit_request.respond')
  @HttpCode(200)
  @Returns(auditDetailSchema)
  respond(
    @IdParam() id: string,
    @IdParam('itemId') itemId: string,
    @ZodBody(auditItemResponseSchema) body: Input<typeof auditItemResponseSchema>,
  ) {
    return this.items.respond(id, itemId, body);
  }

  @Post(':id/items/:itemId/decision')
  @Allow('audit_request.write')
  @HttpCode(200)
  @Returns(auditDetailSchema)
  decide(
    @IdParam() id: string,
    @IdParam('itemId') itemId: string,
    @ZodBody(auditItemDecisionSchema) body: Input<typeof auditItemDecisionSchema>,
  ) {
    return this.items.decide(id, itemId, body);
  }
}
