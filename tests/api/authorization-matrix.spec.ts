import type { Role } from '@bulwark/contracts';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auth, bootApp, login, seedOrgs, type TestApp } from '../support/app';

/**
 * Every route × every role × another organization's and another vendor's ids.
 *
 * ACCESS is the authorization policy written down once more, by hand: a route that exists in the
 * OpenAPI document but not here fails the test, so adding a route means adding it to this matrix.
 */
const INTERNAL: Role[] = ['admin', 'vendor_manager', 'procurement', 'auditor'];
const WRITERS: Role[] = ['admin', 'vendor_manager'];
const ALL: Role[] = [...INTERNAL, 'vendor_contact'];
const AUDIT: Role[] = ['admin', 'auditor'];
const CONTRACT_WRITERS: Role[] = ['admin', 'procurement'];

const ACCESS: Record<string, Role[] | 'public'> = {
  'GET /api/health': 'public',
  'GET /api/audit-log': AUDIT,
  'GET /api/audit-log/verify': AUDIT,
  'GET /api/audit-log/export': AUDIT,
  'POST /api/auth/login': 'public',
  'POST /api/auth/logout': ALL,
  'GET /api/auth/me': ALL,
  'POST /api/auth/change-password': ALL,
  'GET /api/invitations': INTERNAL,
  'POST /api/invitations': WRITERS,
  'POST /api/invitations/{id}/resend': WRITERS,
  'POST /api/invitations/{id}/revoke': WRITERS,
  'GET /api/invitations/by-token/{token}': 'public',
  'POST /api/invitations/accept': 'public',
  'GET /api/users': INTERNAL,
  'GET /api/users/{id}': INTERNAL,
  'PATCH /api/users/{id}': WRITERS,
  'POST /api/users/invitations': ['admin'],
  'GET /api/vendors': INTERNAL,
  'POST /api/vendors': WRITERS,
  'GET /api/vendors/{id}': ALL,
  'PATCH /api/vendors/{id}': WRITERS,
  'PUT /api/vendors/{id}/tier-override': WRITERS,
  'DELETE /api/vendors/{id}/tier-override': WRITERS,
  'POST /api/vendors/{id}/contacts': WRITERS,
  'PATCH /api/vendors/{id}/contacts/{contactId}': WRITERS,
  'DELETE /api/vendors/{id}/contacts/{contactId}': WRITERS,
  'GET /api/services': ALL,
  'POST /api/services': WRITERS,
  'GET /api/services/{id}': ALL,
  'PATCH /api/services/{id}': WRITERS,
  'DELETE /api/services/{id}': WRITERS,
  'POST /api/subcontractor-links': WRITERS,
  'DELETE /api/subcontractor-links/{id}': WRITERS,
  'GET /api/systems': INTERNAL,
  'POST /api/systems': WRITERS,
  'GET /api/systems/{id}': INTERNAL,
  'PATCH /api/systems/{id}': WRITERS,
  'DELETE /api/systems/{id}': WRITERS,
  'GET /api/dependencies': INTERNAL,
  'POST /api/dependencies': WRITERS,
  'PATCH /api/dependencies/{id}': WRITERS,
  'DELETE /api/dependencies/{id}': WRITERS,
  'GET /api/analysis/dependency-map': INTERNAL,
  'GET /api/analysis/single-points-of-failure': INTERNAL,
  'GET /api/analysis/concentration': INTERNAL,
  'POST /api/import/vendors': WRITERS,
  'POST /api/import/services': WRITERS,
  'GET /api/plugins': INTERNAL,
  'GET /api/signal-sources': INTERNAL,
  'POST /api/signal-sources': WRITERS,
  'POST /api/signal-sources/test': WRITERS,
  'GET /api/signal-sources/{id}': INTERNAL,
  'PATCH /api/signal-sources/{id}': WRITERS,
  'DELETE /api/signal-sources/{id}': WRITERS,
  'POST /api/signal-sources/{id}/poll': WRITERS,
  'POST /api/signal-sources/{id}/upload': WRITERS,
  'GET /api/signals': INTERNAL,
  'GET /api/signals/degraded': INTERNAL,
  'GET /api/vendors/{id}/signals': ALL,
  'POST /api/ingest/{key}': 'public',
  'GET /api/contracts': ALL,
  'POST /api/contracts': CONTRACT_WRITERS,
  'GET /api/contracts/{id}': ALL,
  'PATCH /api/contracts/{id}': CONTRACT_WRITERS,
  'GET /api/slas': ALL,
  'POST /api/slas': CONTRACT_WRITERS,
  'GET /api/slas/{id}': ALL,
  'POST /api/slas/{id}/versions': CONTRACT_WRITERS,
  'GET /api/slas/{id}/attainment': ALL,
  'POST /api/slas/{id}/vendor-reports': ['vendor_contact', 'admin'],
  'GET /api/negotiations': ALL,
  'POST /api/negotiations': CONTRACT_WRITERS,
  'GET /api/negotiations/{id}': ALL,
  'POST /api/negotiations/{id}/responses': ['vendor_contact'],
  'POST /api/negotiations/{id}/rounds': CONTRACT_WRITERS,
  'POST /api/negotiations/{id}/sign-off': [...CONTRACT_WRITERS, 'vendor_contact'],
  'POST /api/negotiations/{id}/cancel': CONTRACT_WRITERS,
  'GET /api/breaches': ALL,
  'GET /api/breaches/{id}': ALL,
  'POST /api/breaches/{id}/comments': ['admin', 'procurement', 'vendor_manager', 'vendor_contact'],
  'POST /api/breaches/{id}/resolve': ['admin', 'procurement', 'vendor_manager'],
  'GET /api/sla-portfolio': ALL,
  'GET /api/commitment-chain': INTERNAL,
  'POST /api/contracts/{id}/documents': CONTRACT_WRITERS,
  'GET /api/contracts/{id}/documents': ALL,
  'GET /api/contracts/{id}/documents/{documentId}': ALL,
  'GET /api/notifications': ALL,
  'POST /api/notifications/{id}/read': ALL,
  'POST /api/notifications/read-all': ALL,
};

