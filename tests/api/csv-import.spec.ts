import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { auth, bootApp, login, seedOrgs, type TestApp } from '../support/app';

let t: TestApp;
let manager: string;
let auditor: string;

const HEADER =
  'name,legal_name,website,country,lifecycle,lei,cik,company_number,duns,served_criticality,data_sensitivity,ai_model_provider,substitutability,financial_health,description';

const importVendors = (csv: string, dryRun?: string, token = manager) =>
  t.http
    .post('/api/import/vendors')
    .query(dryRun === undefined ? {} : { dryRun })
    .set(auth(token))
    .set('Content-Type', 'text/csv')
    .send(csv);
const importServices = (csv: string, dryRun?: string) =>
  t.http
    .post('/api/import/services')
    .query(dryRun === undefined ? {} : { dryRun })
    .set(auth(manager))
    .set('Content-Type', 'text/csv')
    .send(csv);
const vendorCount = async () => (await t.http.get('/api/vendors').query({ pageSize: 1 }).set(auth(manager))).body.total as number;
const serviceCount = async () => (await t.http.get('/api/services').query({ pageSize: 1 }).set(auth(manager))).body.total as number;
const auditTotal = async () => (await t.http.get('/api/audit-log').query({ pageSize: 1 }).set(auth(auditor))).body.total as number;
const vendorNamed = async (name: string) =>
  ((await t.http.get('/api/vendors').query({ search: name }).set(auth(manager))).body.items as { id: string; name: string }[]).find(
    (v) => v.name === name,
  );

beforeAll(async () => {
  t = await bootApp();
  await seedOrgs(t, false);
  manager = await login(t, 'manager@demo.bulwark.test');
  auditor = await login(t, 'auditor@demo.bulwark.test');
});
afterAll(async () => t?.close());

