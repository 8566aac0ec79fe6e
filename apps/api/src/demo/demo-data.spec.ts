import { describe, expect, it } from 'vitest';

import { DEMO_DEPENDENCIES, DEMO_SYSTEMS, DEMO_VENDORS } from './demo-data.js';

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