const USERS: Record<Role, string> = {
  admin: 'admin@demo.bulwark.test',
  vendor_manager: 'manager@demo.bulwark.test',
  procurement: 'procurement@demo.bulwark.test',
  auditor: 'auditor@demo.bulwark.test',
  vendor_contact: 'contact@openai.demo.bulwark.test',
};

/** Ids of one organization's rows, keyed by what a path parameter names. */
interface Ids {
  vendor: string;
  contact: string;
  service: string;
  system: string;
  dependency: string;
  link: string;
  invitation: string;
  source: string;
  contract: string;
  sla: string;
  negotiation: string;
  breach: string;
  document: string;
  user: string;
  names: string[];
}

let t: TestApp;
let tokens: Record<Role, string>;
let routes: { method: string; path: string }[];
let own: Ids;
let foreignOrg: Ids;
let otherVendor: Ids; // same organization, a vendor the contact is not bound to

async function idsOf(ds: DataSource, orgSlug: string, vendorName: string): Promise<Ids> {
  const one = async (sql: string, params: unknown[]) => ((await ds.query(sql, params)) as { id: string }[])[0]?.id ?? '';
  const org = await one(`SELECT id FROM organizations WHERE slug = $1`, [orgSlug]);
  const vendor = await one(`SELECT id FROM vendors WHERE organization_id = $1 AND name = $2`, [org, vendorName]);
  const service = await one(`SELECT id FROM services WHERE vendor_id = $1 ORDER BY name LIMIT 1`, [vendor]);
  const names = ((await ds.query(`SELECT name FROM vendors WHERE id = $1 UNION ALL SELECT name FROM services WHERE vendor_id = $1`, [vendor])) as { name: string }[]).map((r) => r.name);
  return {
    vendor,
    service,
    names,
    contact: await one(`SELECT id FROM vendor_contacts WHERE vendor_id = $1 LIMIT 1`, [vendor]),
    system: await one(`SELECT s.id FROM internal_systems s JOIN dependencies d ON d.system_id = s.id WHERE d.service_id = $1 LIMIT 1`, [service]),
    dependency: await one(`SELECT id FROM dependencies WHERE service_id = $1 LIMIT 1`, [service]),
    link: await one(`SELECT id FROM subcontractor_links WHERE vendor_id = $1 LIMIT 1`, [vendor]),
    invitation: await one(`SELECT id FROM invitations WHERE vendor_id = $1 LIMIT 1`, [vendor]),
    source: await one(`SELECT id FROM signal_sources WHERE vendor_id = $1 LIMIT 1`, [vendor]),
    contract: await one(`SELECT id FROM contracts WHERE vendor_id = $1 LIMIT 1`, [vendor]),
    sla: await one(`SELECT id FROM slas WHERE vendor_id = $1 LIMIT 1`, [vendor]),
    negotiation: await one(`SELECT id FROM negotiations WHERE vendor_id = $1 LIMIT 1`, [vendor]),
    breach: await one(`SELECT id FROM sla_breaches WHERE vendor_id = $1 LIMIT 1`, [vendor]),
    document: await one(`SELECT id FROM contract_documents WHERE vendor_id = $1 LIMIT 1`, [vendor]),
    // The vendor's contact where there is one, else a member of staff of the organization.
    user: await one(`SELECT id FROM users WHERE organization_id = $1 AND (vendor_id = $2 OR vendor_id IS NULL) ORDER BY vendor_id NULLS LAST, email LIMIT 1`, [org, vendor]),
  };
}