describe('vendor import', () => {
  it('imports a clean file in one go, with an audit entry per vendor and one for the import', async () => {
    const csv = [
      HEADER,
      'Mistral AI,Mistral AI SAS,https://mistral.ai,fr,onboarding,,,,,critical,confidential,yes,difficult,healthy,"Open-weight models, EU hosted"',
      'Hugging Face,,https://huggingface.co,US,,,,,,medium,internal,true,moderate,,Model hub',
      'Acme Payroll,Acme Payroll Ltd,,GB,active,,,ab123456,123456789,low,restricted,no,easy,watch,',
    ].join('\n');
    const vendorsBefore = await vendorCount();
    const auditBefore = await auditTotal();
    const res = await importVendors(csv);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ok: true, dryRun: false, created: 3, errors: [] });
    expect(await vendorCount()).toBe(vendorsBefore + 3);
    expect(await auditTotal()).toBe(auditBefore + 4);

    const mistral = await vendorNamed('Mistral AI');
    const detail = (await t.http.get(`/api/vendors/${mistral!.id}`).set(auth(manager))).body;
    expect(detail).toMatchObject({
      legalName: 'Mistral AI SAS',
      country: 'FR',
      lifecycle: 'onboarding',
      description: 'Open-weight models, EU hosted',
      intake: {
        servedCriticality: 'critical',
        dataSensitivity: 'confidential',
        aiModelProvider: true,
        substitutability: 'difficult',
        financialHealth: 'healthy',
      },
      tier: 'critical',
    });
    const hf = (await t.http.get(`/api/vendors/${(await vendorNamed('Hugging Face'))!.id}`).set(auth(manager))).body;
    expect(hf).toMatchObject({ lifecycle: 'prospect', legalName: null, intake: { financialHealth: 'unknown', aiModelProvider: true } });
    const acme = (await t.http.get(`/api/vendors/${(await vendorNamed('Acme Payroll'))!.id}`).set(auth(manager))).body;
    expect(acme.identifiers).toEqual({ lei: null, cik: null, companyNumber: 'AB123456', duns: '123456789' });

    const entries = await t.http.get('/api/audit-log').query({ action: 'import.vendors' }).set(auth(auditor));
    expect(entries.body.total).toBe(1);
    expect(entries.body.items[0]).toMatchObject({ entityType: 'import', actorEmail: 'manager@demo.bulwark.test', diff: { rows: 3 } });
    const created = await t.http.get('/api/audit-log').query({ action: 'vendor.created', pageSize: 3 }).set(auth(auditor));
    expect(created.body.items.map((e: { entityId: string }) => e.entityId)).toContain(mistral!.id);
  });

  it('reports every problem by row and column and writes nothing', async () => {
    const csv = [
      HEADER,
      'Good One,,,US,,,,,,low,public,no,easy,healthy,',
      'Bad Lei,,,US,,NOT-AN-LEI,,,,low,public,no,easy,healthy,',
      'Good Two,,,US,,,,,,low,public,no,easy,healthy,',
      'Bad Intake,,,US,,,,,,extreme,public,maybe,easy,healthy,',
      'Good Three,,,US,,,,,,low,public,no,easy,healthy,',
    ].join('\n');
    const vendorsBefore = await vendorCount();
    const auditBefore = await auditTotal();
    const res = await importVendors(csv);
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('import.invalid_rows');
    const details = res.body.error.details as { ok: boolean; created: number; errors: { row: number; field: string; message: string }[] };
    expect(details.ok).toBe(false);
    expect(details.created).toBe(0);
    expect([...new Set(details.errors.map((e) => e.row))]).toEqual([3, 5]);
    expect(details.errors.map((e) => [e.row, e.field])).toEqual([
      [3, 'lei'],
      [5, 'served_criticality'],
      [5, 'ai_model_provider'],
    ]);
    expect(res.body.error.fields.map((f: { path: string }) => f.path)).toContain('row 3: lei');
    // In the words of a spreadsheet, matching the help: yes/no, and the values a column takes.
    const message = (field: string) => details.errors.find((e) => e.field === field)!.message;
    expect(message('ai_model_provider')).toBe('write yes or no (true/false and 1/0 work too)');
    expect(message('served_criticality')).toBe('write one of: critical, high, medium, low');
    expect(await vendorCount()).toBe(vendorsBefore);
    expect(await auditTotal()).toBe(auditBefore);
    expect(await vendorNamed('Good One')).toBeUndefined();
  });

  it('flags duplicates within the file and names that already exist', async () => {
    const csv = [
      HEADER,
      'Fresh Co,,,,,,,,,low,public,no,easy,,',
      'fresh co,,,,,,,,,low,public,no,easy,,',
      'Bloomberg,,,,,,,,,low,public,no,easy,,',
    ].join('\n');
    const before = await vendorCount();
    const res = await importVendors(csv);
    expect(res.status).toBe(422);
    expect(res.body.error.details.errors).toEqual([
      { row: 3, field: 'name', message: 'duplicate of row 2' },
      { row: 4, field: 'name', message: 'a vendor with this name already exists' },
    ]);
    expect(await vendorCount()).toBe(before);
  });

  it('writes nothing on a dry run', async () => {
    const csv = [HEADER, 'Dry Run Co,,,,,,,,,low,public,no,easy,,'].join('\n');
    const before = await vendorCount();
    const auditBefore = await auditTotal();
    const res = await importVendors(csv, 'true');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ok: true, dryRun: true, created: 0, errors: [] });
    expect(await vendorCount()).toBe(before);
    expect(await auditTotal()).toBe(auditBefore);
    // A dry run of a bad file reports the same errors.
    const bad = await importVendors([HEADER, 'X,,,,,,,,,low,public,no,never,,'].join('\n'), '1');
    expect(bad.status).toBe(422);
    expect(bad.body.error.details).toMatchObject({ dryRun: true, errors: [{ row: 2, field: 'substitutability' }] });
    const invalidFlag = await importVendors(csv, 'maybe');
    expect(invalidFlag.status).toBe(422);
    expect(invalidFlag.body.error.fields).toEqual([{ path: 'query.dryRun', message: 'must be true or false' }]);
    // dryRun=false really imports.
    expect((await importVendors(csv, 'false')).body.created).toBe(1);
    expect(await vendorCount()).toBe(before + 1);
  });

  it('reports unknown columns, empty files and malformed CSV', async () => {
    const before = await vendorCount();
    const unknown = await importVendors(
      ['name,colour,served_criticality,data_sensitivity,substitutability', 'Paint Co,red,low,public,easy'].join('\n'),
    );
    expect(unknown.status).toBe(422);
    expect(unknown.body.error.details.errors).toContainEqual(expect.objectContaining({ row: 1, field: 'colour' }));
    expect(unknown.body.error.details.errors[0].message).toMatch(/unknown column/);

    const empty = await importVendors(`${HEADER}\n`);
    expect(empty.status).toBe(422);
    expect(empty.body.error.details.errors).toContainEqual({ row: 1, field: '(file)', message: 'no data rows' });

    const ragged = await importVendors(['name,served_criticality', 'A,low,extra', 'B'].join('\n'));
    expect(ragged.status).toBe(422);
    expect(ragged.body.error.details.errors[0]).toMatchObject({ field: '(file)' });
    expect(ragged.body.error.details.errors[0].message).toMatch(/^Not valid CSV/);
    expect(await vendorCount()).toBe(before);
  });

  it('needs Content-Type text/csv and an inventory writer', async () => {
    const json = await t.http.post('/api/import/vendors').set(auth(manager)).send({ name: 'x' });
    expect(json.status).toBe(400);
    expect(json.body.error.code).toBe('import.not_csv');
    const plain = await t.http.post('/api/import/vendors').set(auth(manager)).set('Content-Type', 'text/plain').send(`${HEADER}\n`);
    expect(plain.status).toBe(400);
    expect(plain.body.error.code).toBe('import.not_csv');
    const procurement = await login(t, 'procurement@demo.bulwark.test');
    const denied = await importVendors([HEADER, 'Nope Co,,,,,,,,,low,public,no,easy,,'].join('\n'), undefined, procurement);
    expect(denied.status).toBe(403);
    expect(await vendorNamed('Nope Co')).toBeUndefined();
  });
});

