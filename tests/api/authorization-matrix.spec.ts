import { DateTime } from 'luxon';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { VENDOR_INTERNAL_FIELDS, type Role } from '@bulwark/api-schema';
import { InProcessQueue, Notifier, QUEUE } from '@bulwark/platform';

import { auth, bootApp, login, seedOrgs, type TestApp } from '../support/app';

/**
 * Every route × every role × another organization's and another vendor's ids.
 *
 * ACCESS is the authorization policy written down once more, by hand. The routes are read from the
 * Express router the application really serves (not from the OpenAPI document, which lists only what
 * Swagger knows): a served route missing here, or a route here that is not served, fails the test, so
 * adding a route means adding it to this matrix.
 */
const INTERNAL: Role[] = ['admin', 'vendor_manager', 'procurement', 'auditor'];
const WRITERS: Role[] = ['admin', 'vendor_manager'];
const ALL: Role[] = [...INTERNAL, 'vendor_contact'];
const AUDIT: Role[] = ['admin', 'auditor'];
const CONTRACT_WRITERS: Role[] = ['admin', 'procurement'];
const EVIDENCE_WRITERS: Role[] = ['admin', 'vendor_manager', 'procurement', 'vendor_contact'];

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
  // The organization's settings (time zone) and holiday calendar: staff read them, admins change them.
  'GET /api/organization': INTERNAL,
  'PATCH /api/organization': ['admin'],
  'GET /api/organization/holidays': INTERNAL,
  'POST /api/organization/holidays': ['admin'],
  'DELETE /api/organization/holidays/{holidayId}': ['admin'],
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
  'GET /api/signals/status': INTERNAL,
  'GET /api/signals/{id}': ALL,
  'GET /api/signals/{id}/history': ALL,
  // Raw feed bodies and pushed payloads are internal working material, not the vendor's.
  'GET /api/signals/{id}/raw': INTERNAL,
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
  'GET /api/slas/{id}/incidents': ALL,
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
  'GET /api/inbox': ALL,
  'GET /api/inbox/count': ALL,
  'GET /api/findings': ALL,
  'POST /api/findings': WRITERS,
  'GET /api/findings/{id}': ALL,
  // Vendor contacts propose, remediate and mark ready; the organization accepts, sends back and closes (the service decides each step).
  'POST /api/findings/{id}/transitions': [...WRITERS, 'vendor_contact'],
  'POST /api/findings/{id}/risk-acceptances': WRITERS,
  'POST /api/findings/{id}/risk-acceptances/{acceptanceId}/approve': WRITERS,
  'GET /api/evidence': ALL,
  'POST /api/evidence': EVIDENCE_WRITERS,
  'GET /api/evidence/{id}': ALL,
  'POST /api/evidence/{id}/revisions': EVIDENCE_WRITERS,
  'GET /api/evidence/{id}/revisions/{revisionId}/download': ALL,
  'POST /api/evidence/{id}/links': EVIDENCE_WRITERS,
  'DELETE /api/evidence/{id}/links/{linkId}': EVIDENCE_WRITERS,
  'GET /api/threads/{targetType}/{targetId}': ALL,
  'POST /api/threads/{targetType}/{targetId}': ['admin', 'procurement', 'vendor_manager', 'vendor_contact'],
  'GET /api/threads/{targetType}/{targetId}/people': ALL,
  // Questionnaire templates: internal reading; vendor contacts will see only what their requests snapshot.
  'GET /api/questionnaire-templates': INTERNAL,
  'POST /api/questionnaire-templates': WRITERS,
  'POST /api/questionnaire-templates/import': WRITERS,
  'GET /api/questionnaire-templates/{id}': INTERNAL,
  'POST /api/questionnaire-templates/{id}/versions': WRITERS,
  'GET /api/questionnaire-templates/{id}/versions/{v}': INTERNAL,
  'PUT /api/questionnaire-templates/{id}/versions/{v}': WRITERS,
  'POST /api/questionnaire-templates/{id}/versions/{v}/publish': WRITERS,
  'GET /api/questionnaire-templates/{id}/versions/{v}/export': INTERNAL,
  'POST /api/questionnaire-templates/{id}/archive': WRITERS,
  'POST /api/questionnaire-templates/{id}/restore': WRITERS,
  // Questionnaire requests: sent and cancelled by the writers, answered by the vendor's contacts (their own vendor's),
  // reviewed by the writers; the score history is the organization's assessment.
  'GET /api/questionnaire-requests': ALL,
  'POST /api/questionnaire-requests': WRITERS,
  'GET /api/questionnaire-requests/{id}': ALL,
  'GET /api/questionnaire-requests/{id}/export': ALL,
  'POST /api/questionnaire-requests/{id}/import': ['vendor_contact'],
  'PUT /api/questionnaire-requests/{id}/answers/{questionKey}': ['vendor_contact'],
  'POST /api/questionnaire-requests/{id}/submit': ['vendor_contact'],
  'POST /api/questionnaire-requests/{id}/review': WRITERS,
  'POST /api/questionnaire-requests/{id}/answers/{questionKey}/finding': WRITERS,
  'POST /api/questionnaire-requests/{id}/cancel': WRITERS,
  'GET /api/vendors/{id}/questionnaire-scores': INTERNAL,
  'GET /api/questionnaire-campaigns': INTERNAL,
  'POST /api/questionnaire-campaigns': WRITERS,
  'POST /api/questionnaire-campaigns/preview': WRITERS,
  'GET /api/questionnaire-campaigns/{id}': INTERNAL,
  'POST /api/questionnaire-campaigns/{id}/pause': WRITERS,
  'POST /api/questionnaire-campaigns/{id}/resume': WRITERS,
  'POST /api/questionnaire-campaigns/{id}/cancel': WRITERS,
  // Right-to-audit requests (not the audit log): the entitlement is the organization's planning; vendor contacts read
  // their own vendor's issued audits, acknowledge, counter or refuse them (the service decides each side's steps) and
  // answer items.
  'GET /api/audits/entitlement': INTERNAL,
  'GET /api/audits': ALL,
  'POST /api/audits': WRITERS,
  'GET /api/audits/{id}': ALL,
  'POST /api/audits/{id}/transitions': [...WRITERS, 'vendor_contact'],
  'POST /api/audits/{id}/window-decision': WRITERS,
  'POST /api/audits/{id}/items': WRITERS,
  'POST /api/audits/{id}/items/{itemId}/responses': ['vendor_contact'],
  'POST /api/audits/{id}/items/{itemId}/decision': WRITERS,
};

