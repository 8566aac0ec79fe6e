import { Module, type DynamicModule } from '@nestjs/common';

import { InventoryModule } from '@bulwark/inventory';
import { AuditEntityNames } from '@bulwark/platform';

import { FinancialHealth } from './financial-health.js';
import { SourceHttpCache } from './http-cache.js';
import { IngestController } from './ingest.controller.js';
import { IngestService } from './ingest.service.js';
import { PluginRegistry, PLUGINS, type PluginRegistration } from './plugin-registry.js';
import { PluginRunner } from './plugin-runner.js';
import { PLUGIN_LIST_MODULE, PluginSandbox, type PluginListModule } from './plugin-sandbox.js';
import { PluginController } from './plugin.controller.js';
import { PollJob } from './poll.job.js';
import { PollService } from './poll.service.js';
import { PushService } from './push.service.js';
import { RawEvidence } from './raw-evidence.js';
import { SignalQueryService } from './signal-query.service.js';
import { SignalController } from './signal.controller.js';
import { SourceSecrets } from './source-secrets.js';
import { SourceController } from './source.controller.js';
import { SignalSourceService } from './source.service.js';

/** Signal sources, polling, ingestion and queries, for the plugins the app lists. */
@Module({})
export class SignalsModule {
  /** How this area's records are named in the audit log. */
  constructor(names: AuditEntityNames) {
    names.register('signal_source', { table: 'signal_sources', label: 't.name' });
  }

  /**
   * `pluginList` names the module that exports `plugins` (its file and export name): the worker thread
   * of a source test run (`PluginSandbox`) loads the plugins from it.
   */
  static forRoot(plugins: PluginRegistration[], pluginList: PluginListModule): DynamicModule {
    return {
      module: SignalsModule,
      imports: [InventoryModule],
      controllers: [PluginController, SourceController, SignalController, IngestController],
      providers: [
        { provide: PLUGINS, useValue: plugins },
        { provide: PLUGIN_LIST_MODULE, useValue: pluginList },
        PluginSandbox,
        PluginRegistry,
        SourceSecrets,
        SourceHttpCache,
        PluginRunner,
        SignalSourceService,
        RawEvidence,
        FinancialHealth,
        IngestService,
        PollService,
        PollJob,
        PushService,
        SignalQueryService,
      ],
      exports: [PluginRegistry, PollService, SignalSourceService, SignalQueryService, RawEvidence, IngestService, FinancialHealth],
    };
  }
}
