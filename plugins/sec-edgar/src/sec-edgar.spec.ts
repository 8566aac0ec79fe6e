import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { configJsonSchema, FeedParseError, HttpError, PermanentPluginError, type NormalizedSignal } from '@bulwark/plugin-sdk';
import { rejectionOf, startFixtureServer, testInstance, type FixtureServer } from '@bulwark/plugin-sdk/testing';

import type { AltmanModel } from './altman.js';
import { chooseModel, computeScore, parseSubmissions, secEdgarPlugin } from './index.js';

const fx = (name: string) => join(__dirname, '..', 'fixtures', name);
const file = (name: string) => ({ file: fx(name) });
const facts = (cik: string) => `/api/xbrl/companyfacts/CIK${cik}.json`;
const subs = (cik: string) => `/submissions/CIK${cik}.json`;

const ACME = '0009990001';
const NOCURRENT = '0009990002';
const LEAN = '0009990003';
const RESTATED = '0009990004';
const BANK = '0009990005';
const MARVELL = '0001835632';
const LPA = '0001997711';
const FUND = '0001800903';
const MSFT = '0000789019';

let server: FixtureServer;
beforeAll(async () => {
  server = await startFixtureServer({
    [subs(ACME)]: file('acme-manufacturer-CIK0009990001-submissions-handwritten.json'),
    [facts(ACME)]: file('acme-manufacturer-CIK0009990001-companyfacts-handwritten.json'),
    [subs(NOCURRENT)]: file('nocurrent-manufacturer-CIK0009990002-submissions-handwritten.json'),
    [facts(NOCURRENT)]: file('nocurrent-manufacturer-CIK0009990002-companyfacts-handwritten.json'),
    [subs(LEAN)]: file('lean-services-lse-only-CIK0009990003-submissions-handwritten.json'),
    [facts(LEAN)]: file('lean-services-lse-only-CIK0009990003-companyfacts-handwritten.json'),
    [subs(RESTATED)]: file('restated-software-10ka-CIK0009990004-submissions-handwritten.json'),
    [facts(RESTATED)]: file('restated-software-10ka-CIK0009990004-companyfacts-handwritten.json'),
    [subs(BANK)]: file('first-example-bancorp-CIK0009990005-submissions-handwritten.json'),
    [subs(MARVELL)]: file('marvell-CIK0001835632-submissions-handwritten-minimal.json'),
    [facts(MARVELL)]: file('marvell-CIK0001835632-companyfacts.json'),
    [subs(LPA)]: file('logistic-properties-CIK0001997711-submissions-handwritten-minimal.json'),
    [facts(LPA)]: file('logistic-properties-CIK0001997711-companyfacts-ifrs-prettyprinted.json'),
    [subs(FUND)]: file('vest-domestic-fund-CIK0001800903-submissions-minimal.json'),
    // The fund files Form D only: EDGAR has no companyfacts for it (the server's default 404).
    [subs(MSFT)]: file('microsoft-CIK0000789019-submissions.json'),
    // Malformed answers, served for otherwise valid CIKs.
    [subs('0000000111')]: file('acme-manufacturer-CIK0009990001-submissions-handwritten.json'),
    [facts('0000000111')]: {
      body: '<!DOCTYPE html><html><body><h1>Request Rate Threshold Exceeded</h1></body></html>',
      headers: { 'content-type': 'text/html' },
    },
    [subs('0000000112')]: file('acme-manufacturer-CIK0009990001-submissions-handwritten.json'),
    [facts('0000000112')]: { body: '' },
    [subs('0000000113')]: file('acme-manufacturer-CIK0009990001-submissions-handwritten.json'),
    [facts('0000000113')]: { body: '{"message":"Not Authorized","facts":[]}' },
    [subs('0000000114')]: { body: '<html><body>Service Unavailable</body></html>', headers: { 'content-type': 'text/html' } },
    [subs('0000000115')]: {
      status: 403,
      body: '<html><body>Your Request Originates from an Undeclared Automated Tool</body></html>',
      headers: { 'content-type': 'text/html' },
    },
    [subs('0000000116')]: { status: 503, body: '<html><body>Service Unavailable</body></html>', headers: { 'content-type': 'text/html' } },
    [subs('0000000117')]: file('acme-manufacturer-CIK0009990001-submissions-handwritten.json'),
    // A mirror answering with another filer's facts.
    [facts('0000000117')]: file('restated-software-10ka-CIK0009990004-companyfacts-handwritten.json'),
  });
});
afterAll(async () => server.close());

