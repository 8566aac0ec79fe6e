import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { auth, bootApp, login, seedOrgs, type TestApp } from '../support/app';

let t: TestApp;
let manager: string;
let auditor: string;
let otherManager: string;

const MISSING = '00000000-0000-4000-8000-000000000000';
const fieldPaths = (res: { body: { error: { fields?: { path: string }[] } } }) => (res.body.error.fields ?? []).map((f) => f.path);
const auditTotal = async () => (await t.http.get('/api/audit-log').query({ pageSize: 1 }).set(auth(auditor))).body.total as number;

async function vendorId(name: string, token = manager): Promise<string> {
  const res = await t.http.get('/api/vendors').query({ search: name }).set(auth(token));
  const v = res.body.items.find((x: { name: string }) => x.name === name);
  if (!v) throw new Error(`no vendor ${name}`);
  return v.id;
}
async function serviceId(name: string, token = manager): Promise<string> {
  const res = await t.http.get('/api/services').query({ search: name }).set(auth(token));
  const s = res.body.items.find((x: { name: string }) => x.name === name);
  if (!s) throw new Error(`no service ${name}`);
  return s.id;
}
async function systemId(name: string, token = manager): Promise<string> {
  const res = await t.http.get('/api/systems').query({ search: name }).set(auth(token));
  const s = res.body.items.find((x: { name: string }) => x.name === name);
  if (!s) throw new Error(`no system ${name}`);
  return s.id;
}
const SYSTEM = { riskClass: 'high', criticality: 'critical', requiredRtoMinutes: 60, requiredRpoMinutes: 15 } as const;

beforeAll(async () => {
  t = await bootApp();
  await seedOrgs(t, true);
  manager = await login(t, 'manager@demo.bulwark.test');
  auditor = await login(t, 'auditor@demo.bulwark.test');
  otherManager = await login(t, 'manager@other.bulwark.test');
});
afterAll(async () => t?.close());