/** Served by SwaggerModule on the Express app itself (outside Nest's guards): the API documentation, public by design. */
const DOCS: Record<string, 'public'> = {
  'GET /api/docs': 'public',
  'GET /api/docs/': 'public',
  'GET /api/docs/swagger-ui-init.js': 'public',
  'GET /api/docs/index.html': 'public',
  'GET /api/docs/LICENSE': 'public',
  'GET /api/docs/docs/swagger-ui-init.js': 'public',
  'GET /api/openapi.json': 'public',
  'GET /api/openapi.yaml': 'public',
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
  notification: string;
  signal: string;
  finding: string;
  acceptance: string;
  evidence: string;
  revision: string;
  evidenceLink: string;
  /** A questionnaire request sent to the vendor (the built-in template). */
  request: string;
  /** The organization's built-in questionnaire template (not a vendor's row: the same for both vendors of one organization). */
  template: string;
  /** The organization's questionnaire campaign (not a vendor's row, like the template). */
  campaign: string;
  audit: string;
  auditItem: string;
  /** A holiday of the organization's calendar (not a vendor's row: left out of ID_KEYS, the same for both vendors). */
  holiday: string;
  names: string[];
}

const ID_KEYS = [
  'vendor',
  'contact',
  'service',
  'system',
  'dependency',
  'link',
  'invitation',
  'source',
  'contract',
  'sla',
  'negotiation',
  'breach',
  'document',
  'user',
  'notification',
  'signal',
  'finding',
  'acceptance',
  'evidence',
  'revision',
  'evidenceLink',
  'request',
  'audit',
  'auditItem',
] as const;

let t: TestApp;
let tokens: Record<Role, string>;
let routes: { method: string; path: string }[];
let served: { method: string; path: string }[];
let own: Ids;
let foreignOrg: Ids;
let otherVendor: Ids; // same organization, a vendor the contact is not bound to

async function idsOf(ds: DataSource, orgSlug: string, vendorName: string): Promise<Ids> {
  const one = async (sql: string, params: unknown[]) => ((await ds.query(sql, params)) as { id: string }[])[0]?.id ?? '';
  const org = await one(`SELECT id FROM organizations WHERE slug = $1`, [orgSlug]);
  const vendor = await one(`SELECT id FROM vendors WHERE organization_id = $1 AND name = $2`, [org, vendorName]);
  const service = await one(`SELECT id FROM services WHERE vendor_id = $1 ORDER BY name LIMIT 1`, [vendor]);
  // A contract with a document (a revision of contract-kind evidence linked to it), and that document, so
  // `/contracts/{id}/documents/{documentId}` is a real pair.
  const documentOf = `SELECT l.revision_id AS id FROM evidence_links l JOIN evidence_items e ON e.id = l.evidence_id
     WHERE l.target_type = 'contract' AND l.target_id = c.id AND e.kind = 'contract'`;
  const contract = await one(
    `SELECT c.id FROM contracts c WHERE c.vendor_id = $1 ORDER BY EXISTS (${documentOf}) DESC, c.created_at LIMIT 1`,
    [vendor],
  );
  const names = (
    (await ds.query(`SELECT name FROM vendors WHERE id = $1 UNION ALL SELECT name FROM services WHERE vendor_id = $1`, [vendor])) as {
      name: string;
    }[]
  ).map((r) => r.name);
  return {
    vendor,
    service,
    names,
    contact: await one(`SELECT id FROM vendor_contacts WHERE vendor_id = $1 LIMIT 1`, [vendor]),
    system: await one(`SELECT s.id FROM internal_systems s JOIN dependencies d ON d.system_id = s.id WHERE d.service_id = $1 LIMIT 1`, [
      service,
    ]),
    dependency: await one(`SELECT id FROM dependencies WHERE service_id = $1 LIMIT 1`, [service]),
    link: await one(`SELECT id FROM subcontractor_links WHERE vendor_id = $1 LIMIT 1`, [vendor]),
    invitation: await one(`SELECT id FROM invitations WHERE vendor_id = $1 LIMIT 1`, [vendor]),
    source: await one(`SELECT id FROM signal_sources WHERE vendor_id = $1 LIMIT 1`, [vendor]),
    contract,
    sla: await one(`SELECT id FROM slas WHERE vendor_id = $1 LIMIT 1`, [vendor]),
    negotiation: await one(`SELECT id FROM negotiations WHERE vendor_id = $1 LIMIT 1`, [vendor]),
    breach: await one(`SELECT id FROM sla_breaches WHERE vendor_id = $1 LIMIT 1`, [vendor]),
    document: await one(`SELECT d.id FROM contracts c, LATERAL (${documentOf} LIMIT 1) d WHERE c.id = $1`, [contract]),
    // The vendor's contact where there is one, else a member of staff of the organization.
    user: await one(
      `SELECT id FROM users WHERE organization_id = $1 AND (vendor_id = $2 OR vendor_id IS NULL) ORDER BY vendor_id NULLS LAST, email LIMIT 1`,
      [org, vendor],
    ),
    // A notification of the vendor's contact (another user than the caller for every role but that contact).
    notification: await one(
      `SELECT n.id FROM notifications n JOIN users u ON u.id = n.user_id WHERE n.organization_id = $1 AND u.vendor_id = $2 ORDER BY n.created_at LIMIT 1`,
      [org, vendor],
    ),
    signal: await one(`SELECT id FROM signals WHERE vendor_id = $1 AND external_id = 'matrix' LIMIT 1`, [vendor]),
    finding: await one(`SELECT id FROM findings WHERE vendor_id = $1 AND title = 'Matrix finding'`, [vendor]),
    acceptance: await one(
      `SELECT r.id FROM finding_risk_acceptances r JOIN findings f ON f.id = r.finding_id WHERE f.vendor_id = $1 AND f.title = 'Matrix finding'`,
      [vendor],
    ),
    // Evidence the vault's writers may all write: not a contract document (those are procurement's and admins').
    evidence: await one(`SELECT id FROM evidence_items WHERE vendor_id = $1 AND kind <> 'contract' ORDER BY created_at, id LIMIT 1`, [
      vendor,
    ]),
    revision: await one(
      `SELECT r.id FROM evidence_revisions r JOIN evidence_items e ON e.current_revision_id = r.id WHERE e.vendor_id = $1 AND e.kind <> 'contract' ORDER BY e.created_at, e.id LIMIT 1`,
      [vendor],
    ),
    evidenceLink: await one(
      `SELECT l.id FROM evidence_links l JOIN evidence_items e ON e.id = l.evidence_id WHERE e.vendor_id = $1 AND e.kind <> 'contract' ORDER BY e.created_at, e.id, l.id LIMIT 1`,
      [vendor],
    ),
    template: await one(`SELECT id FROM questionnaire_templates WHERE organization_id = $1 AND builtin_key = 'ai-supplier-dr'`, [org]),
    request: await one(`SELECT id FROM questionnaire_requests WHERE vendor_id = $1 ORDER BY sent_at, id LIMIT 1`, [vendor]),
    campaign: await one(`SELECT id FROM questionnaire_campaigns WHERE organization_id = $1 AND name = 'Matrix campaign'`, [org]),
    audit: await one(`SELECT id FROM audit_requests WHERE vendor_id = $1 AND title = 'Matrix audit'`, [vendor]),
    auditItem: await one(
      `SELECT i.id FROM audit_request_items i JOIN audit_requests a ON a.id = i.audit_id WHERE a.vendor_id = $1 AND a.title = 'Matrix audit'`,
      [vendor],
    ),
    holiday: await one(`SELECT id FROM organization_holidays WHERE organization_id = $1 ORDER BY date LIMIT 1`, [org]),
  };
}

