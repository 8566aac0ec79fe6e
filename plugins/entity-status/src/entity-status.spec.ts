import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { configJsonSchema, FeedParseError, HttpError, PermanentPluginError, secretKeys, type NormalizedSignal } from '@bulwark/plugin-sdk';
import { rejectionOf, startFixtureServer, testInstance, type FixtureServer } from '@bulwark/plugin-sdk/testing';

import { assessCompany } from './companies-house.js';
import { entityStatusPlugin, isValidLei, leiSignal, parseLeiDocument } from './index.js';

const fx = (name: string) => join(__dirname, '..', 'fixtures', name);
const read = (name: string) => readFileSync(fx(name));

const KEY = 'test-ch-key-0f1e2d';
const BASIC = `Basic ${Buffer.from(`${KEY}:`).toString('base64')}`;

/** A Companies House route: answers only with HTTP Basic auth (key as user name, empty password), like the real API. */
const ch =
  (name: string | null, status = 200) =>
  (req: IncomingMessage, res: ServerResponse) => {
    if (req.headers.authorization !== BASIC) {
      res.writeHead(401, { 'content-type': 'application/json' }).end(read('ch-error-401-invalid-authorization-handwritten.json'));
      return;
    }
    if (name === null) {
      res.writeHead(404, { 'content-type': 'application/json' }).end(read('ch-error-404-insolvency-not-found-handwritten.json'));
      return;
    }
    res.writeHead(status, { 'content-type': 'application/json' }).end(read(name));
  };
const gleif = (name: string) => ({ file: fx(name), headers: { 'content-type': 'application/vnd.api+json' } });

let server: FixtureServer;
beforeAll(async () => {
  server = await startFixtureServer({
    '/api/v1/lei-records/5493001KJTIIGC8Y1R12': gleif('lei-record-5493001KJTIIGC8Y1R12-bloomberg-finance-lp.json'),
    '/api/v1/lei-records/21380068P1DRHMJ8KU70': gleif('lei-record-21380068P1DRHMJ8KU70-shell-plc.json'),
    '/api/v1/lei-records/529900GRZ2BQY5ZM9N49': gleif('lei-record-529900GRZ2BQY5ZM9N49-puma-se-de.json'),
    '/api/v1/lei-records/549300LBI3LRIZ2V8V66': gleif('lei-record-549300LBI3LRIZ2V8V66-lapsed-prettyprinted.json'),
    '/api/v1/lei-records/9999009TESTENTITY106': gleif('lei-record-9999009TESTENTITY106-merged-inactive-handwritten.json'),
    '/api/v1/lei-records/9999009TESTENTITY203': gleif('lei-record-9999009TESTENTITY203-retired-active-handwritten.json'),
    // A mirror answering in the list form (filter[lei]) for NFA INTERNATIONAL, a lapsed record of the list.
    '/api/v1/lei-records/335800CCCPHKUOXPC332': gleif('lei-records-list-12-filter-by-lei-paginated.json'),
    '/api/v1/lei-records/INR2EJN1ERAN0W5ZP974': {
      body: '<!DOCTYPE html><html><body><h1>503 Service Temporarily Unavailable</h1></body></html>',
      headers: { 'content-type': 'text/html' },
    },
    '/api/v1/lei-records/984500983AD71E4FBC41': { body: '' },
    '/api/v1/lei-records/254900MSZM6DMP853B11': {
      status: 404,
      body: '{"errors":[{"status":"404","title":"Not Found"}]}',
      headers: { 'content-type': 'application/vnd.api+json' },
    },

    '/company/09990001': ch('ch-company-09990001-active-handwritten.json'),
    '/company/09990001/insolvency': ch(null),
    '/company/09990002': ch('ch-company-09990002-accounts-overdue-handwritten.json'),
    '/company/09990002/insolvency': ch(null),
    '/company/09990003': ch('ch-company-09990003-liquidation-handwritten.json'),
    '/company/09990003/insolvency': ch('ch-insolvency-09990003-administration-then-cvl-handwritten.json'),
    '/company/09990004': ch('ch-company-09990004-mvl-handwritten.json'),
    '/company/09990004/insolvency': ch('ch-insolvency-09990004-mvl-only-handwritten.json'),
    '/company/09990005': ch('ch-company-09990005-voluntary-arrangement-handwritten.json'),
    '/company/09990005/insolvency': ch('ch-insolvency-09990005-cva-handwritten.json'),
    '/company/09990006': ch('ch-company-09990006-dissolved-handwritten.json'),
    '/company/09990006/insolvency': ch(null),
    '/company/09990007': ch('ch-company-09990007-active-petitioned-handwritten.json'),
    '/company/09990007/insolvency': ch('ch-insolvency-09990007-petition-after-ended-cva-handwritten.json'),
    '/company/09990404': ch('ch-error-404-company-profile-not-found-handwritten.json', 404),
    '/company/09990501': {
      body: '<html><head><title>Companies House</title></head><body>Sorry, there is a problem with the service</body></html>',
      headers: { 'content-type': 'text/html' },
    },
    '/company/09990502': { body: '' },
    '/company/09990503': { status: 429, body: '', headers: { 'content-type': 'application/json' } },
  });
});
afterAll(async () => server.close());