describe('services', () => {
  it('creates a service with normalised regions and an AI model inventory', async () => {
    const anthropic = await vendorId('Anthropic');
    const res = await t.http
      .post('/api/services')
      .set(auth(manager))
      .send({
        vendorId: anthropic,
        name: 'Claude Batch API',
        kind: 'ai_model_api',
        regions: ['US-East-1', 'us-east-1', 'eu-west-1'],
        models: [
          { model: 'claude-3-opus', version: '20240229', deprecationDate: '2026-01-05' },
          { model: 'claude-sonnet-4', version: '20250514' },
        ],
      });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      vendorId: anthropic,
      vendorName: 'Anthropic',
      name: 'Claude Batch API',
      kind: 'ai_model_api',
      description: null,
      regions: ['us-east-1', 'eu-west-1'],
      runsOn: [],
    });
    expect(res.body.models).toEqual([
      { model: 'claude-3-opus', version: '20240229', deprecationDate: '2026-01-05' },
      { model: 'claude-sonnet-4', version: '20250514' },
    ]);
    const got = await t.http.get(`/api/services/${res.body.id}`).set(auth(manager));
    expect(got.body.models[0].deprecationDate).toBe('2026-01-05');
    const vendor = await t.http.get(`/api/vendors/${anthropic}`).set(auth(manager));
    expect(vendor.body.serviceCount).toBe(2);
    expect(vendor.body.services.map((s: { name: string }) => s.name)).toEqual(['Claude API', 'Claude Batch API']);

    const upd = await t.http
      .patch(`/api/services/${res.body.id}`)
      .set(auth(manager))
      .send({ models: [{ model: 'claude-3-opus', version: '20240229', deprecationDate: null }], regions: [] });
    expect(upd.status).toBe(200);
    expect(upd.body.models).toEqual([{ model: 'claude-3-opus', version: '20240229', deprecationDate: null }]);
    expect(upd.body.regions).toEqual([]);
    const log = await t.http.get('/api/audit-log').query({ entityId: res.body.id }).set(auth(auditor));
    expect(log.body.items.map((e: { action: string }) => e.action)).toEqual(['service.updated', 'service.created']);
  });

  it('validates regions, models and the vendor, and refuses a duplicate name', async () => {
    const azure = await vendorId('Microsoft Azure');
    const before = await auditTotal();
    const bad = await t.http
      .post('/api/services')
      .set(auth(manager))
      .send({
        vendorId: azure,
        name: 'Bad',
        kind: 'quantum',
        regions: ['eu west'],
        models: [{ model: 'm', version: '1', deprecationDate: '2025-13-40' }],
      });
    expect(bad.status).toBe(422);
    expect(fieldPaths(bad)).toEqual(expect.arrayContaining(['kind', 'regions.0', 'models.0.deprecationDate']));
    const noVendor = await t.http.post('/api/services').set(auth(manager)).send({ vendorId: MISSING, name: 'Ghost', kind: 'saas' });
    expect(noVendor.status).toBe(404);
    expect(noVendor.body.error.code).toBe('vendor.not_found');
    const dup = await t.http
      .post('/api/services')
      .set(auth(manager))
      .send({ vendorId: azure, name: 'azure openai service', kind: 'ai_model_api' });
    expect(dup.status).toBe(409);
    expect(dup.body.error.code).toBe('service.duplicate_name');
    expect(await auditTotal()).toBe(before);
  });

  it('lists services filtered by vendor, kind and search', async () => {
    const aws = await vendorId('Amazon Web Services');
    const byVendor = await t.http.get('/api/services').query({ vendorId: aws }).set(auth(manager));
    expect(byVendor.body.items.map((s: { name: string }) => s.name)).toEqual(['Amazon Bedrock', 'Amazon EC2', 'Amazon S3']);
    expect(byVendor.body.total).toBe(3);
    const infra = await t.http.get('/api/services').query({ vendorId: aws, kind: 'cloud_infrastructure' }).set(auth(manager));
    expect(infra.body.items.map((s: { name: string }) => s.name)).toEqual(['Amazon EC2', 'Amazon S3']);
    const desc = await t.http.get('/api/services').query({ vendorId: aws, sort: '-name' }).set(auth(manager));
    expect(desc.body.items.map((s: { name: string }) => s.name)).toEqual(['Amazon S3', 'Amazon EC2', 'Amazon Bedrock']);
    const openai = await t.http.get(`/api/services/${await serviceId('OpenAI API')}`).set(auth(manager));
    expect(openai.body.runsOn).toEqual([
      expect.objectContaining({ subServiceName: 'Azure Kubernetes Service', subVendorName: 'Microsoft Azure' }),
    ]);
    // Another organization's services are invisible.
    const theirs = await serviceId('OpenAI API', otherManager);
    expect((await t.http.get(`/api/services/${theirs}`).set(auth(manager))).status).toBe(404);
  });

  it('refuses to delete a service in use, as a dependency or as an alternative', async () => {
    const before = await auditTotal();
    const s3 = await serviceId('Amazon S3');
    const inUse = await t.http.delete(`/api/services/${s3}`).set(auth(manager));
    expect(inUse.status).toBe(409);
    expect(inUse.body.error.code).toBe('service.in_use');
    // Vertex AI is only the alternative of Internal Knowledge Search → Claude API.
    const vertex = await serviceId('Vertex AI');
    const asAlternative = await t.http.delete(`/api/services/${vertex}`).set(auth(manager));
    expect(asAlternative.status).toBe(409);
    expect(asAlternative.body.error.code).toBe('service.in_use');
    expect((await t.http.get(`/api/services/${s3}`).set(auth(manager))).status).toBe(200);
    const deps = await t.http
      .get('/api/dependencies')
      .query({ systemId: await systemId('Internal Knowledge Search') })
      .set(auth(manager));
    expect(deps.body.items.find((d: { serviceName: string }) => d.serviceName === 'Claude API').alternativeServiceName).toBe('Vertex AI');
    expect(await auditTotal()).toBe(before);
  });

  it('deletes an unused service', async () => {
    const northwind = await vendorId('Northwind Labelling');
    const created = await t.http
      .post('/api/services')
      .set(auth(manager))
      .send({ vendorId: northwind, name: 'Red teaming', kind: 'professional_service' });
    expect(created.status).toBe(201);
    const del = await t.http.delete(`/api/services/${created.body.id}`).set(auth(manager));
    expect(del.status).toBe(204);
    const gone = await t.http.get(`/api/services/${created.body.id}`).set(auth(manager));
    expect(gone.status).toBe(404);
    expect(gone.body.error.code).toBe('service.not_found');
    const log = await t.http.get('/api/audit-log').query({ entityId: created.body.id, action: 'service.deleted' }).set(auth(auditor));
    expect(log.body.total).toBe(1);
  });
});