/** Every route the application serves, read from the Express router (Express 5 keeps it at `app.router`). */
function servedRoutes(app: TestApp['app']): { method: string; path: string }[] {
  type Layer = { route?: { path: string | string[]; methods: Record<string, boolean> } };
  const express = app.getHttpAdapter().getInstance() as { router?: { stack: Layer[] }; _router?: { stack: Layer[] } };
  const stack = (express.router ?? express._router)?.stack ?? [];
  const out: { method: string; path: string }[] = [];
  for (const layer of stack) {
    if (!layer.route) continue;
    for (const raw of [layer.route.path].flat()) {
      const path = raw.replace(/:(\w+)/g, '{$1}');
      for (const [m, on] of Object.entries(layer.route.methods)) if (on && m !== '_all') out.push({ method: m.toUpperCase(), path });
    }
  }
  return out;
}

/** A closed window every SLA of the fixtures has (the demo's start a few months before the seeding time). */
const LAST_MONTH = DateTime.utc().minus({ months: 1 }).toFormat('yyyy-MM');

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
    notifications: ids.notification,
    users: ids.user,
    signals: ids.signal,
    findings: ids.finding,
    evidence: ids.evidence,
    'questionnaire-templates': ids.template,
    'questionnaire-requests': ids.request,
    'questionnaire-campaigns': ids.campaign,
    audits: ids.audit,
  };
  return path
    .replace('{id}', byResource[resource ?? ''] ?? ids.vendor)
    .replace('{contactId}', ids.contact)
    .replace('{documentId}', ids.document)
    .replace('{acceptanceId}', ids.acceptance)
    .replace('{revisionId}', ids.revision)
    .replace('{linkId}', ids.evidenceLink)
    .replace('{v}', '1')
    .replace('{questionKey}', 'scope.services')
    .replace('{itemId}', ids.auditItem)
    .replace('{holidayId}', ids.holiday)
    .replace('{targetType}', 'breach')
    .replace('{targetId}', ids.breach)
    .replace('{token}', 'not-a-real-invitation-token-000000')
    .replace('{key}', 'not-a-real-webhook-key-0000000000')
    .concat(path.endsWith('/attainment') ? '?from=2026-01&to=2026-02' : '')
    .concat(path.endsWith('/incidents') ? `?window=${LAST_MONTH}` : '');
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
  'POST /api/threads/{targetType}/{targetId}': { body: 'a comment', audience: 'vendor' },
  'POST /api/breaches/{id}/resolve': { decision: 'waived', note: 'a long enough note' },
  'PATCH /api/users/{id}': { name: 'Renamed' },
  'PATCH /api/organization': { timeZone: 'UTC' },
  'POST /api/findings/{id}/transitions': {
    to: 'plan_proposed',
    rootCause: 'Matrix root cause',
    correctiveAction: 'Matrix corrective action',
    targetDate: '2099-01-01',
  },
  'POST /api/findings/{id}/risk-acceptances': { reason: 'A long enough matrix reason', expiresAt: '2099-01-01' },
  'POST /api/evidence/{id}/links': { targetType: 'contract', targetId: '00000000-0000-4000-8000-000000000000' },
  'PUT /api/questionnaire-templates/{id}/versions/{v}': { revision: 1, content: { name: 'Matrix template', sections: [] } },
  'PUT /api/questionnaire-requests/{id}/answers/{questionKey}': { value: 'Matrix answer', version: 0 },
  'POST /api/questionnaire-requests/{id}/review': { outcome: 'accept' },
  'POST /api/questionnaire-requests/{id}/answers/{questionKey}/finding': { severity: 'low' },
  'POST /api/questionnaire-requests/{id}/cancel': { reason: 'Matrix cancel reason' },
  'POST /api/questionnaire-campaigns/{id}/cancel': { reason: 'Matrix cancel reason' },
  'POST /api/audits/{id}/transitions': { to: 'acknowledged' },
  'POST /api/audits/{id}/window-decision': { accept: true },
  'POST /api/audits/{id}/items': { reference: 'M-2', details: 'Matrix item', dueDate: '2099-01-01' },
  'POST /api/audits/{id}/items/{itemId}/responses': { notApplicableReason: 'Matrix: not applicable here' },
  'POST /api/audits/{id}/items/{itemId}/decision': { decision: 'accept' },
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
    const res = await t.http
      .post('/api/invitations')
      .set(auth(manager))
      .send({ vendorId: vendors.body.items[0].id, email: `new.person@${domain}.example`, name: 'New Person' });
    expect(res.status).toBe(201);
    const other = await t.http.get('/api/vendors?search=Bloomberg').set(auth(manager));
    expect(
      (
        await t.http
          .post('/api/invitations')
          .set(auth(manager))
          .send({ vendorId: other.body.items[0].id, email: `b.person@${domain}.example`, name: 'B Person' })
      ).status,
    ).toBe(201);
    // Signal sources; the address is refused by the feed policy, so polls never leave the machine.
    const procurement = await login(t, `procurement@${domain}.bulwark.test`);
    for (const v of [vendors.body.items[0].id, other.body.items[0].id]) {
      const src = await t.http
        .post('/api/signal-sources')
        .set(auth(manager))
        .send({ vendorId: v, plugin: 'statuspage', config: { baseUrl: 'http://127.0.0.1:9' }, scheduleSeconds: 86400 });
      expect(src.status).toBe(201);
      // A signal of the source, so signal routes have real ids for every vendor.
      await ds.query(
        `INSERT INTO signals (organization_id, vendor_id, source_id, dedupe_key, external_id, signal_type, level, severity, lifecycle, title, content_hash)
         SELECT organization_id, vendor_id, id, id || ':matrix', 'matrix', 'service_incident', 'degraded', 2, 'open', 'Matrix incident', 'matrix' FROM signal_sources WHERE id = $1`,
        [src.body.id],
      );
      const services = await t.http.get(`/api/services?vendorId=${v}`).set(auth(manager));
      const contract = await t.http
        .post('/api/contracts')
        .set(auth(procurement))
        .send({ vendorId: v, title: 'Master services agreement', effectiveDate: '2025-01-01', serviceIds: [services.body.items[0].id] });
      expect(contract.status).toBe(201);
      const sla = await t.http
        .post('/api/slas')
        .set(auth(procurement))
        .send({
          contractId: contract.body.id,
          name: 'Availability',
          effectiveFrom: '2025-01-01',
          terms: { availabilityTarget: 99.9 },
          scope: { serviceIds: [services.body.items[0].id] },
        });
      expect(sla.status).toBe(201);
      const doc = await t.http
        .post(`/api/contracts/${contract.body.id}/documents?name=msa.pdf`)
        .set(auth(procurement))
        .set('content-type', 'application/pdf')
        .send(Buffer.from('%PDF-1.4 demo'));
      expect(doc.status).toBe(201);
      // The recompute the new SLA queued judges its windows and withdraws a breach it does not find: let it
      // finish before recording one by hand (under load it could otherwise run after the insert).
      await t.app.get<InProcessQueue>(QUEUE).drain(20_000);
      await t.app
        .get(DataSource)
        .query(
          `INSERT INTO sla_breaches (organization_id, sla_id, vendor_id, window_label, availability, target, credit_percent, status) SELECT organization_id, id, vendor_id, '2026-01', 99.5, 99.9, 10, 'open' FROM slas WHERE id = $1`,
          [sla.body.id],
        );
      const negotiation = await t.http
        .post('/api/negotiations')
        .set(auth(procurement))
        .send({ contractId: contract.body.id, slaId: sla.body.id, effectiveFrom: '2027-01-01', terms: { availabilityTarget: 99.95 } });
      expect(negotiation.status).toBe(201);
      // Evidence of the vendor, with a revision and a link to its contract.
      const evidence = await t.http
        .post('/api/evidence')
        .set(auth(procurement))
        .field('vendorId', v)
        .field('kind', 'soc2_type2')
        .field('title', 'SOC 2 Type II report')
        .attach('file', Buffer.from('%PDF-1.4 matrix evidence'), { filename: 'soc2.pdf', contentType: 'application/pdf' });
      expect(evidence.status).toBe(201);
      const linked = await t.http
        .post(`/api/evidence/${evidence.body.id}/links`)
        .set(auth(procurement))
        .send({ targetType: 'contract', targetId: contract.body.id });
      expect(linked.status).toBe(201);
    }
    // A finding of each vendor with a risk acceptance awaiting approval, asked for by a second vendor manager (so
    // the matrix's admin and manager may both approve it: the requester never can).
    await ds.query(
      `INSERT INTO users (organization_id, email, name, role, password_hash)
       SELECT organization_id, $2, 'Second Manager', 'vendor_manager', password_hash FROM users WHERE email = $1`,
      [`manager@${domain}.bulwark.test`, `second.manager@${domain}.bulwark.test`],
    );
    const requester = await login(t, `second.manager@${domain}.bulwark.test`);
    for (const v of [vendors.body.items[0].id, other.body.items[0].id]) {
      const finding = await t.http
        .post('/api/findings')
        .set(auth(manager))
        .send({ vendorId: v, title: 'Matrix finding', severity: 'high' });
      expect(finding.status).toBe(201);
      const acceptance = await t.http
        .post(`/api/findings/${finding.body.id}/risk-acceptances`)
        .set(auth(requester))
        .send({ reason: 'Matrix: accepted until the migration', expiresAt: '2099-01-01' });
      expect(acceptance.status).toBe(201);
    }
    // A holiday in each organization's calendar, so the holiday routes have real ids.
    const admin = await login(t, `admin@${domain}.bulwark.test`);
    const holiday = await t.http
      .post('/api/organization/holidays')
      .set(auth(admin))
      .send({ holidays: [{ date: '2099-12-25', name: 'Matrix holiday' }] });
    expect(holiday.status, JSON.stringify(holiday.body)).toBe(201);
    // An issued audit of each vendor with one requested item (the matrix contract has no audit clause: overridden),
    // with an internal system in scope: the vendor's contacts must never see it.
    const systems = await t.http.get('/api/systems?pageSize=1').set(auth(manager));
    for (const v of [vendors.body.items[0].id, other.body.items[0].id]) {
      const created = await t.http
        .post('/api/audits')
        .set(auth(manager))
        .send({
          vendorId: v,
          title: 'Matrix audit',
          mode: 'remote',
          proposedStart: DateTime.utc().plus({ days: 60 }).toISODate(),
          proposedEnd: DateTime.utc().plus({ days: 62 }).toISODate(),
          timeZone: 'UTC',
          scope: { systemIds: [systems.body.items[0].id] },
          items: [{ reference: 'M-1', details: 'Matrix item', dueDate: DateTime.utc().plus({ days: 30 }).toISODate() }],
          override: { reason: 'Matrix: outside the contractual entitlement' },
        });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      const issued = await t.http.post(`/api/audits/${created.body.id}/transitions`).set(auth(manager)).send({ to: 'issued' });
      expect(issued.status, JSON.stringify(issued.body)).toBe(200);
    }
    // A notification for each vendor's contact (the notifier is what breaches and negotiations use).
    const org = (
      (await ds.query(`SELECT id FROM organizations WHERE slug = $1`, [domain === 'demo' ? 'demo-org' : 'other-org'])) as { id: string }[]
    )[0]!.id;
    for (const v of [vendors.body.items[0].id, other.body.items[0].id]) {
      const sent = await t.app
        .get(Notifier)
        .notify(org, { vendorContactsOf: v }, { title: 'Matrix notice', body: 'For the matrix test', key: `matrix-${v}` });
      expect(sent).toBeGreaterThan(0);
    }
    // A questionnaire request (the built-in template) to each vendor.
    const [builtIn] = (await ds.query(
      `SELECT v.id FROM questionnaire_template_versions v JOIN questionnaire_templates q ON q.id = v.template_id
        WHERE q.organization_id = $1 AND q.builtin_key = 'ai-supplier-dr' AND v.status = 'published'`,
      [org],
    )) as { id: string }[];
    for (const v of [vendors.body.items[0].id, other.body.items[0].id]) {
      const request = await t.http
        .post('/api/questionnaire-requests')
        .set(auth(manager))
        .send({ templateVersionId: builtIn!.id, vendorId: v, dueDate: '2099-01-01' });
      expect(request.status, JSON.stringify(request.body)).toBe(201);
    }
    // A yearly questionnaire campaign of the organization (its first cycle already run).
    await ds.query(
      `INSERT INTO questionnaire_campaigns (organization_id, name, template_id, template_version_id, filter, due_in_days, recurrence, status, next_cycle_on, cycles)
       SELECT q.organization_id, 'Matrix campaign', q.id, v.id, '{"tiers":["critical"]}', 30, 'yearly', 'active', current_date + 365, 1
         FROM questionnaire_template_versions v JOIN questionnaire_templates q ON q.id = v.template_id WHERE v.id = $1`,
      [builtIn!.id],
    );
  }
  own = await idsOf(ds, 'demo-org', 'OpenAI');
  foreignOrg = await idsOf(ds, 'other-org', 'OpenAI');
  otherVendor = await idsOf(ds, 'demo-org', 'Bloomberg');
  tokens = Object.fromEntries(
    await Promise.all(Object.entries(USERS).map(async ([role, email]) => [role, await login(t, email)])),
  ) as Record<Role, string>;
  served = servedRoutes(t.app);
  routes = served.filter((r) => !DOCS[`${r.method} ${r.path}`]);
  // Two organizations seeded in full and a fixture of every kind: about 15 s on a quiet machine, far more under load.
}, 240_000);
afterAll(async () => t?.close());