const BASE = () => ({ gleifBaseUrl: server.url, companiesHouseBaseUrl: server.url });
const instance = (config: Record<string, unknown>) => testInstance(entityStatusPlugin, { ...BASE(), ...config } as never);
async function pollOne(config: Record<string, unknown>): Promise<NormalizedSignal> {
  const res = await instance(config).poll();
  expect(res.signals).toHaveLength(1);
  return res.signals[0]!;
}

describe('entity-status config', () => {
  it('declares kind, schedule and secret key', () => {
    expect(entityStatusPlugin).toMatchObject({
      id: 'entity-status',
      kind: 'financial',
      displayName: 'Entity status (GLEIF LEI, UK Companies House)',
    });
    expect(entityStatusPlugin.defaultSchedule.everySeconds).toBeGreaterThanOrEqual(3600);
    expect(secretKeys(entityStatusPlugin.configSchema)).toEqual(['companiesHouseApiKey']);
    const schema = configJsonSchema(entityStatusPlugin.configSchema) as { properties: Record<string, Record<string, unknown>> };
    expect(Object.keys(schema.properties)).toEqual([
      'lei',
      'companyNumber',
      'gleifBaseUrl',
      'companiesHouseBaseUrl',
      'companiesHouseApiKey',
    ]);
    expect(schema.properties['companiesHouseApiKey']).toMatchObject({ type: 'string', writeOnly: true });
    expect(schema.properties['gleifBaseUrl']).toMatchObject({ default: 'https://api.gleif.org' });
  });

  it('requires an LEI or a company number, and an API key with a company number', () => {
    const none = entityStatusPlugin.configSchema.safeParse({});
    expect(none.success).toBe(false);
    expect(none.error?.issues[0]?.message).toBe('Set an LEI, a UK company number, or both');
    const noKey = entityStatusPlugin.configSchema.safeParse({ companyNumber: '09990001' });
    expect(noKey.success).toBe(false);
    expect(noKey.error?.issues[0]?.path).toEqual(['companiesHouseApiKey']);
    expect(entityStatusPlugin.configSchema.parse({ lei: ' 5493001kjtiigc8y1r12 ' })).toEqual({
      lei: '5493001KJTIIGC8Y1R12',
      gleifBaseUrl: 'https://api.gleif.org',
      companiesHouseBaseUrl: 'https://api.company-information.service.gov.uk',
    });
    expect(entityStatusPlugin.configSchema.safeParse({ companyNumber: 'sc123456', companiesHouseApiKey: 'k' }).data?.companyNumber).toBe(
      'SC123456',
    );
    for (const bad of [
      { lei: '5493001KJTIIGC8Y1R1' },
      { lei: '5493001KJTIIGC8Y1R13' },
      { companyNumber: '1234567', companiesHouseApiKey: 'k' },
    ]) {
      expect(entityStatusPlugin.configSchema.safeParse(bad).success).toBe(false);
    }
  });

  it('checks LEI check digits (ISO 17442) on every real LEI', () => {
    for (const lei of [
      '5493001KJTIIGC8Y1R12',
      '529900GRZ2BQY5ZM9N49',
      '21380068P1DRHMJ8KU70',
      '549300LBI3LRIZ2V8V66',
      'INR2EJN1ERAN0W5ZP974',
    ])
      expect(isValidLei(lei)).toBe(true);
    expect(isValidLei('5493001KJTIIGC8Y1R21')).toBe(false);
  });
});

