import { Module } from '@nestjs/common';
import { AgreementsController } from './agreements.controller.js';
import { AgreementsService } from './agreements.service.js';
import { BreachController } from './breach.controller.js';
import { BreachService } from './breach.service.js';
import { ContractDocuments, ContractDocumentsController } from './documents.js';
import { NegotiationController } from './negotiation.controller.js';
import { NegotiationService } from './negotiation.service.js';

@Module({
  controllers: [AgreementsController, NegotiationController, BreachController, ContractDocumentsController],
  providers: [AgreementsService, NegotiationService, BreachService, ContractDocuments],
  exports: [AgreementsService, NegotiationService, BreachService, ContractDocuments],
})
export class AgreementsModule {}