/** Every id and name of a fixture set: what must never appear in an answer to someone outside it. */
const secretsOf = (ids: Ids) => [...ID_KEYS.map((k) => ids[k]), ids.template, ids.campaign, ...ids.names];
/** What is theirs and not also ours (both organizations hold the same demo vendors, so names are shared and only ids count). */
const theirs = (ids: Ids) => secretsOf(ids).filter((x) => !secretsOf(own).includes(x));

/** Fails when the body holds any of the other side's ids or names, except what the request itself sent. */
function expectNoLeak(res: { status: number; body: unknown; text?: string }, secrets: string[], sent: string, what: string): void {
  const body =
    typeof res.body === 'object' && res.body !== null && Object.keys(res.body).length ? JSON.stringify(res.body) : (res.text ?? '');
  for (const secret of secrets)
    if (!sent.includes(secret)) expect(body.includes(secret), `${what} → ${res.status} leaks ${secret}: ${body.slice(0, 300)}`).toBe(false);
}

/**
 * What a vendor contact must never read, on any route it may call (issue 9, item 7). Decided from the
 * domain model (docs/domain.md): the vendor sees its own profile, services, contracts, SLAs, negotiations,
 * breaches and signals; the organization's assessment of it, its notes and its own systems are internal.
 *
 * - VENDOR_ABSENT: keys that must not appear at any depth: the vendor's internal notes (`description`, also
 *   the services' and subcontractor links' notes) and the tier assessment (intake answers, tier, score,
 *   reasons, override), the internal business owner, and everything about internal systems and the
 *   dependencies on the vendor (notes, contingency plans, criticality, risk class, required RTO/RPO, single
 *   points of failure). `version` of VENDOR_INTERNAL_FIELDS is left out here: contracts and SLAs have
 *   their own (harmless) `version`; the vendor's is checked on the profile above.
 * - VENDOR_EMPTIED: keys some vendor-visible shapes keep but always empty for the contact: a signal's raw
 *   evidence (`rawRef`), a negotiation's comparison with other vendors' terms (`context`), a signal
 *   source's settings, secrets, errors and webhook (`config`, `secretsSet`, `lastError`, `webhookUrl`), an
 *   evidence item's internal owner (`owner`).
 * - Values (internalValuesOf): the notes themselves, the override reason and the names of internal
 *   systems, plus another vendor's ids and names: none may appear anywhere in an answer, also as text.
 *
 * Deliberately shared with the vendor: the contract's terms (title, reference, dates, annual value and
 * currency: both parties signed them, and the credits owed shown to the vendor are computed from the value),
 * SLA terms and versions, the breach thread, the vendor's own identifiers, lifecycle, contacts and
 * subcontracted services (`runsOn`), and its `sharedSummary`.
 */