describe('GLEIF LEI records (real recordings)', () => {
  it('Bloomberg Finance L.P.: ISSUED + ACTIVE → operational', async () => {
    const s = await pollOne({ lei: '5493001KJTIIGC8Y1R12' });
    expect(s).toMatchObject({
      externalId: 'lei:5493001KJTIIGC8Y1R12',
      signalType: 'entity_status',
      level: 'operational',
      lifecycle: null,
      title: 'Bloomberg Finance L.P.: LEI ISSUED, entity ACTIVE',
      updatedAt: '2025-01-06T14:35:04.000Z',
      url: 'https://search.gleif.org/#/record/5493001KJTIIGC8Y1R12',
    });
    expect(s.score).toEqual({
      model: 'lei-status',
      value: null,
      band: 'ISSUED',
      inputs: {
        entityStatus: 'ACTIVE',
        nextRenewalDate: '2026-01-25T16:50:02.000Z',
        lastUpdateDate: '2025-01-06T14:35:04.000Z',
        legalName: 'Bloomberg Finance L.P.',
        expiration: { date: null, reason: null },
        jurisdiction: 'US-DE',
        category: 'GENERAL',
      },
    });
    expect(server.requests.at(-1)?.headers['accept']).toBe('application/vnd.api+json');
  });

  it('Shell plc and PUMA SE (de-DE legal name): operational', async () => {
    const shell = await pollOne({ lei: '21380068P1DRHMJ8KU70' });
    expect(shell).toMatchObject({
      level: 'operational',
      title: 'SHELL PLC: LEI ISSUED, entity ACTIVE',
      updatedAt: '2025-05-06T15:51:56.000Z',
    });
    const puma = await pollOne({ lei: '529900GRZ2BQY5ZM9N49' });
    expect(puma).toMatchObject({
      externalId: 'lei:529900GRZ2BQY5ZM9N49',
      level: 'operational',
      title: 'PUMA SE: LEI ISSUED, entity ACTIVE',
      updatedAt: '2024-08-28T10:36:27.000Z',
    });
    expect(puma.score?.inputs).toMatchObject({ nextRenewalDate: '2025-10-22T22:00:00.000Z', jurisdiction: 'DE' });
  });

  it('a lapsed registration (pretty-printed recording) → info, naming the missed renewal', async () => {
    const s = await pollOne({ lei: '549300LBI3LRIZ2V8V66' });
    expect(s).toMatchObject({
      level: 'info',
      title: 'UK EQUITY FUND (OFFSHORE): LEI LAPSED, entity ACTIVE',
      updatedAt: '2023-07-31T17:11:36.000Z',
    });
    expect(s.score).toMatchObject({
      band: 'LAPSED',
      inputs: { entityStatus: 'ACTIVE', nextRenewalDate: '2014-11-01T10:44:00.000Z', category: 'FUND' },
    });
    expect(s.detail).toContain('due for renewal on 2014-11-01');
  });

  it('a list answer (filter[lei], paginated recording) is accepted and the requested record picked', async () => {
    const s = await pollOne({ lei: '335800CCCPHKUOXPC332' });
    expect(s).toMatchObject({
      externalId: 'lei:335800CCCPHKUOXPC332',
      level: 'info',
      title: 'NFA INTERNATIONAL: LEI LAPSED, entity ACTIVE',
    });
  });

  it('maps every record of the 12-record list (escaped slashes) by its registration status', () => {
    const doc = JSON.parse(read('lei-records-list-12-filter-by-lei-paginated.json').toString('utf8')) as { data: { id: string }[] };
    const levels = doc.data.map((r) => {
      const rec = parseLeiDocument(doc, r.id)!;
      return [rec.attributes.entity.legalName.name, leiSignal(rec).level];
    });
    expect(levels).toHaveLength(12);
    expect(levels.filter(([, l]) => l === 'operational')).toHaveLength(11);
    expect(levels.find(([n]) => n === 'NFA INTERNATIONAL')?.[1]).toBe('info');
    expect(levels.find(([n]) => n === 'MICROSOFT CORPORATION')?.[1]).toBe('operational');
  });

  it('hand-written: MERGED registration with an INACTIVE entity → major_outage with the successor', async () => {
    const s = await pollOne({ lei: '9999009TESTENTITY106' });
    expect(s).toMatchObject({
      level: 'major_outage',
      title: 'Merged Away Holdings L.P.: LEI MERGED, entity INACTIVE',
      updatedAt: '2024-10-14T09:12:40.000Z',
    });
    expect(s.score?.inputs).toMatchObject({
      expiration: { date: '2024-09-30T00:00:00.000Z', reason: 'CORPORATE_ACTION' },
      successorEntity: { lei: '5493001KJTIIGC8Y1R12', name: 'Bloomberg Finance L.P.' },
    });
    expect(s.detail).toContain('Entity expiration: CORPORATE_ACTION on 2024-09-30');
  });

  it('hand-written: RETIRED registration of an active entity → degraded', async () => {
    expect(await pollOne({ lei: '9999009TESTENTITY203' })).toMatchObject({ level: 'degraded', score: { band: 'RETIRED' } });
  });

  it('HTML page or empty body → FeedParseError; unknown LEI (404) → PermanentPluginError', async () => {
    expect(await rejectionOf(instance({ lei: 'INR2EJN1ERAN0W5ZP974' }).poll())).toBeInstanceOf(FeedParseError);
    expect(await rejectionOf(instance({ lei: '984500983AD71E4FBC41' }).poll())).toBeInstanceOf(FeedParseError);
    const nf = await rejectionOf(instance({ lei: '254900MSZM6DMP853B11' }).poll());
    expect(nf).toBeInstanceOf(PermanentPluginError);
    expect(nf.message).toMatch(/not found/);
  });
});