describe('subcontractor links', () => {
  it('links a service to a fourth-party service and unlinks it', async () => {
    const twilio = await serviceId('Twilio Messaging');
    const ec2 = await serviceId('Amazon EC2');
    const res = await t.http
      .post('/api/subcontractor-links')
      .set(auth(manager))
      .send({ serviceId: twilio, subServiceId: ec2, description: 'Twilio runs on AWS' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      serviceId: twilio,
      subServiceId: ec2,
      subServiceName: 'Amazon EC2',
      subVendorName: 'Amazon Web Services',
      description: 'Twilio runs on AWS',
    });
    expect((await t.http.get(`/api/services/${twilio}`).set(auth(manager))).body.runsOn).toHaveLength(1);
    const del = await t.http.delete(`/api/subcontractor-links/${res.body.id}`).set(auth(manager));
    expect(del.status).toBe(204);
    expect((await t.http.get(`/api/services/${twilio}`).set(auth(manager))).body.runsOn).toEqual([]);
    expect((await t.http.delete(`/api/subcontractor-links/${res.body.id}`).set(auth(manager))).status).toBe(404);
  });

  it('refuses the same vendor, cycles and duplicates, writing nothing', async () => {
    const before = await auditTotal();
    const s3 = await serviceId('Amazon S3');
    const ec2 = await serviceId('Amazon EC2');
    const openai = await serviceId('OpenAI API');
    const aks = await serviceId('Azure Kubernetes Service');

    const same = await t.http.post('/api/subcontractor-links').set(auth(manager)).send({ serviceId: s3, subServiceId: ec2 });
    expect(same.status).toBe(422);
    expect(same.body.error.code).toBe('link.same_vendor');
    expect(fieldPaths(same)).toEqual(['subServiceId']);

    // OpenAI API already runs on Azure Kubernetes Service.
    const reverse = await t.http.post('/api/subcontractor-links').set(auth(manager)).send({ serviceId: aks, subServiceId: openai });
    expect(reverse.status).toBe(422);
    expect(reverse.body.error.code).toBe('link.cycle');
    expect(fieldPaths(reverse)).toEqual(['subServiceId']);

    const dup = await t.http.post('/api/subcontractor-links').set(auth(manager)).send({ serviceId: openai, subServiceId: aks });
    expect(dup.status).toBe(409);
    expect(dup.body.error.code).toBe('link.duplicate');

    const self = await t.http.post('/api/subcontractor-links').set(auth(manager)).send({ serviceId: openai, subServiceId: openai });
    expect(self.status).toBe(422);
    expect(await auditTotal()).toBe(before);
    expect((await t.http.get(`/api/services/${aks}`).set(auth(manager))).body.runsOn).toEqual([]);
  });

  it('refuses a longer cycle through another service', async () => {
    const openai = await serviceId('OpenAI API');
    const aks = await serviceId('Azure Kubernetes Service');
    const ec2 = await serviceId('Amazon EC2');
    // OpenAI API → AKS → EC2; then EC2 → OpenAI API would close the loop.
    const hop = await t.http.post('/api/subcontractor-links').set(auth(manager)).send({ serviceId: aks, subServiceId: ec2 });
    expect(hop.status).toBe(201);
    const loop = await t.http.post('/api/subcontractor-links').set(auth(manager)).send({ serviceId: ec2, subServiceId: openai });
    expect(loop.status).toBe(422);
    expect(loop.body.error.code).toBe('link.cycle');
    expect((await t.http.delete(`/api/subcontractor-links/${hop.body.id}`).set(auth(manager))).status).toBe(204);
  });

  it('refuses a service of another organization as 404', async () => {
    const openai = await serviceId('OpenAI API');
    const theirs = await serviceId('Amazon S3', otherManager);
    const res = await t.http.post('/api/subcontractor-links').set(auth(manager)).send({ serviceId: openai, subServiceId: theirs });
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('service.not_found');
  });
});

