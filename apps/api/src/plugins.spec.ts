import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

import { SIGNAL_LEVEL_VALUES } from '@bulwark/api-schema';
import { configJsonSchema, pluginTable, SIGNAL_LEVELS } from '@bulwark/plugin-sdk';

import { PLUGIN_LIST } from './plugins.js';

describe('the plugin list', () => {
  it('holds the seven plugins with unique ids, each with a base URL setting when it fetches', () => {
    const ids = PLUGIN_LIST.map((r) => r.plugin.id);
    expect(ids).toEqual(['statuspage', 'gcp-status', 'aws-health', 'azure-status', 'sec-edgar', 'entity-status', 'webhook-ingest']);
    for (const { plugin } of PLUGIN_LIST) {
      if (plugin.push) continue;
      const props = Object.keys((configJsonSchema(plugin.configSchema) as { properties: object }).properties);
      expect(
        props.some((p) => /baseUrl$/i.test(p)),
        plugin.id,
      ).toBe(true);
    }
    expect(PLUGIN_LIST.find((r) => r.plugin.id === 'webhook-ingest')?.push).toBeDefined();
  });

  it('the README plugin section is generated from the definitions (npm run docs:plugins)', () => {
    const readme = readFileSync(resolve(__dirname, '../../../README.md'), 'utf8');
    expect(readme).toContain(`<!-- plugins:start -->\n${pluginTable(PLUGIN_LIST.map((r) => r.plugin))}\n<!-- plugins:end -->`);
  });

  it('the API contract and the SDK agree on signal levels', () => {
    expect([...SIGNAL_LEVEL_VALUES]).toEqual([...SIGNAL_LEVELS]);
  });
});