const instance = (config: Record<string, unknown>) => testInstance(secEdgarPlugin, { baseUrl: server.url, ...config } as never);
async function pollOne(config: Record<string, unknown>): Promise<{ s: NormalizedSignal; warnings: string[] }> {
  const res = await instance(config).poll();
  expect(res.signals).toHaveLength(1);
  return { s: res.signals[0]!, warnings: res.warnings ?? [] };
}
const inputs = (s: NormalizedSignal) =>
  s.score!.inputs as Record<
    string,
    {
      value: number;
      concept: string;
      accn: string | null;
      end: string | null;
      filed: string | null;
      approximation?: string;
      components?: unknown[];
    }
  > & { ratios: Record<string, number> };

describe('sec-edgar plugin definition', () => {
  it('declares the financial kind, a daily schedule and the SEC rate limit', () => {
    expect(secEdgarPlugin.id).toBe('sec-edgar');
    expect(secEdgarPlugin.kind).toBe('financial');
    expect(secEdgarPlugin.displayName).toBe('SEC EDGAR (Altman Z)');
    expect(secEdgarPlugin.defaultSchedule).toEqual({ everySeconds: 86_400 });
    // A poll makes two requests (see below), and the SEC allows 10 requests per second.
    expect(secEdgarPlugin.rateLimit).toEqual({ max: 5, perSeconds: 1 });
    const schema = configJsonSchema(secEdgarPlugin.configSchema) as {
      properties: Record<string, Record<string, unknown>>;
      required?: string[];
    };
    expect(Object.keys(schema.properties)).toEqual(['baseUrl', 'cik', 'model', 'marketValueOfEquity']);
    expect(schema.properties['model']).toMatchObject({ enum: ['auto', 'z', 'z-double-prime'], default: 'auto' });
    expect(schema.required).toEqual(['cik']);
  });

  it('declares its two score models with their labels and Altman zones, the same thresholds the bands use', () => {
    expect(secEdgarPlugin.scoreModels).toEqual([
      { key: 'altman-z', label: 'Altman Z', zones: { distress: 1.81, safe: 2.99 } },
      { key: 'altman-z-double-prime', label: 'Altman Z″', zones: { distress: 1.1, safe: 2.6 } },
    ]);
    const clean = {
      currentAssets: 0,
      currentLiabilities: 0,
      retainedEarnings: 0,
      ebit: 0,
      totalLiabilities: 1,
      sales: 0,
      bookEquity: 0,
      marketValueOfEquity: 0,
    };
    for (const m of secEdgarPlugin.scoreModels ?? []) {
      // Z = x5 · 1.0 (Z) or x4 · 1.05 (Z″): pick inputs that land exactly on either side of each threshold.
      const at = (value: number) =>
        computeScore(
          m.key as AltmanModel,
          m.key === 'altman-z' ? { ...clean, totalAssets: 1, sales: value } : { ...clean, totalAssets: 1, bookEquity: value / 1.05 },
        );
      expect(at(m.zones!.safe + 0.01).band).toBe('safe');
      expect(at(m.zones!.safe).band).toBe('grey');
      expect(at(m.zones!.distress).band).toBe('grey');
      expect(at(m.zones!.distress - 0.01).band).toBe('distress');
    }
  });

  it('validates the config: CIK of 1–10 digits, model enum, positive MVE; defaults baseUrl and model', () => {
    const parsed = secEdgarPlugin.configSchema.parse({ cik: '1835632' });
    expect(parsed).toEqual({ baseUrl: 'https://data.sec.gov', cik: '1835632', model: 'auto' });
    for (const bad of [
      {},
      { cik: '' },
      { cik: '12345678901' },
      { cik: 'CIK1835632' },
      { cik: '1', model: 'z-prime' },
      { cik: '1', marketValueOfEquity: -5 },
    ]) {
      expect(secEdgarPlugin.configSchema.safeParse(bad).success).toBe(false);
    }
  });
});