describe('service import', () => {
  it('imports services for vendors referenced by name or slug, with regions and models', async () => {
    const before = await serviceCount();
    const csv = [
      'vendor,name,kind,regions,description,models',
      'OpenAI,OpenAI Realtime API,ai_model_api,us-east-1;eu-west-1,Voice,gpt-4o-realtime@2024-12-17@2026-06-30;gpt-4o-mini-realtime@2024-12-17',
      'amazon-web-services,Amazon SQS,cloud_infrastructure,us-east-1,,',
      'bloomberg,Bloomberg B-PIPE,data_provider,,,',
    ].join('\n');
    const res = await importServices(csv);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ok: true, dryRun: false, created: 3, errors: [] });
    expect(await serviceCount()).toBe(before + 3);
    const realtime = (await t.http.get('/api/services').query({ search: 'Realtime' }).set(auth(manager))).body.items[0];
    expect(realtime).toMatchObject({
      vendorName: 'OpenAI',
      kind: 'ai_model_api',
      regions: ['us-east-1', 'eu-west-1'],
      description: 'Voice',
      models: [
        { model: 'gpt-4o-realtime', version: '2024-12-17', deprecationDate: '2026-06-30' },
        { model: 'gpt-4o-mini-realtime', version: '2024-12-17', deprecationDate: null },
      ],
    });
    const sqs = (await t.http.get('/api/services').query({ search: 'SQS' }).set(auth(manager))).body.items[0];
    expect(sqs.vendorName).toBe('Amazon Web Services');
  });

  it('reports unknown vendors, bad kinds and duplicate names, writing nothing', async () => {
    const before = await serviceCount();
    const auditBefore = await auditTotal();
    const csv = [
      'vendor,name,kind,regions,description,models',
      'OpenAI,OpenAI Assistants,ai_model_api,,,',
      'Nobody Inc,Ghost API,saas,,,',
      'OpenAI,Fine-tuning,teleportation,,,',
      'OpenAI,OpenAI API,ai_model_api,,,',
      'Anthropic,Claude Tools,ai_model_api,,,claude@1@not-a-date',
    ].join('\n');
    const res = await importServices(csv);
    expect(res.status).toBe(422);
    expect(res.body.error.details.errors.map((e: { row: number; field: string }) => [e.row, e.field])).toEqual([
      [3, 'vendor'],
      [4, 'kind'],
      [5, 'name'],
      [6, 'models'],
    ]);
    expect(await serviceCount()).toBe(before);
    expect(await auditTotal()).toBe(auditBefore);
  });
});