describe('systems', () => {
  it('creates, reads, updates and deletes a system', async () => {
    const res = await t.http
      .post('/api/systems')
      .set(auth(manager))
      .send({ name: 'Payments Router', ownerName: 'Head of Payments', ...SYSTEM });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      name: 'Payments Router',
      ownerName: 'Head of Payments',
      description: null,
      isAiSystem: true,
      criticality: 'critical',
      requiredRtoMinutes: 60,
      dependencyCount: 0,
      singlePointsOfFailure: 0,
    });

    const dup = await t.http
      .post('/api/systems')
      .set(auth(manager))
      .send({ name: 'payments router', ...SYSTEM });
    expect(dup.status).toBe(409);
    expect(dup.body.error.code).toBe('system.duplicate_name');
    const bad = await t.http
      .post('/api/systems')
      .set(auth(manager))
      .send({ name: 'Bad', riskClass: 'extreme', criticality: 'critical', requiredRtoMinutes: -1, requiredRpoMinutes: 1.5 });
    expect(bad.status).toBe(422);
    expect(fieldPaths(bad)).toEqual(expect.arrayContaining(['riskClass', 'requiredRtoMinutes', 'requiredRpoMinutes']));

    const upd = await t.http
      .patch(`/api/systems/${res.body.id}`)
      .set(auth(manager))
      .send({ criticality: 'high', requiredRtoMinutes: 240, isAiSystem: false });
    expect(upd.status).toBe(200);
    expect(upd.body).toMatchObject({ name: 'Payments Router', criticality: 'high', requiredRtoMinutes: 240, isAiSystem: false });
    const log = await t.http.get('/api/audit-log').query({ entityId: res.body.id, action: 'system.updated' }).set(auth(auditor));
    expect(log.body.items[0].diff).toEqual({
      criticality: { from: 'critical', to: 'high' },
      requiredRtoMinutes: { from: 60, to: 240 },
      isAiSystem: { from: true, to: false },
    });

    const dep = await t.http
      .post('/api/dependencies')
      .set(auth(manager))
      .send({ systemId: res.body.id, serviceId: await serviceId('Amazon S3'), criticality: 'critical' });
    expect(dep.status).toBe(201);
    const del = await t.http.delete(`/api/systems/${res.body.id}`).set(auth(manager));
    expect(del.status).toBe(204);
    expect((await t.http.get(`/api/systems/${res.body.id}`).set(auth(manager))).status).toBe(404);
    const orphans = await t.http.get('/api/dependencies').query({ systemId: res.body.id }).set(auth(manager));
    expect(orphans.body.total).toBe(0);
    const deleted = await t.http.get('/api/audit-log').query({ entityId: res.body.id, action: 'system.deleted' }).set(auth(auditor));
    expect(deleted.body.items[0].diff.dependenciesRemoved).toBe(1);
    const depGone = await t.http.get('/api/audit-log').query({ entityId: dep.body.id, action: 'dependency.deleted' }).set(auth(auditor));
    expect(depGone.body.items).toHaveLength(1);
    expect(depGone.body.items[0].diff).toMatchObject({ reason: 'internal system deleted', systemId: res.body.id });
    expect((await t.http.get('/api/audit-log/verify').set(auth(auditor))).body).toMatchObject({ ok: true });
  });

  it('shows a demo system with its dependencies and single points of failure', async () => {
    const id = await systemId('Credit Risk Scoring');
    const res = await t.http.get(`/api/systems/${id}`).set(auth(manager));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      name: 'Credit Risk Scoring',
      criticality: 'critical',
      riskClass: 'high',
      dependencyCount: 3,
      singlePointsOfFailure: 2,
    });
    const deps = res.body.dependencies as {
      serviceName: string;
      vendorName: string;
      singlePointOfFailure: boolean;
      alternativeServiceName: string | null;
    }[];
    expect(deps.map((d) => d.serviceName).sort()).toEqual(['Amazon EC2', 'Bloomberg Data License', 'Snowflake Data Cloud']);
    expect(deps.find((d) => d.serviceName === 'Amazon EC2')).toMatchObject({
      vendorName: 'Amazon Web Services',
      alternativeServiceName: 'Compute Engine',
      singlePointOfFailure: false,
    });
    expect(deps.find((d) => d.serviceName === 'Bloomberg Data License')!.singlePointOfFailure).toBe(true);
  });

  it('lists systems with filters and sorting', async () => {
    const critical = await t.http.get('/api/systems').query({ criticality: 'critical' }).set(auth(manager));
    expect(critical.body.items.map((s: { name: string }) => s.name)).toEqual([
      'Credit Risk Scoring',
      'Customer Support Assistant',
      'Fraud Detection Pipeline',
      'Sanctions Screening',
    ]);
    const desc = await t.http.get('/api/systems').query({ sort: '-name' }).set(auth(manager));
    const names = desc.body.items.map((s: { name: string }) => s.name);
    expect(names[0]).toBe('Sanctions Screening');
    expect(names).toEqual([...names].sort((a: string, b: string) => b.localeCompare(a)));
    const rto = await t.http.get('/api/systems').query({ sort: 'requiredRtoMinutes', pageSize: 2 }).set(auth(manager));
    expect(rto.body.items.map((s: { name: string }) => s.name)).toEqual(['Fraud Detection Pipeline', 'Customer Notifications']);
    expect(rto.body.total).toBe(8);
    const minimal = await t.http.get('/api/systems').query({ riskClass: 'minimal' }).set(auth(manager));
    expect(minimal.body.items.map((s: { name: string }) => s.name)).toEqual(['Internal Knowledge Search']);
  });
});