function fill(path: string, ids: Ids): string {
  const resource = path.split('/')[2];
  const byResource: Record<string, string> = {
    vendors: ids.vendor,
    services: ids.service,
    systems: ids.system,
    dependencies: ids.dependency,
    'subcontractor-links': ids.link,
    invitations: ids.invitation,
    'signal-sources': ids.source,
    contracts: ids.contract,
    slas: ids.sla,
    negotiations: ids.negotiation,
    breaches: ids.breach,
    notifications: ids.vendor,
    users: ids.user,
  };
  return path
    .replace('{id}', byResource[resource ?? ''] ?? ids.vendor)
    .replace('{contactId}', ids.contact)
    .replace('{documentId}', ids.document)
    .replace('{token}', 'not-a-real-invitation-token-000000')
    .replace('{key}', 'not-a-real-webhook-key-0000000000')
    .concat(path.endsWith('/attainment') ? '?from=2026-01&to=2026-02' : '');
}

/** Valid bodies, so a request on someone else's id gets past validation to the ownership check. */
const VALID_BODY: Record<string, object> = {
  'PATCH /api/vendors/{id}': { description: 'changed' },
  'PUT /api/vendors/{id}/tier-override': { tier: 'low', reason: 'a reason that is long enough' },
  'POST /api/vendors/{id}/contacts': { name: 'Someone', email: 'someone@example.com' },
  'PATCH /api/vendors/{id}/contacts/{contactId}': { name: 'Someone else' },
  'PATCH /api/services/{id}': { description: 'changed' },
  'PATCH /api/systems/{id}': { description: 'changed' },
  'PATCH /api/dependencies/{id}': { notes: 'changed' },
  'PATCH /api/signal-sources/{id}': { name: 'renamed' },
  'PATCH /api/contracts/{id}': { title: 'renamed' },
  'POST /api/slas/{id}/versions': { effectiveFrom: '2030-01-01', terms: { availabilityTarget: 99.5 } },
  'POST /api/slas/{id}/vendor-reports': { window: '2026-01', availability: 99.95 },
  'POST /api/negotiations/{id}/responses': { round: 1, answers: {} },
  'POST /api/negotiations/{id}/rounds': { terms: { availabilityTarget: 99 } },
  'POST /api/breaches/{id}/comments': { body: 'a comment' },
  'POST /api/breaches/{id}/resolve': { decision: 'waived', note: 'a long enough note' },
  'PATCH /api/users/{id}': { name: 'Renamed' },
};

function send(method: string, url: string, token?: string, route?: string) {
  const r = t.http[method.toLowerCase() as 'get' | 'post' | 'patch' | 'put' | 'delete'](url);
  if (token) r.set(auth(token));
  if (url.startsWith('/api/import/')) return r.set('Content-Type', 'text/csv').send('name\n');
  return ['POST', 'PATCH', 'PUT'].includes(method) ? r.send((route && VALID_BODY[route]) || {}) : r;
}

const MISSING = '00000000-0000-4000-8000-000000000000';

/** Mutating routes that need a non-empty request to reach the ownership check. */
const SAFE_DESTRUCTIVE = new Set(['POST /api/auth/logout', 'POST /api/auth/change-password']);

