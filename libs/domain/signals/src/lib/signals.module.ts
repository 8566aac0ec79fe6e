import { Module, type DynamicModule } from '@nestjs/common';
import { InventoryModule } from '@bulwark/inventory';
import { PLUGINS, PluginRegistry, type PluginRegistration } from './plugin-registry.js';
import { PollService } from './poll.service.js';
import { RawEvidence } from './raw-evidence.js';
import { SignalQueryService } from './signal-query.service.js';
import { SignalsController } from './signals.controller.js';
import { SourceHttpCache } from './http-cache.js';
import { PluginRunner } from './plugin-runner.js';
import { SourceSecrets } from './source-secrets.js';
import { SignalSourceService } from './source.service.js';

/** Signal sources, polling, ingestion and queries, for the plugins the app lists. */
@Module({})
export class SignalsModule {
  static forRoot(plugins: PluginRegistration[]): DynamicModule {
    return {
      module: SignalsModule,
      imports: [InventoryModule],
      controllers: [SignalsController],
      providers: [{ provide: PLUGINS, useValue: plugins }, PluginRegistry, SourceSecrets, SourceHttpCache, PluginRunner, SignalSourceService, PollService, SignalQueryService, RawEvidence],
      exports: [PluginRegistry, PollService, SignalSourceService, SignalQueryService, RawEvidence],
    };
  }
}