describe('dependencies', () => {
  let sys: string;
  beforeAll(async () => {
    const res = await t.http
      .post('/api/systems')
      .set(auth(manager))
      .send({ name: 'Loan Chatbot', ...SYSTEM });
    sys = res.body.id;
  });

  it('creates a dependency, flags it as a SPOF, and clears the flag with an alternative', async () => {
    const openai = await serviceId('OpenAI API');
    const claude = await serviceId('Claude API');
    const res = await t.http
      .post('/api/dependencies')
      .set(auth(manager))
      .send({
        systemId: sys,
        serviceId: openai,
        criticality: 'critical',
        contingencyPlan: { steps: ['Switch provider'], expectedSwitchMinutes: 30 },
        notes: 'chat',
      });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      systemId: sys,
      systemName: 'Loan Chatbot',
      serviceName: 'OpenAI API',
      vendorName: 'OpenAI',
      criticality: 'critical',
      alternativeServiceId: null,
      singlePointOfFailure: true,
      contingencyPlan: { steps: ['Switch provider'], expectedSwitchMinutes: 30, dataPortability: 'unknown' },
    });
    expect((await t.http.get(`/api/systems/${sys}`).set(auth(manager))).body).toMatchObject({
      dependencyCount: 1,
      singlePointsOfFailure: 1,
    });

    const alt = await t.http.patch(`/api/dependencies/${res.body.id}`).set(auth(manager)).send({ alternativeServiceId: claude });
    expect(alt.status).toBe(200);
    expect(alt.body).toMatchObject({ alternativeServiceId: claude, alternativeServiceName: 'Claude API', singlePointOfFailure: false });
    expect((await t.http.get(`/api/systems/${sys}`).set(auth(manager))).body.singlePointsOfFailure).toBe(0);

    const byVendor = await t.http
      .get('/api/dependencies')
      .query({ vendorId: await vendorId('OpenAI') })
      .set(auth(manager));
    expect(byVendor.body.items.map((d: { systemName: string }) => d.systemName).sort()).toEqual([
      'Customer Support Assistant',
      'Loan Chatbot',
    ]);
    const bySystem = await t.http.get('/api/dependencies').query({ systemId: sys }).set(auth(manager));
    expect(bySystem.body.total).toBe(1);
    const medium = await t.http.get('/api/dependencies').query({ criticality: 'medium' }).set(auth(manager));
    expect(medium.body.items.every((d: { criticality: string }) => d.criticality === 'medium')).toBe(true);
    expect(medium.body.total).toBe(4);
  });

  it('rejects missing or foreign references with 422 naming the field, and duplicates with 409', async () => {
    const before = await auditTotal();
    const s3 = await serviceId('Amazon S3');
    const foreignSystem = await systemId('Credit Risk Scoring', otherManager);

    const foreign = await t.http
      .post('/api/dependencies')
      .set(auth(manager))
      .send({ systemId: foreignSystem, serviceId: s3, criticality: 'high' });
    expect(foreign.status).toBe(422);
    expect(foreign.body.error.code).toBe('dependency.invalid_reference');
    expect(fieldPaths(foreign)).toEqual(['systemId']);

    const missing = await t.http
      .post('/api/dependencies')
      .set(auth(manager))
      .send({ systemId: MISSING, serviceId: s3, criticality: 'high' });
    expect(missing.status).toBe(422);
    expect(fieldPaths(missing)).toEqual(['systemId']);

    const notUuid = await t.http.post('/api/dependencies').set(auth(manager)).send({ systemId: 'abc', serviceId: s3, criticality: 'high' });
    expect(notUuid.status).toBe(422);
    expect(fieldPaths(notUuid)).toEqual(['systemId']);

    const noService = await t.http
      .post('/api/dependencies')
      .set(auth(manager))
      .send({ systemId: sys, serviceId: await serviceId('Amazon S3', otherManager), criticality: 'high' });
    expect(noService.status).toBe(422);
    expect(fieldPaths(noService)).toEqual(['serviceId']);

    const selfAlt = await t.http
      .post('/api/dependencies')
      .set(auth(manager))
      .send({ systemId: sys, serviceId: s3, alternativeServiceId: s3, criticality: 'high' });
    expect(selfAlt.status).toBe(422);
    expect(selfAlt.body.error.code).toBe('dependency.invalid_alternative');
    expect(fieldPaths(selfAlt)).toEqual(['alternativeServiceId']);

    const missingAlt = await t.http
      .post('/api/dependencies')
      .set(auth(manager))
      .send({ systemId: sys, serviceId: s3, alternativeServiceId: MISSING, criticality: 'high' });
    expect(missingAlt.status).toBe(422);
    expect(fieldPaths(missingAlt)).toEqual(['alternativeServiceId']);

    const existing = (await t.http.get('/api/dependencies').query({ systemId: sys }).set(auth(manager))).body.items[0];
    const selfAltPatch = await t.http
      .patch(`/api/dependencies/${existing.id}`)
      .set(auth(manager))
      .send({ alternativeServiceId: existing.serviceId });
    expect(selfAltPatch.status).toBe(422);
    expect(fieldPaths(selfAltPatch)).toEqual(['alternativeServiceId']);

    const dup = await t.http
      .post('/api/dependencies')
      .set(auth(manager))
      .send({ systemId: sys, serviceId: existing.serviceId, criticality: 'low' });
    expect(dup.status).toBe(409);
    expect(dup.body.error.code).toBe('dependency.duplicate');

    expect(await auditTotal()).toBe(before);
    expect((await t.http.get('/api/dependencies').query({ systemId: sys }).set(auth(manager))).body.total).toBe(1);
  });

  it('deletes a dependency', async () => {
    const res = await t.http
      .post('/api/dependencies')
      .set(auth(manager))
      .send({ systemId: sys, serviceId: await serviceId('Pinecone Serverless'), criticality: 'medium' });
    expect(res.status).toBe(201);
    const del = await t.http.delete(`/api/dependencies/${res.body.id}`).set(auth(manager));
    expect(del.status).toBe(204);
    const again = await t.http.delete(`/api/dependencies/${res.body.id}`).set(auth(manager));
    expect(again.status).toBe(404);
    expect(again.body.error.code).toBe('dependency.not_found');
    const log = await t.http.get('/api/audit-log').query({ entityId: res.body.id }).set(auth(auditor));
    expect(log.body.items.map((e: { action: string }) => e.action)).toEqual(['dependency.deleted', 'dependency.created']);
  });

  it('is read-only for procurement and invisible to vendor contacts', async () => {
    const procurement = await login(t, 'procurement@demo.bulwark.test');
    expect((await t.http.get('/api/dependencies').set(auth(procurement))).status).toBe(200);
    const write = await t.http
      .post('/api/dependencies')
      .set(auth(procurement))
      .send({ systemId: sys, serviceId: await serviceId('Amazon S3'), criticality: 'low' });
    expect(write.status).toBe(403);
    const contact = await login(t, 'contact@bloomberg.demo.bulwark.test');
    expect((await t.http.get('/api/dependencies').set(auth(contact))).status).toBe(403);
    const own = await t.http.get('/api/services').set(auth(contact));
    expect(own.body.items.map((s: { name: string }) => s.name)).toEqual(['Bloomberg Data License']);
  });
});
