import { describe, expect, it } from 'vitest';

import { awsHealthPlugin } from '@bulwark/plugin-aws-health';
import { AZURE_REGIONS, azureStatusPlugin } from '@bulwark/plugin-azure-status';
import { entityStatusPlugin } from '@bulwark/plugin-entity-status';
import { gcpStatusPlugin } from '@bulwark/plugin-gcp-status';
import { secEdgarPlugin } from '@bulwark/plugin-sec-edgar';
import { statuspagePlugin } from '@bulwark/plugin-statuspage';

import { DEMO_DEPENDENCIES, DEMO_FINANCIAL_SOURCES, DEMO_HEALTH_SOURCES, DEMO_SYSTEMS, DEMO_VENDORS } from './demo-data.js';

describe('demo data', () => {
  it('has at least six internal AI systems, each with required RTO/RPO and dependencies on known services', () => {
    const services = new Set(DEMO_VENDORS.flatMap((v) => v.services.map((s) => s.name)));
    const aiSystems = DEMO_SYSTEMS.filter((s) => s.isAiSystem);
    expect(aiSystems.length).toBeGreaterThanOrEqual(6);
    for (const s of aiSystems) {
      expect(Number.isInteger(s.requiredRtoMinutes), s.name).toBe(true);
      expect(Number.isInteger(s.requiredRpoMinutes), s.name).toBe(true);
      expect(DEMO_DEPENDENCIES.filter((d) => d.system === s.name).length, `${s.name} has dependencies`).toBeGreaterThan(0);
    }
    for (const d of DEMO_DEPENDENCIES) {
      expect(
        DEMO_SYSTEMS.map((s) => s.name),
        d.system,
      ).toContain(d.system);
      expect(services.has(d.service), d.service).toBe(true);
      if (d.alternative) expect(services.has(d.alternative), d.alternative).toBe(true);
    }
    expect(new Set(DEMO_SYSTEMS.map((s) => s.name)).size).toBe(DEMO_SYSTEMS.length);
  });

  it('gives several vendors a 9-digit DUNS number next to their LEI, CIK or company number', () => {
    const withDuns = DEMO_VENDORS.filter((v) => v.identifiers?.duns);
    expect(withDuns.length).toBeGreaterThanOrEqual(3);
    for (const v of withDuns) expect(v.identifiers!.duns, v.name).toMatch(/^\d{9}$/);
    expect(new Set(withDuns.map((v) => v.identifiers!.duns)).size).toBe(withDuns.length);
    // The real identifiers stay.
    expect(DEMO_VENDORS.find((v) => v.name === 'Bloomberg')!.identifiers).toMatchObject({ lei: '5493001KJTIIGC8Y1R12' });
    expect(DEMO_VENDORS.find((v) => v.name === 'Amazon Web Services')!.identifiers).toMatchObject({ cik: '1018724' });
  });
});

describe('demo signal sources', () => {
  const plugins = {
    statuspage: statuspagePlugin,
    'aws-health': awsHealthPlugin,
    'azure-status': azureStatusPlugin,
    'gcp-status': gcpStatusPlugin,
  };
  /** The endpoint each plugin reads, by the shape of its real host. */
  const endpoint: Record<string, RegExp> = {
    statuspage: /^https:\/\/status\.[a-z0-9-]+\.com$/,
    'aws-health': /^https:\/\/health\.aws\.amazon\.com$/,
    'azure-status': /^https:\/\/rssfeed\.azure\.status\.microsoft$/,
    'gcp-status': /^https:\/\/status\.cloud\.google\.com$/,
  };

  it("give each covered service a config its plugin accepts, pointing at the plugin's real endpoint", () => {
    for (const [vendor, source] of Object.entries(DEMO_HEALTH_SOURCES)) {
      const v = DEMO_VENDORS.find((x) => x.name === vendor)!;
      for (const service of v.services) {
        const parsed = plugins[source.plugin].configSchema.safeParse(source.config(service));
        expect(parsed.success, `${vendor} / ${service.name}: ${parsed.error?.message}`).toBe(true);
        const config = parsed.data as { baseUrl: string; services?: string[]; regions?: string[]; components?: string[] };
        expect(config.baseUrl, vendor).toMatch(endpoint[source.plugin]!);
        // A filter that names what the feed names: an AWS service code, an Azure region display name, a component, a GCP product.
        if (source.plugin === 'aws-health') expect(config.services).toEqual([expect.stringMatching(/^[a-z0-9]+$/)]);
        if (source.plugin === 'azure-status') for (const r of config.regions!) expect(AZURE_REGIONS, vendor).toContain(r);
        if (source.plugin === 'statuspage') expect(config.components).toEqual([service.name]);
        if (source.plugin === 'gcp-status')
          expect((config as { products?: string[] }).products).toEqual([expect.stringMatching(/^(Google |Vertex AI )/)]);
      }
    }
    // The cloud vendors read their own feeds, never the Statuspage plugin.
    expect(DEMO_HEALTH_SOURCES['Amazon Web Services']!.plugin).toBe('aws-health');
    expect(DEMO_HEALTH_SOURCES['Microsoft Azure']!.plugin).toBe('azure-status');
    expect(DEMO_HEALTH_SOURCES['Google Cloud']!.plugin).toBe('gcp-status');
    // Salesforce Trust serves no Statuspage API: no source rather than a wrong one.
    expect(DEMO_HEALTH_SOURCES['Salesforce']).toBeUndefined();
  });

  it('give every vendor with a CIK an SEC EDGAR source and every vendor with an LEI a GLEIF one, with valid configs', () => {
    for (const v of DEMO_VENDORS) {
      const source = DEMO_FINANCIAL_SOURCES[v.name];
      if (v.identifiers?.cik) {
        expect(source?.plugin, v.name).toBe('sec-edgar');
        expect(secEdgarPlugin.configSchema.safeParse({ cik: v.identifiers.cik }).success, v.name).toBe(true);
      } else if (v.identifiers?.lei) {
        expect(source?.plugin, v.name).toBe('entity-status');
        const parsed = entityStatusPlugin.configSchema.safeParse({ lei: v.identifiers.lei });
        expect(parsed.success, v.name).toBe(true);
        expect(parsed.data?.gleifBaseUrl).toBe('https://api.gleif.org');
      } else expect(source, v.name).toBeUndefined();
    }
  });
});
