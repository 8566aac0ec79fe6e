import { Module, type DynamicModule } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';

import { AGREEMENTS_ENTITIES, AgreementsModule } from '@bulwark/agreements';
import { AUDITS_ENTITIES, AuditsModule } from '@bulwark/audits';
import { EVIDENCE_ENTITIES, EvidenceModule } from '@bulwark/evidence';
import { FINDINGS_ENTITIES, FindingsModule } from '@bulwark/findings';
import { IDENTITY_ENTITIES, IdentityModule } from '@bulwark/identity';
import { INVENTORY_ENTITIES, InventoryModule } from '@bulwark/inventory';
import { MIGRATIONS } from '@bulwark/migrations';
import { dataSourceOptions, PLATFORM_ENTITIES, PlatformModule, type AppConfig, type DataSourceParams } from '@bulwark/platform';
import { QUESTIONNAIRES_ENTITIES, QuestionnairesModule } from '@bulwark/questionnaires';
import { ResilienceModule } from '@bulwark/resilience';
import { SIGNALS_ENTITIES, SignalsModule } from '@bulwark/signals';
import { SLAS_ENTITIES, SlasModule } from '@bulwark/slas';

import { PLUGIN_LIST, PLUGIN_LIST_MODULE } from './plugins.js';

export const ENTITIES = [
  ...PLATFORM_ENTITIES,
  ...IDENTITY_ENTITIES,
  ...INVENTORY_ENTITIES,
  ...SIGNALS_ENTITIES,
  ...AGREEMENTS_ENTITIES,
  ...SLAS_ENTITIES,
  ...FINDINGS_ENTITIES,
  ...EVIDENCE_ENTITIES,
  ...QUESTIONNAIRES_ENTITIES,
  ...AUDITS_ENTITIES,
];

export function databaseParams(url: string, poolSize: number): DataSourceParams {
  return { url, entities: ENTITIES, migrations: MIGRATIONS, poolSize };
}

/** Composes the platform with the feature modules. The database URL is resolved before (embedded or not). */
@Module({})
export class AppModule {
  static forRoot(config: AppConfig, databaseUrl: string, opts: { http?: boolean } = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        PlatformModule.forRoot(config, opts),
        TypeOrmModule.forRoot(dataSourceOptions(databaseParams(databaseUrl, config.database.poolSize))),
        IdentityModule,
        InventoryModule,
        SignalsModule.forRoot(PLUGIN_LIST, PLUGIN_LIST_MODULE),
        AgreementsModule,
        SlasModule,
        ResilienceModule,
        FindingsModule,
        EvidenceModule,
        QuestionnairesModule,
        AuditsModule,
      ],
    };
  }
}