beforeAll(async () => {
  t = await bootApp();
  await seedOrgs(t, true);
  const ds = t.app.get(DataSource);
  // Invitations so invitation routes have real ids in both organizations.
  for (const domain of ['demo', 'other']) {
    const manager = await login(t, `manager@${domain}.bulwark.test`);
    const vendors = await t.http.get('/api/vendors?search=OpenAI').set(auth(manager));
    const res = await t.http.post('/api/invitations').set(auth(manager)).send({ vendorId: vendors.body.items[0].id, email: `new.person@${domain}.example`, name: 'New Person' });
    expect(res.status).toBe(201);
    const other = await t.http.get('/api/vendors?search=Bloomberg').set(auth(manager));
    expect((await t.http.post('/api/invitations').set(auth(manager)).send({ vendorId: other.body.items[0].id, email: `b.person@${domain}.example`, name: 'B Person' })).status).toBe(201);
    // Signal sources; the address is refused by the feed policy, so polls never leave the machine.
    const procurement = await login(t, `procurement@${domain}.bulwark.test`);
    for (const v of [vendors.body.items[0].id, other.body.items[0].id]) {
      const src = await t.http.post('/api/signal-sources').set(auth(manager)).send({ vendorId: v, plugin: 'statuspage', config: { baseUrl: 'http://127.0.0.1:9' }, scheduleSeconds: 86400 });
      expect(src.status).toBe(201);
      const services = await t.http.get(`/api/services?vendorId=${v}`).set(auth(manager));
      const contract = await t.http.post('/api/contracts').set(auth(procurement)).send({ vendorId: v, title: 'Master services agreement', effectiveDate: '2025-01-01', serviceIds: [services.body.items[0].id] });
      expect(contract.status).toBe(201);
      const sla = await t.http.post('/api/slas').set(auth(procurement)).send({ contractId: contract.body.id, name: 'Availability', effectiveFrom: '2025-01-01', terms: { availabilityTarget: 99.9 }, scope: { serviceIds: [services.body.items[0].id] } });
      expect(sla.status).toBe(201);
      const doc = await t.http.post(`/api/contracts/${contract.body.id}/documents?name=msa.pdf`).set(auth(procurement)).set('content-type', 'application/pdf').send(Buffer.from('%PDF-1.4 demo'));
      expect(doc.status).toBe(201);
      await t.app.get(DataSource).query(
        `INSERT INTO sla_breaches (organization_id, sla_id, vendor_id, window_label, availability, target, credit_percent, status) SELECT organization_id, id, vendor_id, '2026-01', 99.5, 99.9, 10, 'open' FROM slas WHERE id = $1`,
        [sla.body.id],
      );
      const negotiation = await t.http.post('/api/negotiations').set(auth(procurement)).send({ contractId: contract.body.id, slaId: sla.body.id, effectiveFrom: '2027-01-01', terms: { availabilityTarget: 99.95 } });
      expect(negotiation.status).toBe(201);
    }
  }
  own = await idsOf(ds, 'demo-org', 'OpenAI');
  foreignOrg = await idsOf(ds, 'other-org', 'OpenAI');
  otherVendor = await idsOf(ds, 'demo-org', 'Bloomberg');
  tokens = Object.fromEntries(await Promise.all(Object.entries(USERS).map(async ([role, email]) => [role, await login(t, email)]))) as Record<Role, string>;
  const doc = (await t.http.get('/api/openapi.json')).body as { paths: Record<string, Record<string, unknown>> };
  routes = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => ({ method: m.toUpperCase(), path })));
});
afterAll(async () => t?.close());