const VENDOR_ABSENT = new Set<string>([
  ...VENDOR_INTERNAL_FIELDS.filter((f) => f !== 'version'),
  'notes',
  'contingencyPlan',
  'criticality',
  'systemId',
  'systemName',
  'systemNames',
  'riskClass',
  'requiredRtoMinutes',
  'requiredRpoMinutes',
  'singlePointOfFailure',
  'singlePointsOfFailure',
]);
const VENDOR_EMPTIED = new Set([
  'rawRef',
  'context',
  'config',
  'secretsSet',
  'lastError',
  'webhookUrl',
  'owner',
  'score',
  'scorePercent',
  // An audit's internal systems in scope (`scope.systemIds`): the organization's planning.
  'systemIds',
]);

/** Paths in an answer where an internal field shows (an absent key present, or an emptied key with a value). */
function internalFieldsIn(body: unknown, path = '$', out: string[] = []): string[] {
  if (Array.isArray(body)) body.forEach((x, i) => internalFieldsIn(x, `${path}[${i}]`, out));
  else if (body !== null && typeof body === 'object')
    for (const [k, v] of Object.entries(body)) {
      const empty = v === null || (typeof v === 'object' && Object.keys(v).length === 0);
      // A questionnaire's snapshot is what the vendor was asked: its `description`s are the template's texts, not notes.
      if (k === 'content' && v !== null && typeof v === 'object' && 'sections' in v) continue;
      if (VENDOR_ABSENT.has(k)) out.push(`${path}.${k}`);
      else if (VENDOR_EMPTIED.has(k) && !empty) out.push(`${path}.${k} = ${JSON.stringify(v).slice(0, 80)}`);
      internalFieldsIn(v, `${path}.${k}`, out);
    }
  return out;
}

/** The organization's internal text about a vendor: its notes, its services' and links' notes, dependency notes, override reason, internal systems. */
async function internalValuesOf(ds: DataSource, vendorId: string): Promise<string[]> {
  const rows = (await ds.query(
    `SELECT description AS v FROM vendors WHERE id = $1
     UNION SELECT tier_override_reason FROM vendors WHERE id = $1
     UNION SELECT description FROM services WHERE vendor_id = $1
     UNION SELECT description FROM subcontractor_links WHERE vendor_id = $1
     UNION SELECT d.notes FROM dependencies d JOIN services s ON s.id = d.service_id WHERE s.vendor_id = $1
     UNION SELECT name FROM internal_systems WHERE organization_id = (SELECT organization_id FROM vendors WHERE id = $1)
     UNION SELECT id::text FROM internal_systems WHERE organization_id = (SELECT organization_id FROM vendors WHERE id = $1)
     UNION SELECT description FROM internal_systems WHERE organization_id = (SELECT organization_id FROM vendors WHERE id = $1)
     UNION SELECT body FROM thread_comments WHERE vendor_id = $1 AND audience = 'internal'
     UNION SELECT review_comment FROM questionnaire_answers WHERE vendor_id = $1 AND review_audience = 'internal'`,
    [vendorId],
  )) as { v: string | null }[];
  return rows.map((r) => r.v).filter((v): v is string => !!v && v.length > 3);
}