describe('Companies House (hand-written, documented format)', () => {
  const chConfig = (companyNumber: string, key = KEY) => ({ companyNumber, companiesHouseApiKey: key });

  it('an active company with no insolvency history (insolvency 404) → operational; Basic auth arrives', async () => {
    const before = server.requests.length;
    const s = await pollOne(chConfig('09990001'));
    expect(s).toMatchObject({
      externalId: 'ch:09990001',
      signalType: 'entity_status',
      level: 'operational',
      title: 'EXAMPLE WIDGETS LIMITED (09990001): active',
      url: 'https://find-and-update.company-information.service.gov.uk/company/09990001',
      updatedAt: '2024-06-14T00:00:00.000Z',
    });
    expect(s.score).toMatchObject({
      model: 'companies-house-status',
      value: null,
      band: 'active',
      inputs: { accountsOverdue: false, hasInsolvencyHistory: false, insolvencyCases: [] },
    });
    expect(s.detail).toContain('No insolvency history.');
    const reqs = server.requests.slice(before);
    expect(reqs.map((r) => r.path)).toEqual(['/company/09990001', '/company/09990001/insolvency']);
    for (const r of reqs) expect(r.headers.authorization).toBe(BASIC);
    expect(Buffer.from(reqs[0]!.headers.authorization!.slice(6), 'base64').toString()).toBe(`${KEY}:`);
  });

  it('overdue accounts → degraded', async () => {
    const s = await pollOne(chConfig('09990002'));
    expect(s).toMatchObject({
      level: 'degraded',
      title: 'LATE FILERS TRADING LIMITED (09990002): active, accounts overdue',
      updatedAt: '2024-09-30T00:00:00.000Z',
    });
    expect(s.score?.inputs).toMatchObject({ accountsOverdue: true, accountsNextDue: '2024-09-30', confirmationStatementOverdue: false });
  });

  it('liquidation after administration (case numbers int and string) → major_outage', async () => {
    const s = await pollOne(chConfig('09990003'));
    expect(s.level).toBe('major_outage');
    expect(s.title).toBe('BUSTED SUPPLIES LIMITED (09990003): liquidation, accounts overdue, confirmation statement overdue');
    expect(s.score?.inputs).toMatchObject({
      hasInsolvencyHistory: true,
      insolvencyCases: [
        {
          type: 'in-administration',
          number: '1',
          dates: [
            { type: 'administration-started-on', date: '2024-03-04' },
            { type: 'administration-ended-on', date: '2024-11-18' },
          ],
          practitioners: [{ name: 'Alex Example', role: 'practitioner' }],
        },
        { type: 'creditors-voluntary-liquidation', number: '2', dates: [{ type: 'wound-up-on', date: '2024-11-18' }] },
      ],
    });
    expect(s.detail).toContain('creditors-voluntary-liquidation (case 2): wound-up-on 2024-11-18');
    expect(s.updatedAt).toBe('2024-11-18T00:00:00.000Z');
  });

  it("an insolvency history whose only case is a members' voluntary liquidation → info", async () => {
    const s = await pollOne(chConfig('09990004'));
    expect(s).toMatchObject({ level: 'info', score: { band: 'liquidation' } });
    expect(s.detail).toContain("members' voluntary liquidation");
  });

  it('an active company with a winding-up petition pending → major_outage; a CVA that ended long ago adds nothing', async () => {
    const s = await pollOne(chConfig('09990007'));
    expect(s).toMatchObject({ level: 'major_outage', score: { band: 'active' } });
    expect(s.detail).toContain('an ongoing compulsory liquidation case (no. 2)');
    expect(s.detail).not.toContain('ongoing corporate voluntary arrangement');
    const ended = {
      cases: [
        { type: 'corporate-voluntary-arrangement', number: 1, dates: [{ type: 'voluntary-arrangement-ended-on', date: '2021-03-01' }] },
      ],
    };
    expect(assessCompany({ company_status: 'active' } as never, ended).level).toBe('operational');
  });

  it('voluntary arrangement → partial_outage; dissolved → major_outage', async () => {
    expect(await pollOne(chConfig('09990005'))).toMatchObject({
      level: 'partial_outage',
      score: { inputs: { insolvencyCases: [{ type: 'corporate-voluntary-arrangement', number: '1' }] } },
    });
    const gone = await pollOne(chConfig('09990006'));
    expect(gone).toMatchObject({
      level: 'major_outage',
      updatedAt: '2023-05-09T00:00:00.000Z',
      score: { inputs: { dateOfCessation: '2023-05-09' } },
    });
    expect(gone.detail).toContain('Ceased on 2023-05-09.');
  });

  it('unknown company (404) → PermanentPluginError "company not found"', async () => {
    const err = await rejectionOf(instance(chConfig('09990404')).poll());
    expect(err).toBeInstanceOf(PermanentPluginError);
    expect(err.message).toBe('Companies House: company 09990404 not found');
  });

  it('a bad API key (401) → PermanentPluginError', async () => {
    const err = await rejectionOf(instance(chConfig('09990001', 'wrong-key')).poll());
    expect(err).toBeInstanceOf(PermanentPluginError);
    expect(err.message).toMatch(/API key was rejected \(HTTP 401\)/);
    expect(await instance(chConfig('09990001', 'wrong-key')).selfTest()).toMatchObject({ ok: false });
  });

  it('HTML page or empty body → FeedParseError; 429 is retried (not permanent)', async () => {
    expect(await rejectionOf(instance(chConfig('09990501')).poll())).toBeInstanceOf(FeedParseError);
    expect(await rejectionOf(instance(chConfig('09990502')).poll())).toBeInstanceOf(FeedParseError);
    const limited = await rejectionOf(instance(chConfig('09990503')).poll());
    expect(limited).toBeInstanceOf(HttpError);
    expect((limited as HttpError).permanent).toBe(false);
  });
});

describe('both registries in one source', () => {
  it('returns one signal per registry, identical across polls; selfTest names both', async () => {
    const inst = instance({ lei: '5493001KJTIIGC8Y1R12', ...{ companyNumber: '09990003', companiesHouseApiKey: KEY } });
    const a = await inst.poll();
    const b = await inst.poll();
    expect(a.signals.map((s) => [s.externalId, s.level])).toEqual([
      ['lei:5493001KJTIIGC8Y1R12', 'operational'],
      ['ch:09990003', 'major_outage'],
    ]);
    expect(b.signals).toEqual(a.signals);
    expect(await inst.selfTest()).toEqual({ ok: true, message: 'GLEIF: Bloomberg Finance L.P.; Companies House: BUSTED SUPPLIES LIMITED' });
  });
});