describe('Altman Z for a hand-written manufacturer (clean inputs)', () => {
  it('computes Z = 4.02 (safe) with a configured market value of equity', async () => {
    const { s, warnings } = await pollOne({ cik: '9990001', marketValueOfEquity: 1_200_000_000 });
    // By hand, FY2024 (end 2024-12-31) from the 10-K filed 2025-02-20:
    // X1 = (500 − 250)/1000 = 0.25; X2 = 300/1000 = 0.3; X3 = 120/1000 = 0.12; X4 = 1200/400 = 3; X5 = 1100/1000 = 1.1
    // Z = 1.2·0.25 + 1.4·0.3 + 3.3·0.12 + 0.6·3 + 1.0·1.1 = 0.3 + 0.42 + 0.396 + 1.8 + 1.1 = 4.016 → 4.02
    expect(s.score).toMatchObject({ model: 'altman-z', value: 4.02, band: 'safe' });
    expect(inputs(s).ratios).toEqual({ x1: 0.25, x2: 0.3, x3: 0.12, x4: 3, x5: 1.1 });
    expect(s.level).toBe('operational');
    expect(s.signalType).toBe('financial_score');
    expect(s.lifecycle).toBe('open');
    expect(s.externalId).toBe('altman:0009990001:2024-12-31');
    expect(s.asOf).toBe('2024-12-31');
    expect(s.updatedAt).toBe('2025-02-20T00:00:00.000Z');
    expect(s.url).toBe('https://www.sec.gov/Archives/edgar/data/9990001/000999000125000004/');
    expect(s.title).toBe('ACME PRECISION TOOLS INC: Altman Z-score 4.02 (safe)');
    // The fy/fp trap: the FY2024 10-K also carries the 2023 comparative with fy 2024/fp FY; the
    // 3-month Q4 duration and the later 10-Q instants must be ignored too.
    expect(inputs(s).currentAssets).toEqual({
      value: 500_000_000,
      concept: 'us-gaap:AssetsCurrent',
      accn: '0009990001-25-000004',
      end: '2024-12-31',
      filed: '2025-02-20',
    });
    expect(inputs(s).ebit).toEqual({
      value: 120_000_000,
      concept: 'us-gaap:OperatingIncomeLoss',
      accn: '0009990001-25-000004',
      end: '2024-12-31',
      filed: '2025-02-20',
    });
    expect(inputs(s).sales).toMatchObject({ value: 1_100_000_000, concept: 'us-gaap:Revenues' });
    expect(inputs(s).marketValueOfEquity).toEqual({
      value: 1_200_000_000,
      concept: 'config:marketValueOfEquity',
      accn: null,
      end: null,
      filed: null,
    });
    expect(warnings).toEqual([]);
    expect(s.detail).toContain('manufacturer (SIC 3559 Special Industry Machinery, NEC)');
  });

  it('falls back to the public float for MVE and flags the approximation (Z = 3.42)', async () => {
    const { s, warnings } = await pollOne({ cik: '0009990001' });
    // X4 = 800/400 = 2 → Z = 0.3 + 0.42 + 0.396 + 1.2 + 1.1 = 3.416 → 3.42
    expect(s.score).toMatchObject({ model: 'altman-z', value: 3.42, band: 'safe' });
    const mve = inputs(s).marketValueOfEquity;
    expect(mve).toMatchObject({ value: 800_000_000, concept: 'dei:EntityPublicFloat', end: '2024-06-28', accn: '0009990001-25-000004' });
    expect(mve.approximation).toMatch(/public float as of 2024-06-28/);
    expect(warnings).toHaveLength(1);
    expect(s.detail).toContain('Approximations: market value of equity: public float');
  });

  it('uses Z″ when the configuration asks for it (Z″ = 5.00)', async () => {
    const { s } = await pollOne({ cik: '9990001', model: 'z-double-prime' });
    // Z″ = 6.56·0.25 + 3.26·0.3 + 6.72·0.12 + 1.05·(600/400) = 1.64 + 0.978 + 0.8064 + 1.575 = 4.9994 → 5.00
    expect(s.score).toMatchObject({ model: 'altman-z-double-prime', value: 5, band: 'safe' });
    expect(inputs(s).ratios).toEqual({ x1: 0.25, x2: 0.3, x3: 0.12, x4: 1.5 });
    expect(inputs(s).bookEquity).toMatchObject({ value: 600_000_000, concept: 'us-gaap:StockholdersEquity' });
    expect(inputs(s).marketValueOfEquity).toBeUndefined();
  });

  it('pads the CIK, keeps the host User-Agent, and polls twice to identical signals', async () => {
    const before = server.requests.length;
    const inst = instance({ cik: '9990001' });
    const a = await inst.poll();
    const b = await inst.poll();
    expect(b).toEqual(a);
    const paths = server.requests.slice(before).map((r) => r.path);
    expect(paths).toContain('/submissions/CIK0009990001.json');
    expect(paths).toContain('/api/xbrl/companyfacts/CIK0009990001.json');
    for (const r of server.requests.slice(before)) expect(r.headers['user-agent']).toBe('Bulwark-Test/1.0 tests@bulwark.test');
    // The plugin's rate limit counts polls: at its limit, the requests stay within the SEC's 10 per second.
    const perPoll = paths.length / 2;
    expect((perPoll * secEdgarPlugin.rateLimit!.max) / secEdgarPlugin.rateLimit!.perSeconds).toBeLessThanOrEqual(10);
  });

  it('answers 304s from the cache and reports notModified', async () => {
    const body = readFileSync(fx('acme-manufacturer-CIK0009990001-companyfacts-handwritten.json'));
    const subBody = readFileSync(fx('acme-manufacturer-CIK0009990001-submissions-handwritten.json'));
    const etagRoute = (etag: string, b: Buffer) => (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => {
      if (req.headers['if-none-match'] === etag) return void res.writeHead(304).end();
      res.writeHead(200, { etag, 'content-type': 'application/json' }).end(b);
    };
    server.routes[subs('0009990009')] = etagRoute('"s1"', subBody);
    server.routes[facts('0009990009')] = etagRoute('"f1"', Buffer.from(body.toString('utf8').replace('"cik":9990001', '"cik":9990009')));
    const inst = instance({ cik: '9990009' });
    const first = await inst.poll();
    const second = await inst.poll();
    expect(first.notModified).toBeUndefined();
    expect(second.notModified).toBe(true);
    expect(second.signals).toEqual(first.signals);
    expect(server.requests.filter((r) => r.path === facts('0009990009')).at(-1)?.headers['if-none-match']).toBe('"f1"');
  });
});

describe('Altman on real EDGAR recordings', () => {
  it('Marvell (SIC 3674, a manufacturer): Z from the FY ended 2026-01-31, hand-verified from the raw facts', async () => {
    const { s, warnings } = await pollOne({ cik: '1835632' });
    // Raw facts of the 10-K accession 0001835632-26-000011 (filed 2026-03-11), end 2026-01-31:
    const CA = 6_460_600_000; // us-gaap:AssetsCurrent
    const CL = 3_220_500_000; // us-gaap:LiabilitiesCurrent
    const TA = 22_285_300_000; // us-gaap:Assets
    const RE = 1_355_800_000; // us-gaap:RetainedEarningsAccumulatedDeficit
    const EBIT = 1_322_900_000; // us-gaap:OperatingIncomeLoss 2025-02-02..2026-01-31 (363 days)
    const TL = 7_976_900_000; // us-gaap:Liabilities
    const SALES = 8_194_600_000; // us-gaap:RevenueFromContractWithCustomerExcludingAssessedTax (no us-gaap:Revenues)
    const MVE = 64_119_895_583; // dei:EntityPublicFloat as of 2025-08-01
    // X1 = 3,240.1/22,285.3 = 0.1454; X2 = 0.0608; X3 = 0.0594; X4 = 64,119.9/7,976.9 = 8.0382; X5 = 0.3677
    // Z = 0.1745 + 0.0852 + 0.1959 + 4.8229 + 0.3677 = 5.646 → 5.65
    const z = 1.2 * ((CA - CL) / TA) + 1.4 * (RE / TA) + 3.3 * (EBIT / TA) + 0.6 * (MVE / TL) + 1.0 * (SALES / TA);
    expect(z).toBeCloseTo(5.646, 3);
    expect(s.score).toMatchObject({ model: 'altman-z', value: 5.65, band: 'safe' });
    expect(inputs(s).ratios.x1).toBe(0.1454);
    expect(inputs(s).ratios.x4).toBe(8.0382);
    expect(s.level).toBe('operational');
    expect(s.externalId).toBe('altman:0001835632:2026-01-31');
    expect(s.asOf).toBe('2026-01-31');
    expect(s.updatedAt).toBe('2026-03-11T00:00:00.000Z');
    expect(s.title).toBe('MARVELL TECHNOLOGY, INC: Altman Z-score 5.65 (safe)');
    expect(inputs(s).currentAssets).toEqual({
      value: CA,
      concept: 'us-gaap:AssetsCurrent',
      accn: '0001835632-26-000011',
      end: '2026-01-31',
      filed: '2026-03-11',
    });
    expect(inputs(s).sales).toMatchObject({ value: SALES, concept: 'us-gaap:RevenueFromContractWithCustomerExcludingAssessedTax' });
    expect(inputs(s).ebit).toMatchObject({ value: EBIT, concept: 'us-gaap:OperatingIncomeLoss' });
    expect(inputs(s).totalLiabilities).toMatchObject({ value: TL, concept: 'us-gaap:Liabilities' });
    expect(inputs(s).marketValueOfEquity).toMatchObject({
      value: MVE,
      concept: 'dei:EntityPublicFloat',
      end: '2025-08-01',
      filed: '2026-03-11',
    });
    expect(warnings[0]).toMatch(/public float/);
  });

  it('Marvell with Z″ chosen in the configuration', async () => {
    const { s } = await pollOne({ cik: '1835632', model: 'z-double-prime' });
    // X4 = StockholdersEquity 14,308.4 / 7,976.9 = 1.7937 → Z″ = 0.9538 + 0.1983 + 0.3989 + 1.8834 = 3.434 → 3.43
    expect(s.score).toMatchObject({ model: 'altman-z-double-prime', value: 3.43, band: 'safe' });
    expect(inputs(s).bookEquity).toMatchObject({
      value: 14_308_400_000,
      concept: 'us-gaap:StockholdersEquity',
      accn: '0001835632-26-000011',
    });
  });

  it('Logistic Properties (20-F, ifrs-full): Z″ from the IFRS concepts, grey → degraded', async () => {
    const { s } = await pollOne({ cik: '1997711' });
    // 2024-12-31: X1 = (40,001,754 − 26,524,836)/607,019,578 = 0.0222; X2 = 38,593,217/607,019,578 = 0.0636;
    // X3 = 36,606,814/607,019,578 = 0.0603; X4 = 228,964,876/336,218,160 = 0.6810
    // Z″ = 0.1456 + 0.2073 + 0.4053 + 0.7151 = 1.473 → 1.47 (grey)
    expect(s.score).toMatchObject({ model: 'altman-z-double-prime', value: 1.47, band: 'grey' });
    expect(s.level).toBe('degraded');
    expect(s.asOf).toBe('2024-12-31');
    expect(inputs(s)['taxonomy']).toBe('ifrs-full');
    expect(inputs(s).currentAssets).toMatchObject({
      value: 40_001_754,
      concept: 'ifrs-full:CurrentAssets',
      accn: '0001997711-25-000030',
      filed: '2025-04-02',
    });
    expect(inputs(s).ebit).toMatchObject({ value: 36_606_814, concept: 'ifrs-full:ProfitLossFromOperatingActivities' });
    expect(inputs(s).bookEquity).toMatchObject({ value: 228_964_876, concept: 'ifrs-full:EquityAttributableToOwnersOfParent' });
    expect(s.detail).toContain('no SIC code reported');
  });

  it('Microsoft submissions (SIC 7372) select Z″; selfTest reports the filer', async () => {
    const sub = parseSubmissions(JSON.parse(readFileSync(fx('microsoft-CIK0000789019-submissions.json'), 'utf8')));
    expect(sub).toMatchObject({
      cik: '0000789019',
      name: 'MICROSOFT CORP',
      sic: 7372,
      sicDescription: 'Services-Prepackaged Software',
      latestFilingDate: '2026-01-28',
    });
    expect(chooseModel('auto', sub)).toEqual({
      model: 'altman-z-double-prime',
      why: 'non-manufacturer (SIC 7372 Services-Prepackaged Software)',
    });
    expect(chooseModel('z', sub)).toMatchObject({ model: 'altman-z' });
    const st = await instance({ cik: '789019' }).selfTest();
    expect(st).toEqual({ ok: true, message: 'SEC EDGAR filer MICROSOFT CORP (CIK 0000789019, SIC 7372 Services-Prepackaged Software)' });
  });

  it('a Form D fund with no SIC and no companyfacts (404) → unknown, never a score', async () => {
    const { s } = await pollOne({ cik: '1800903' });
    expect(s.level).toBe('unknown');
    expect(s.score).toMatchObject({ value: null, band: null });
    expect(s.externalId).toBe('altman:0001800903:none');
    expect(s.detail).toMatch(/no XBRL financial data/);
    expect(s.updatedAt).toBe('2020-01-27T00:00:00.000Z');
  });
});

describe('fallbacks, restatements and missing inputs', () => {
  it('a filer with only LiabilitiesAndStockholdersEquity: TA and TL fall back, EBIT is derived, all flagged (Z″ = 3.13)', async () => {
    const { s, warnings } = await pollOne({ cik: '9990003' });
    // TA = LiabilitiesAndStockholdersEquity 2000; TL = 2000 − 900 (equity incl. NCI) − 100 (temporary equity) = 1000;
    // EBIT = pre-tax 150 + interest 30 = 180; BVE = StockholdersEquity 850.
    // X1 = 300/2000 = 0.15; X2 = 400/2000 = 0.2; X3 = 180/2000 = 0.09; X4 = 850/1000 = 0.85
    // Z″ = 0.984 + 0.652 + 0.6048 + 0.8925 = 3.1333 → 3.13
    expect(s.score).toMatchObject({ model: 'altman-z-double-prime', value: 3.13, band: 'safe' });
    expect(inputs(s).ratios).toEqual({ x1: 0.15, x2: 0.2, x3: 0.09, x4: 0.85 });
    expect(inputs(s).totalAssets).toMatchObject({ value: 2_000_000_000, concept: 'us-gaap:LiabilitiesAndStockholdersEquity' });
    expect(inputs(s).totalAssets.approximation).toMatch(/us-gaap:Assets not reported/);
    expect(inputs(s).totalLiabilities).toMatchObject({
      value: 1_000_000_000,
      concept:
        'us-gaap:LiabilitiesAndStockholdersEquity − us-gaap:StockholdersEquityIncludingPortionAttributableToNoncontrollingInterest − us-gaap:TemporaryEquityCarryingAmountAttributableToParent',
      accn: '0009990003-25-000007',
      end: '2024-12-31',
    });
    expect(inputs(s).totalLiabilities.components).toHaveLength(3);
    expect(inputs(s).ebit).toMatchObject({
      value: 180_000_000,
      concept:
        'us-gaap:IncomeLossFromContinuingOperationsBeforeIncomeTaxesExtraordinaryItemsNoncontrollingInterest + us-gaap:InterestExpense',
    });
    expect(inputs(s).ebit.approximation).toMatch(/pre-tax income \+ interest expense/);
    expect(warnings).toHaveLength(3);
    expect(s.level).toBe('operational');
  });

  it('a later 10-K/A restating values wins over the original 10-K (latest filed)', async () => {
    const { s } = await pollOne({ cik: '9990004' });
    // Restated: RE 50, EBIT 10 (were 200 and 80). X1 = 50/1000 = 0.05; X2 = 0.05; X3 = 0.01; X4 = 300/700 = 0.4286
    // Z″ = 0.328 + 0.163 + 0.0672 + 0.45 = 1.0082 → 1.01 (distress; the original 10-K would give 1.97, grey)
    expect(s.score).toMatchObject({ model: 'altman-z-double-prime', value: 1.01, band: 'distress' });
    expect(s.level).toBe('major_outage');
    expect(inputs(s).retainedEarnings).toEqual({
      value: 50_000_000,
      concept: 'us-gaap:RetainedEarningsAccumulatedDeficit',
      accn: '0009990004-25-000011',
      end: '2024-12-31',
      filed: '2025-06-16',
    });
    expect(inputs(s).ebit).toMatchObject({ value: 10_000_000, accn: '0009990004-25-000011' });
    expect(s.updatedAt).toBe('2025-06-16T00:00:00.000Z');
    expect(s.externalId).toBe('altman:0009990004:2024-12-31');
  });

  it('a manufacturer without AssetsCurrent → unknown with what is missing, no score', async () => {
    const { s } = await pollOne({ cik: '9990002' });
    expect(s.level).toBe('unknown');
    expect(s.score).toMatchObject({ model: 'altman-z', value: null, band: null });
    expect((s.score!.inputs as { missing: string[] }).missing).toEqual(['currentAssets']);
    expect(s.detail).toContain('Missing: current assets — us-gaap:AssetsCurrent not reported');
    expect(s.externalId).toBe('altman:0009990002:2024-12-31');
    expect(s.asOf).toBe('2024-12-31');
  });

  it('a financial company (SIC 6022) is never scored and its companyfacts are not fetched', async () => {
    const before = server.requests.length;
    const { s } = await pollOne({ cik: '9990005', model: 'z' });
    expect(s.level).toBe('unknown');
    expect(s.score).toMatchObject({ value: null, band: null });
    expect(s.externalId).toBe('altman:0009990005:not-applicable');
    expect(s.detail).toMatch(/financial company \(SIC 6022 State Commercial Banks\)/);
    expect(server.requests.slice(before).map((r) => r.path)).toEqual(['/submissions/CIK0009990005.json']);
  });
});

describe('malformed answers and HTTP errors', () => {
  it.each([
    ['an HTML page with 200', '111', /HTML page/],
    ['an empty body', '112', /empty body/],
    ['JSON of the wrong shape', '113', /unexpected shape/],
  ])('companyfacts as %s → FeedParseError', async (_label, cik, message) => {
    const err = await rejectionOf(instance({ cik }).poll());
    expect(err).toBeInstanceOf(FeedParseError);
    expect(err.message).toMatch(message);
  });

  it('submissions as an HTML page → FeedParseError', async () => {
    expect(await rejectionOf(instance({ cik: '114' }).poll())).toBeInstanceOf(FeedParseError);
  });

  it('unknown CIK (404) and a refused User-Agent (403) → PermanentPluginError; 503 is retried', async () => {
    const notFound = await rejectionOf(instance({ cik: '4242' }).poll());
    expect(notFound).toBeInstanceOf(PermanentPluginError);
    expect(notFound.message).toMatch(/CIK 0000004242 not found/);
    const forbidden = await rejectionOf(instance({ cik: '115' }).poll());
    expect(forbidden).toBeInstanceOf(PermanentPluginError);
    expect(forbidden.message).toMatch(/User-Agent/);
    const unavailable = await rejectionOf(instance({ cik: '116' }).poll());
    expect(unavailable).toBeInstanceOf(HttpError);
    expect((unavailable as HttpError).permanent).toBe(false);
  });

  it('companyfacts for another CIK → PermanentPluginError', async () => {
    expect(await rejectionOf(instance({ cik: '117' }).poll())).toBeInstanceOf(PermanentPluginError);
  });

  it('selfTest never throws', async () => {
    expect(await instance({ cik: '4242' }).selfTest()).toMatchObject({ ok: false });
    expect(await instance({ cik: '116' }).selfTest()).toMatchObject({ ok: false });
  });
});