describe('authorization matrix', () => {
  it('every id the test substitutes is real (non-empty) in all three fixture sets', () => {
    for (const [label, ids] of [
      ['own', own],
      ['another organization', foreignOrg],
      ['another vendor', otherVendor],
    ] as const) {
      for (const k of ID_KEYS) expect(ids[k], `${label}.${k}`).toMatch(/^[0-9a-f-]{36}$/);
      expect(ids.names.length, `${label}.names`).toBeGreaterThan(1);
      for (const n of ids.names) expect(n.length, `${label} name`).toBeGreaterThan(2);
    }
    // Distinct rows: the other organization's and the other vendor's ids are not ours.
    for (const k of ID_KEYS) {
      expect(foreignOrg[k], k).not.toBe(own[k]);
      expect(otherVendor[k], k).not.toBe(own[k]);
    }
  });

  it('covers every route the Express router serves, and nothing more', () => {
    const servedKeys = served.map((r) => `${r.method} ${r.path}`).sort();
    expect(servedKeys.length).toBeGreaterThan(50);
    expect(new Set(servedKeys).size, 'no route registered twice').toBe(servedKeys.length);
    const missing = servedKeys.filter((k) => !(k in ACCESS) && !(k in DOCS));
    const stale = [...Object.keys(ACCESS), ...Object.keys(DOCS)].filter((k) => !servedKeys.includes(k));
    expect(missing, 'served but not in ACCESS').toEqual([]);
    expect(stale, 'in ACCESS but not served').toEqual([]);
  });

  it('anonymous callers reach only public routes', async () => {
    for (const { method, path } of routes) {
      if (ACCESS[`${method} ${path}`] === 'public') continue;
      const res = await send(method, fill(path, own));
      expect(res.status, `${method} ${path}`).toBe(401);
    }
    for (const key of Object.keys(DOCS)) {
      const [method, path] = key.split(' ') as [string, string];
      expect([401, 403], key).not.toContain((await send(method, path)).status);
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
    // Every route × every role, one request each: ~700 requests, which take over 20 s on a loaded machine.
  }, 120_000);

  it("another organization's ids are not found for every role, and nothing of them leaks, whatever the status", async () => {
    const secrets = theirs(foreignOrg);
    for (const { method, path } of routes) {
      if (!path.includes('{')) continue;
      const rule = ACCESS[`${method} ${path}`]!;
      if (rule === 'public') continue;
      for (const role of rule) {
        const url = fill(path, foreignOrg);
        const res = await send(method, url, tokens[role], `${method} ${path}`);
        expect([403, 404], `${role} ${method} ${path} → ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`).toContain(res.status);
        expectNoLeak(res, secrets, url, `${role} ${method} ${path}`);
      }
    }
  });

  it("a vendor contact cannot reach another vendor's rows (their notifications included)", async () => {
    const secrets = theirs(otherVendor);
    for (const { method, path } of routes) {
      if (!path.includes('{')) continue;
      const rule = ACCESS[`${method} ${path}`]!;
      if (rule === 'public' || !rule.includes('vendor_contact')) continue;
      const url = fill(path, otherVendor);
      const res = await send(method, url, tokens.vendor_contact, `${method} ${path}`);
      expect([403, 404], `${method} ${path}`).toContain(res.status);
      expectNoLeak(res, secrets, url, `vendor_contact ${method} ${path}`);
    }
    // The notification of another user in the same organization stays unread.
    const [n] = (await t.app.get(DataSource).query(`SELECT read_at FROM notifications WHERE id = $1`, [otherVendor.notification])) as {
      read_at: Date | null;
    }[];
    expect(n!.read_at).toBeNull();
  });

  it("lists never include other tenants or, for vendor contacts, other vendors, also when the query names another tenant's vendor", async () => {
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
    // ?vendorId= of another organization (every role) or another vendor (the contact) on every list:
    // refused, or an empty answer; never a row of theirs.
    const lists = routes.filter((r) => r.method === 'GET' && !r.path.includes('{') && ACCESS[`GET ${r.path}`] !== 'public');
    let filtered = 0;
    for (const { path } of lists) {
      const rule = ACCESS[`GET ${path}`] as Role[];
      for (const [role, vendorId, secrets] of [
        ...rule.map((r) => [r, foreignOrg.vendor, theirs(foreignOrg)] as const),
        ...(rule.includes('vendor_contact') ? [['vendor_contact', otherVendor.vendor, theirs(otherVendor)] as const] : []),
      ]) {
        const url = `${path}?vendorId=${vendorId}`;
        const res = await t.http.get(url).set(auth(tokens[role]));
        expect([200, 403, 404, 422], `${role} ${url} → ${res.status}`).toContain(res.status);
        if (res.status === 200) {
          filtered += 1;
          // A list may ignore the filter (notifications are the caller's own) but never answers their rows.
          const items: unknown = Array.isArray(res.body) ? res.body : res.body.items;
          if (Array.isArray(items))
            for (const item of items as { vendorId?: string }[]) expect(item.vendorId, `${role} ${url}`).not.toBe(vendorId);
        }
        expectNoLeak(res, secrets, url, `${role} ${url}`);
      }
    }
    expect(filtered, 'some lists take vendorId').toBeGreaterThan(3);
  });

  it('a vendor contact sees its vendor as a profile, without the internal assessment', async () => {
    const detail = await t.http.get(`/api/vendors/${own.vendor}`).set(auth(tokens.vendor_contact));
    expect(detail.status).toBe(200);
    expect(detail.body).toMatchObject({ view: 'profile', id: own.vendor });
    for (const f of VENDOR_INTERNAL_FIELDS) expect(detail.body, f).not.toHaveProperty(f); // e.g. internal systems are not the vendor's business
    const internal = await t.http.get(`/api/vendors/${own.vendor}`).set(auth(tokens.auditor));
    expect(internal.body).toMatchObject({ view: 'full' });
    for (const f of VENDOR_INTERNAL_FIELDS) expect(internal.body, f).toHaveProperty(f);
  });

  it("no answer to a vendor contact carries the organization's internal fields or notes, on any route the contact may call", async () => {
    const ds = t.app.get(DataSource);
    // Internal notes with a value on every kind of row the contact's vendor touches, so the check is not vacuous.
    await ds.query(
      `UPDATE dependencies SET notes = 'Matrix: internal dependency note' WHERE service_id IN (SELECT id FROM services WHERE vendor_id = $1)`,
      [own.vendor],
    );
    await ds.query(`UPDATE subcontractor_links SET description = 'Matrix: internal link note' WHERE vendor_id = $1`, [own.vendor]);
    const override = await t.http
      .put(`/api/vendors/${own.vendor}/tier-override`)
      .set(auth(tokens.vendor_manager))
      .send({ tier: 'critical', reason: 'Matrix: internal override reason' });
    expect(override.status).toBe(200);
    // An internal note on the vendor's breach thread (written here: the sweeps above may have decided the breach).
    await ds.query(
      `INSERT INTO thread_comments (organization_id, vendor_id, target_type, target_id, audience, author_side, body)
       SELECT organization_id, vendor_id, 'breach', id, 'internal', 'customer', 'Matrix: internal thread note' FROM sla_breaches WHERE id = $1`,
      [own.breach],
    );
    // An internal reviewer's note on an answer of the vendor's questionnaire (on its thread too).
    await ds.query(
      `INSERT INTO questionnaire_answers (organization_id, vendor_id, request_id, question_key, review_decision, review_comment, review_audience, reviewed_at)
       SELECT organization_id, vendor_id, id, 'scope.model_provider', 'flagged', 'Matrix: internal review note', 'internal', now() FROM questionnaire_requests WHERE id = $1`,
      [own.request],
    );
    await ds.query(
      `INSERT INTO thread_comments (organization_id, vendor_id, target_type, target_id, audience, author_side, body)
       SELECT organization_id, vendor_id, 'questionnaire_request', id, 'internal', 'customer', 'Matrix: internal questionnaire thread note' FROM questionnaire_requests WHERE id = $1`,
      [own.request],
    );
    const values = await internalValuesOf(ds, own.vendor);
    expect(values.length, 'internal notes to look for').toBeGreaterThan(5);
    const secrets = [...values, ...theirs(otherVendor)];

    let checked = 0;
    for (const { method, path } of routes) {
      const key = `${method} ${path}`;
      const rule = ACCESS[key]!;
      if (rule === 'public' || !rule.includes('vendor_contact') || SAFE_DESTRUCTIVE.has(key)) continue;
      const url = method === 'DELETE' ? path.replace(/\{\w+\}/g, MISSING) : fill(path, own);
      const res = await send(method, url, tokens.vendor_contact, key);
      if (method === 'GET') expect(res.status, `GET ${url} answers the contact`).toBe(200);
      const text = typeof res.text === 'string' ? res.text : JSON.stringify(res.body);
      for (const secret of secrets)
        expect(text.includes(secret), `${key} → ${res.status} shows "${secret}": ${text.slice(0, 300)}`).toBe(false);
      if (res.type === 'application/json') expect(internalFieldsIn(res.body), `${key} → ${res.status}`).toEqual([]);
      checked += 1;
    }
    expect(checked, 'routes answering a vendor contact').toBeGreaterThan(20);
  });

  it('a vendor contact never gets an internal thread comment (nor its count) from any thread route', async () => {
    const ds = t.app.get(DataSource);
    const secret = 'Matrix: internal note on the negotiation';
    await ds.query(
      `INSERT INTO thread_comments (organization_id, vendor_id, target_type, target_id, audience, author_side, body)
       SELECT organization_id, vendor_id, 'negotiation', id, 'internal', 'customer', $2 FROM negotiations WHERE id = $1`,
      [own.negotiation, secret],
    );
    const threadRoutes = routes.filter((r) => r.path.startsWith('/api/threads/'));
    expect(threadRoutes.length).toBeGreaterThan(2);
    for (const { method, path } of threadRoutes) {
      const url = path.replace('{targetType}', 'negotiation').replace('{targetId}', own.negotiation);
      const res = await send(method, url, tokens.vendor_contact, `${method} ${path}`);
      expect([200, 201], `${method} ${url} → ${res.status}`).toContain(res.status);
      expect(JSON.stringify(res.body)).not.toContain(secret);
      expect(JSON.stringify(res.body)).not.toContain('"internal"');
    }
    const auditor = await t.http.get(`/api/threads/negotiation/${own.negotiation}`).set(auth(tokens.auditor));
    expect(JSON.stringify(auditor.body)).toContain(secret);
  });

  it('ids of another tenant in a request body are refused and write nothing', async () => {
    const ds = t.app.get(DataSource);
    const rows = async () =>
      (await ds.query(
        `SELECT (SELECT count(*) FROM dependencies)::int AS dependencies, (SELECT count(*) FROM services)::int AS services, (SELECT count(*) FROM subcontractor_links)::int AS links,
                (SELECT count(*) FROM invitations)::int AS invitations, (SELECT count(*) FROM contracts)::int AS contracts, (SELECT count(*) FROM slas)::int AS slas,
                (SELECT count(*) FROM negotiations)::int AS negotiations, (SELECT count(*) FROM signal_sources)::int AS sources, (SELECT count(*) FROM audit_log)::int AS audit,
                (SELECT count(*) FROM findings)::int AS findings, (SELECT count(*) FROM questionnaire_requests)::int AS questionnaire_requests,
                (SELECT count(*) FROM audit_requests)::int AS audits`,
      )) as Record<string, number>[];
    const before = await rows();
    const manager = auth(tokens.vendor_manager);
    const procurement = auth(tokens.procurement);
    const admin = auth(tokens.admin);
    const refused = async (what: string, req: Promise<{ status: number; body: unknown; text?: string }>, sent: object) => {
      const res = await req;
      expect([403, 404, 422], `${what} → ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`).toContain(res.status);
      expectNoLeak(res, theirs(foreignOrg), JSON.stringify(sent), what);
      return res;
    };
    const post = (url: string, h: Record<string, string>, body: object) =>
      refused(`POST ${url} ${JSON.stringify(body)}`, t.http.post(url).set(h).send(body), body);

    const dep = await post('/api/dependencies', manager, { systemId: own.system, serviceId: foreignOrg.service, criticality: 'high' });
    expect((dep.body as { error: { fields: { path: string }[] } }).error.fields[0]!.path).toBe('serviceId');
    await post('/api/dependencies', manager, { systemId: foreignOrg.system, serviceId: own.service, criticality: 'high' });
    await post('/api/dependencies', manager, {
      systemId: own.system,
      serviceId: own.service,
      alternativeServiceId: foreignOrg.service,
      criticality: 'high',
    });
    await post('/api/services', manager, { vendorId: foreignOrg.vendor, name: 'Sneaky', kind: 'saas' });
    await post('/api/subcontractor-links', manager, { serviceId: own.service, subServiceId: foreignOrg.service });
    await post('/api/subcontractor-links', manager, { serviceId: foreignOrg.service, subServiceId: own.service });
    await post('/api/invitations', manager, { vendorId: foreignOrg.vendor, email: 'x@example.com', name: 'X' });
    // Contracts, SLAs, negotiations and signal sources: another tenant's vendor, contract, SLA or service.
    await post('/api/contracts', procurement, {
      vendorId: foreignOrg.vendor,
      title: 'Sneaky MSA',
      effectiveDate: '2025-01-01',
      serviceIds: [foreignOrg.service],
    });
    await post('/api/contracts', procurement, {
      vendorId: own.vendor,
      title: 'Sneaky MSA',
      effectiveDate: '2025-01-01',
      serviceIds: [foreignOrg.service],
    });
    const terms = { availabilityTarget: 99.9 };
    await post('/api/slas', procurement, {
      contractId: foreignOrg.contract,
      name: 'Sneaky',
      effectiveFrom: '2025-01-01',
      terms,
      scope: { serviceIds: [foreignOrg.service] },
    });
    await post('/api/slas', procurement, {
      contractId: own.contract,
      name: 'Sneaky',
      effectiveFrom: '2025-01-01',
      terms,
      scope: { serviceIds: [foreignOrg.service] },
    });
    await post('/api/negotiations', procurement, {
      contractId: foreignOrg.contract,
      slaId: foreignOrg.sla,
      effectiveFrom: '2027-01-01',
      terms,
    });
    await post('/api/negotiations', procurement, { contractId: own.contract, slaId: foreignOrg.sla, effectiveFrom: '2027-01-01', terms });
    await post('/api/negotiations', procurement, { contractId: foreignOrg.contract, effectiveFrom: '2027-01-01', terms });
    const source = { plugin: 'statuspage', config: { baseUrl: 'http://127.0.0.1:9' }, scheduleSeconds: 86400 };
    await post('/api/signal-sources', manager, { ...source, vendorId: foreignOrg.vendor });
    await post('/api/signal-sources', manager, { ...source, vendorId: own.vendor, serviceId: foreignOrg.service });
    await post('/api/signal-sources', manager, { ...source, vendorId: foreignOrg.vendor, serviceId: foreignOrg.service });
    // Findings: another tenant's vendor, or a vendor-side owner of another tenant.
    const finding = await post('/api/findings', manager, { vendorId: foreignOrg.vendor, title: 'Sneaky finding', severity: 'low' });
    expect((finding.body as { error: { fields: { path: string }[] } }).error.fields[0]!.path).toBe('vendorId');
    const foreignContact = (
      (await ds.query(`SELECT id FROM users WHERE vendor_id = $1 LIMIT 1`, [foreignOrg.vendor])) as { id: string }[]
    )[0]!.id;
    await post('/api/findings', manager, { vendorId: own.vendor, title: 'Sneaky finding', severity: 'low', vendorOwnerId: foreignContact });
    // Questionnaire requests: another tenant's vendor, template version or contact.
    const [ownVersion] = (await ds.query(
      `SELECT v.id FROM questionnaire_template_versions v JOIN questionnaire_templates q ON q.id = v.template_id WHERE q.id = $1 AND v.status = 'published'`,
      [own.template],
    )) as { id: string }[];
    const [foreignVersion] = (await ds.query(
      `SELECT v.id FROM questionnaire_template_versions v JOIN questionnaire_templates q ON q.id = v.template_id WHERE q.id = $1 AND v.status = 'published'`,
      [foreignOrg.template],
    )) as { id: string }[];
    const due = '2099-01-01';
    await post('/api/questionnaire-requests', manager, { templateVersionId: ownVersion!.id, vendorId: foreignOrg.vendor, dueDate: due });
    await post('/api/questionnaire-requests', manager, { templateVersionId: foreignVersion!.id, vendorId: own.vendor, dueDate: due });
    await post('/api/questionnaire-requests', manager, {
      templateVersionId: ownVersion!.id,
      vendorId: own.vendor,
      dueDate: due,
      recipientIds: [foreignContact],
    });
    // Audits: another tenant's vendor, contract, services, systems or item owner.
    const sneakyAudit = {
      title: 'Sneaky audit',
      mode: 'remote',
      proposedStart: DateTime.utc().plus({ days: 90 }).toISODate(),
      proposedEnd: DateTime.utc().plus({ days: 91 }).toISODate(),
      timeZone: 'UTC',
      override: { reason: 'Matrix: a sneaky override' },
    };
    const audit = await post('/api/audits', manager, { ...sneakyAudit, vendorId: foreignOrg.vendor });
    expect((audit.body as { error: { fields: { path: string }[] } }).error.fields[0]!.path).toBe('vendorId');
    await post('/api/audits', manager, { ...sneakyAudit, vendorId: own.vendor, contractId: foreignOrg.contract });
    await post('/api/audits', manager, { ...sneakyAudit, vendorId: own.vendor, scope: { serviceIds: [foreignOrg.service] } });
    await post('/api/audits', manager, { ...sneakyAudit, vendorId: own.vendor, scope: { systemIds: [foreignOrg.system] } });
    await post('/api/audits', manager, {
      ...sneakyAudit,
      vendorId: own.vendor,
      items: [
        { reference: 'S-1', details: 'Sneaky', dueDate: DateTime.utc().plus({ days: 10 }).toISODate(), vendorOwnerId: foreignContact },
      ],
    });
    // Staff invitations carry no ids: an address that has an account in another organization is refused
    // without saying so (no "already has an account" about a stranger).
    const otherUserEmail = (
      (await ds.query(
        `SELECT u.email FROM users u JOIN organizations o ON o.id = u.organization_id WHERE o.slug = 'other-org' AND u.role = 'auditor'`,
      )) as { email: string }[]
    )[0]!.email;
    const staff = await t.http.post('/api/users/invitations').set(admin).send({ email: otherUserEmail, name: 'Stranger', role: 'auditor' });
    expect([409, 422], `POST /api/users/invitations → ${staff.status}`).toContain(staff.status);
    expect(JSON.stringify(staff.body)).not.toMatch(/another organization|Other Org|other\.bulwark|other-org/i);
    expectNoLeak(staff, theirs(foreignOrg), otherUserEmail, 'POST /api/users/invitations');
    expect(await rows()).toEqual(before);
  });
});