describe('authorization matrix', () => {
  it('covers every route the API serves, and nothing more', () => {
    const served = routes.map((r) => `${r.method} ${r.path}`).sort();
    expect(served).toEqual(Object.keys(ACCESS).sort());
  });

  it('anonymous callers reach only public routes', async () => {
    for (const { method, path } of routes) {
      if (ACCESS[`${method} ${path}`] === 'public') continue;
      const res = await send(method, fill(path, own));
      expect(res.status, `${method} ${path}`).toBe(401);
    }
  });

  it('each role gets 403 exactly on the routes it may not use, before any validation', async () => {
    for (const { method, path } of routes) {
      const rule = ACCESS[`${method} ${path}`]!;
      if (rule === 'public') continue;
      for (const role of ALL) {
        const key = `${method} ${path}`;
        if (SAFE_DESTRUCTIVE.has(key)) continue;
        // Deletes aim at an id that does not exist, so this sweep changes nothing it later relies on.
        const url = method === 'DELETE' ? path.replace(/\{\w+\}/g, MISSING) : fill(path, own);
        const res = await send(method, url, tokens[role]);
        if (rule.includes(role)) expect([401, 403], `${role} ${key} → ${res.status}`).not.toContain(res.status);
        else {
          expect(res.status, `${role} ${key}`).toBe(403);
          expect(res.body.error.code).toBe('auth.forbidden');
        }
      }
    }
  });

  it("another organization's ids are not found for every role, and nothing of them leaks", async () => {
    for (const { method, path } of routes) {
      if (!path.includes('{')) continue;
      const rule = ACCESS[`${method} ${path}`]!;
      if (rule === 'public') continue;
      for (const role of rule) {
        const res = await send(method, fill(path, foreignOrg), tokens[role], `${method} ${path}`);
        expect([403, 404], `${role} ${method} ${path} → ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`).toContain(res.status);
        const body = JSON.stringify(res.body);
        for (const id of [foreignOrg.vendor, foreignOrg.service, foreignOrg.system, foreignOrg.dependency]) if (id) expect(body.includes(id) && res.status !== 404).toBe(false);
      }
    }
  });

  it("a vendor contact cannot reach another vendor's rows", async () => {
    for (const { method, path } of routes) {
      if (!path.includes('{')) continue;
      const rule = ACCESS[`${method} ${path}`]!;
      if (rule === 'public' || !rule.includes('vendor_contact')) continue;
      const res = await send(method, fill(path, otherVendor), tokens.vendor_contact, `${method} ${path}`);
      expect([403, 404], `${method} ${path}`).toContain(res.status);
      for (const name of otherVendor.names) expect(JSON.stringify(res.body)).not.toContain(name);
    }
  });

  it('lists never include other tenants or, for vendor contacts, other vendors', async () => {
    for (const role of INTERNAL) {
      const vendors = await t.http.get('/api/vendors?pageSize=200').set(auth(tokens[role]));
      expect(vendors.status).toBe(200);
      expect(vendors.body.items.map((v: { id: string }) => v.id)).not.toContain(foreignOrg.vendor);
      const services = await t.http.get('/api/services?pageSize=200').set(auth(tokens[role]));
      expect(services.body.items.map((s: { id: string }) => s.id)).not.toContain(foreignOrg.service);
    }
    const mine = await t.http.get('/api/services?pageSize=200').set(auth(tokens.vendor_contact));
    expect(mine.status).toBe(200);
    expect(mine.body.items.length).toBeGreaterThan(0);
    expect(new Set(mine.body.items.map((s: { vendorId: string }) => s.vendorId))).toEqual(new Set([own.vendor]));
    const detail = await t.http.get(`/api/vendors/${own.vendor}`).set(auth(tokens.vendor_contact));
    expect(detail.status).toBe(200);
    expect(detail.body.dependencies).toEqual([]); // internal systems are not the vendor's business
  });

  it("ids of another tenant in a request body are refused and write nothing", async () => {
    const ds = t.app.get(DataSource);
    const before = await ds.query(`SELECT count(*)::int AS n FROM dependencies`);
    const dep = await t.http.post('/api/dependencies').set(auth(tokens.vendor_manager)).send({ systemId: own.system, serviceId: foreignOrg.service, criticality: 'high' });
    expect(dep.status).toBe(422);
    expect(dep.body.error.fields[0].path).toBe('serviceId');
    const svc = await t.http.post('/api/services').set(auth(tokens.vendor_manager)).send({ vendorId: foreignOrg.vendor, name: 'Sneaky', kind: 'saas' });
    expect(svc.status).toBe(404);
    const link = await t.http.post('/api/subcontractor-links').set(auth(tokens.vendor_manager)).send({ serviceId: own.service, subServiceId: foreignOrg.service });
    expect(link.status).toBe(404);
    const inv = await t.http.post('/api/invitations').set(auth(tokens.vendor_manager)).send({ vendorId: foreignOrg.vendor, email: 'x@example.com', name: 'X' });
    expect(inv.status).toBe(404);
    expect(await ds.query(`SELECT count(*)::int AS n FROM dependencies`)).toEqual(before);
  });
});
