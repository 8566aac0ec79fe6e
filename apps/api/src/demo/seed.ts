import { Readable } from 'node:stream';
import { Logger, type INestApplication, type INestApplicationContext } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { ContractService } from '@bulwark/agreements';
import {
  clausesSchema,
  slaTermsSchema,
  visibleQuestions,
  type Answers,
  type AnswerValue,
  type Role,
  type TemplateDocument,
  type TemplateQuestion,
} from '@bulwark/api-schema';
import { AuditItems, AuditService, AuditsJob } from '@bulwark/audits';
import { EvidenceService } from '@bulwark/evidence';
import { FindingService, RiskAcceptances } from '@bulwark/findings';
import { hashPassword, Organization, User } from '@bulwark/identity';
import { DependencyService, ServiceCatalog, SystemService, VendorContactService, VendorService, type Service } from '@bulwark/inventory';
import { AuditLogService, RequestContext, seededRandom, systemActor, type Actor } from '@bulwark/platform';
import { leiSignal, parseLeiDocument } from '@bulwark/plugin-entity-status';
import { signal, type NormalizedSignal } from '@bulwark/plugin-sdk';
import { ALTMAN_MODELS } from '@bulwark/plugin-sec-edgar';
import { BuiltInTemplates, QuestionnaireRequestService } from '@bulwark/questionnaires';
import { FinancialHealth, ingestSignals, SignalSourceService } from '@bulwark/signals';
import { RecomputeService, SlaService } from '@bulwark/slas';

import {
  DEMO_AUDITS,
  DEMO_CONTRACTS,
  DEMO_DEPENDENCIES,
  DEMO_EVIDENCE,
  DEMO_FINANCIAL_SOURCES,
  DEMO_FINDINGS,
  DEMO_HEALTH_SOURCES,
  DEMO_INCIDENTS,
  DEMO_LINKS,
  DEMO_QUESTIONNAIRES,
  DEMO_SYSTEMS,
  DEMO_UNWATCHED_STATUS_PAGES,
  DEMO_VENDORS,
  type DemoFinancialSource,
  type DemoIncident,
  type DemoQuestionnaire,
} from './demo-data.js';

export const DEMO_PASSWORD = 'bulwark-demo';
export const DEMO_ORG = { name: 'Demo Org', slug: 'demo-org' };
export const DEMO_USERS: { email: string; name: string; role: Role }[] = [
  { email: 'admin@demo.bulwark.test', name: 'Ada Admin', role: 'admin' },
  { email: 'manager@demo.bulwark.test', name: 'Morgan Manager', role: 'vendor_manager' },
  { email: 'procurement@demo.bulwark.test', name: 'Parker Procurement', role: 'procurement' },
  { email: 'auditor@demo.bulwark.test', name: 'Avery Auditor', role: 'auditor' },
];
/** Vendors whose demo contact can sign in: contact@<vendor-slug>.demo.bulwark.test */
export const DEMO_CONTACT_VENDORS = ['OpenAI', 'Amazon Web Services', 'Bloomberg'];

/** Audit actions that bracket a seed: a started organization without the finished entry is half-built. */
export const DEMO_SEED_STARTED = 'demo.seed_started';
export const DEMO_SEED_FINISHED = 'demo.seeded';
const SEED_ACTOR = 'demo-seed@bulwark';

/**
 * Whether the organization with this slug is fully seeded (`complete`), left half-built by a seed
 * that failed or was killed (`partial`), or missing. An organization without any seed entry was
 * created otherwise (or by a seed that predates the markers) and counts as complete: it is never removed.
 */
export async function demoSeedState(
  ds: DataSource,
  slug: string,
): Promise<{ state: 'missing' } | { state: 'complete' | 'partial'; organizationId: string }> {
  const rows: { id: string; started: boolean; finished: boolean }[] = await ds.query(
    `SELECT o.id,
            EXISTS (SELECT 1 FROM audit_log a WHERE a.organization_id = o.id AND a.action = $2) AS started,
            EXISTS (SELECT 1 FROM audit_log a WHERE a.organization_id = o.id AND a.action = $3) AS finished
       FROM organizations o WHERE o.slug = $1`,
    [slug, DEMO_SEED_STARTED, DEMO_SEED_FINISHED],
  );
  const row = rows[0];
  if (!row) return { state: 'missing' };
  return { state: row.started && !row.finished ? 'partial' : 'complete', organizationId: row.id };
}

/**
 * Creates "Demo Org" with its users, inventory, contracts, SLAs and recent signal history unless it
 * exists. Goes through the domain services, so the audit log is complete. Dates of contracts, SLA
 * versions and signals are relative to `now` (calendar months in UTC), so the demo always shows
 * the recent months; everything else is fixed, so the figures are stable.
 *
 * Resumable rather than one transaction: the domain services open transactions of their own (each
 * with its audit entry). The organization is created with a `demo.seed_started` audit entry and
 * gets `demo.seeded` as its last step. A failure removes the organization again (everything of it
 * cascades); a process killed mid-way leaves it started but unfinished, and the next start removes
 * it and seeds afresh. So a half-built demo organization never stays.
 */
export async function seedDemoIfMissing(
  app: INestApplication | INestApplicationContext,
  opts: { name: string; slug: string; domain: string } = { ...DEMO_ORG, domain: 'demo.bulwark.test' },
  now: Date = new Date(),
): Promise<boolean> {
  const ds = app.get(DataSource);
  const found = await demoSeedState(ds, opts.slug);
  if (found.state === 'complete') return false;
  if (found.state === 'partial') await removeOrganization(ds, found.organizationId);
  const hash = await hashPassword(DEMO_PASSWORD);
  const audit = app.get(AuditLogService);
  const org = await ds.transaction(async (m) => {
    const created = await m.getRepository(Organization).save({ name: opts.name, slug: opts.slug });
    await RequestContext.runAs(systemActor(created.id, SEED_ACTOR), () =>
      audit.append(m, { action: DEMO_SEED_STARTED, entityType: 'organization', entityId: created.id }),
    );
    return created;
  });
  try {
    await RequestContext.runAs(systemActor(org.id, SEED_ACTOR), () => seedOrganization(app, org.id, opts, hash, now));
  } catch (err) {
    await removeOrganization(ds, org.id).catch(() => undefined);
    throw err;
  }
  return true;
}

/**
 * Deletes an organization with everything of it (every table's organization_id cascades). Its audit log goes
 * too: the one deletion the append-only audit_log lets through is this cascade (ADR 0008). The log cannot
 * record its own removal, so the application log does.
 */
async function removeOrganization(ds: DataSource, organizationId: string): Promise<void> {
  await ds.query(`DELETE FROM organizations WHERE id = $1`, [organizationId]);
  new Logger('DemoSeed').warn(`removed the half-built demo organization ${organizationId} with its audit log`);
}

async function seedOrganization(
  app: INestApplication | INestApplicationContext,
  orgId: string,
  opts: { domain: string },
  hash: string,
  now: Date,
): Promise<void> {
  const ds = app.get(DataSource);
  const email = (address: string) => address.replace('demo.bulwark.test', opts.domain);
  const audit = app.get(AuditLogService);
  const users = new Map<string, User>();
  await ds.transaction(async (m) => {
    for (const u of DEMO_USERS) {
      const user = await m.save(m.create(User, { ...u, email: email(u.email), passwordHash: hash, vendorId: null, active: true }));
      users.set(u.role, user);
      await audit.append(m, { action: 'user.created', entityType: 'user', entityId: user.id, diff: { email: user.email, role: u.role } });
    }
  });
  // Every organization gets the built-in questionnaire templates when it is created.
  await app.get(BuiltInTemplates).ensureFor(orgId);
  const manager = users.get('vendor_manager')!;
  const vendors = app.get(VendorService);
  const contacts = app.get(VendorContactService);
  const catalog = app.get(ServiceCatalog);
  const services = new Map<string, Service | { id: string }>();
  const vendorIds = new Map<string, { id: string; slug: string }>();
  for (const v of DEMO_VENDORS) {
    const created = await vendors.create({
      name: v.name,
      legalName: v.legalName,
      website: v.website,
      country: v.country,
      description: v.description,
      sharedSummary: v.sharedSummary ?? null,
      lifecycle: v.lifecycle,
      ownerId: manager.id,
      identifiers: v.identifiers ?? {},
      intake: v.intake,
    });
    vendorIds.set(v.name, { id: created.id, slug: created.slug });
    for (const s of v.services) {
      const svc = await catalog.create({
        vendorId: created.id,
        name: s.name,
        kind: s.kind,
        regions: s.regions,
        description: s.description ?? null,
        models: s.models ?? [],
      });
      services.set(s.name, svc);
    }
    for (const c of v.contacts ?? [])
      await contacts.addContact(created.id, { ...c, isPrimary: c.isPrimary ?? false, title: c.title, phone: null });
    if (v.override) await vendors.setTierOverride(created.id, v.override);
  }
  const id = (name: string) => {
    const s = services.get(name);
    if (!s) throw new Error(`demo data names an unknown service ${name}`);
    return s.id;
  };
  for (const [service, sub, description] of DEMO_LINKS) await catalog.link({ serviceId: id(service), subServiceId: id(sub), description });
  const systems = app.get(SystemService);
  const systemIds = new Map<string, string>();
  for (const s of DEMO_SYSTEMS) systemIds.set(s.name, (await systems.create(s)).id);
  const deps = app.get(DependencyService);
  for (const d of DEMO_DEPENDENCIES) {
    await deps.create({
      systemId: systemIds.get(d.system)!,
      serviceId: id(d.service),
      criticality: d.criticality,
      alternativeServiceId: d.alternative ? id(d.alternative) : null,
      contingencyPlan: d.plan ?? null,
      notes: d.notes ?? null,
    });
  }
  // Vendor contacts who can sign in to the portal.
  const vendorContacts = new Map<string, User>();
  await ds.transaction(async (m) => {
    for (const name of DEMO_CONTACT_VENDORS) {
      const v = vendorIds.get(name)!;
      const address = email(demoContactEmail(v.slug));
      const user = await m.save(
        m.create(User, {
          email: address,
          name: `${name} Contact`,
          role: 'vendor_contact',
          vendorId: v.id,
          passwordHash: hash,
          active: true,
        }),
      );
      vendorContacts.set(name, user);
      await audit.append(m, {
        action: 'user.created',
        entityType: 'user',
        entityId: user.id,
        diff: { email: address, role: 'vendor_contact', vendorId: v.id },
      });
    }
  });
  const contractIds = await seedAgreements(app, now, (name) => vendorIds.get(name)!.id, id);
  const evidenceIds = await seedEvidence(app, now, (name) => vendorIds.get(name)!.id, contractIds);
  await seedFindings(app, now, (name) => vendorIds.get(name)!.id, evidenceIds, {
    manager,
    admin: users.get('admin')!,
    contactOf: (name) => vendorContacts.get(name)!,
  });
  await seedAudits(app, now, (name) => vendorIds.get(name)!.id, evidenceIds, {
    manager,
    admin: users.get('admin')!,
    contactOf: (name) => vendorContacts.get(name)!,
  });
  await seedQuestionnaires(app, now, (name) => vendorIds.get(name)!.id, evidenceIds, {
    manager,
    contactOf: (name) => vendorContacts.get(name)!,
  });
  await seedSignalHistory(app, now, (name) => vendorIds.get(name)!.id, id);
  await seedFinancialHistory(app, now, (name) => vendorIds.get(name)!.id);
  // What a poll queues after ingesting: the SLAs of each vendor recomputed (per-window rollup, breaches, their notices). Run here, so the demo is complete when seeding returns.
  const recompute = app.get(RecomputeService);
  for (const vendor of new Set(DEMO_CONTRACTS.map((c) => c.vendor))) await recompute.recompute(vendorIds.get(vendor)!.id, now.getTime());
  await ds.transaction((m) => audit.append(m, { action: DEMO_SEED_FINISHED, entityType: 'organization', entityId: orgId }));
}

const DAY = 86_400_000;
const MINUTE = 60_000;
/** The first of the month `monthsAgo` months before `now`'s month (UTC), as epoch milliseconds. */
const monthStart = (now: Date, monthsAgo: number) => Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - monthsAgo, 1);
const isoDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const iso = (ms: number) => new Date(ms).toISOString();

/** Contracts and their SLAs (one renegotiated: a second version), through the agreements service. Answers each vendor's contract id. */
async function seedAgreements(
  app: INestApplication | INestApplicationContext,
  now: Date,
  vendorId: (name: string) => string,
  serviceId: (name: string) => string,
): Promise<Map<string, string>> {
  const contracts = app.get(ContractService);
  const slas = app.get(SlaService);
  const contractIds = new Map<string, string>();
  for (const c of DEMO_CONTRACTS) {
    const contract = await contracts.create({
      vendorId: vendorId(c.vendor),
      title: c.title,
      reference: c.reference,
      status: 'active',
      effectiveDate: isoDate(monthStart(now, c.effectiveMonthsAgo)),
      expiryDate: isoDate(monthStart(now, c.effectiveMonthsAgo - c.termMonths) - DAY),
      renewalNoticeDays: c.renewalNoticeDays,
      annualValue: c.annualValue,
      currency: c.currency,
      serviceIds: c.services.map(serviceId),
      serviceFees: c.services.map((name) => ({ serviceId: serviceId(name), annualFee: c.fees[name] ?? null })),
      clauses: clausesSchema.parse(c.clauses),
    });
    contractIds.set(c.vendor, contract.id);
    const [first, ...later] = c.sla.versions;
    const scope = { serviceIds: c.sla.services.map(serviceId), components: [], regions: c.sla.regions ?? [] };
    const sla = await slas.create({
      contractId: contract.id,
      name: c.sla.name,
      effectiveFrom: isoDate(monthStart(now, first!.fromMonthsAgo)),
      terms: slaTermsSchema.parse(first!.terms),
      scope,
    });
    for (const v of later)
      await slas.addVersion(sla.id, { effectiveFrom: isoDate(monthStart(now, v.fromMonthsAgo)), terms: slaTermsSchema.parse(v.terms) });
  }
  return contractIds;
}

/** A small valid PDF (one page, the lines in Helvetica) with a correct cross-reference table. */
export function demoPdf(lines: string[]): Buffer {
  const escape = (t: string) => t.replace(/[^\x20-\x7e]/g, '-').replace(/([\\()])/g, '\\$1');
  const text = lines.map((l, i) => `BT /F1 ${i === 0 ? 14 : 11} Tf 56 ${780 - i * 22} Td (${escape(l)}) Tj ET`).join('\n');
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>',
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
    `<< /Length ${Buffer.byteLength(text, 'latin1')} >>\nstream\n${text}\nendstream`,
  ];
  let out = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(Buffer.byteLength(out, 'latin1'));
    out += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = Buffer.byteLength(out, 'latin1');
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const at of offsets) out += `${String(at).padStart(10, '0')} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

/**
 * Evidence in the vault: each item a small generated PDF streamed through the vault's own upload path (the
 * same intake, checks and audit entries as `POST /api/evidence`), dated relative to `now`; the ones marked
 * so are linked to their vendor's contract. Answers the item ids by title.
 */
async function seedEvidence(
  app: INestApplication | INestApplicationContext,
  now: Date,
  vendorId: (name: string) => string,
  contractIds: Map<string, string>,
): Promise<Map<string, string>> {
  const evidence = app.get(EvidenceService);
  const ids = new Map<string, string>();
  const day = (days: number) => isoDate(now.getTime() + days * DAY);
  for (const e of DEMO_EVIDENCE) {
    const fields: Record<string, string> = {
      vendorId: vendorId(e.vendor),
      kind: e.kind,
      title: e.title,
      confidentiality: e.confidentiality,
      effectiveDate: day(-e.effectiveDaysAgo),
      validFrom: day(-e.effectiveDaysAgo),
    };
    if (e.validUntilInDays !== null) fields['validUntil'] = day(e.validUntilInDays);
    const created = await evidence.createFromFile(fields, {
      stream: Readable.from([demoPdf([...e.lines, `Title: ${e.title}`])]),
      fileName: e.fileName,
      mimeType: 'application/pdf',
    });
    ids.set(e.title, created.id);
    if (e.linkToContract) {
      const contractId = contractIds.get(e.vendor);
      if (!contractId) throw new Error(`demo evidence ${e.title} is linked to a contract, but ${e.vendor} has none`);
      await evidence.link(created.id, { targetType: 'contract', targetId: contractId });
    }
  }
  return ids;
}

/** The demo user as the actor of what the seed does in their name (in the seeding organization). */
const actorOf = (u: User): Actor => ({
  userId: u.id,
  email: u.email,
  role: u.role,
  organizationId: RequestContext.actor().organizationId,
  vendorId: u.vendorId,
  sessionId: null,
});

/**
 * Findings through the findings service, each moved to its demo state by the side that takes each step (the
 * vendor's contact proposes, remediates and marks ready; the manager accepts the plan and closes), so their
 * history, audit entries and notifications are real. The risk acceptance is requested by the manager and
 * approved by the admin (four eyes), and holds until a day of the next month.
 */
async function seedFindings(
  app: INestApplication | INestApplicationContext,
  now: Date,
  vendorId: (name: string) => string,
  evidenceIds: Map<string, string>,
  people: { manager: User; admin: User; contactOf: (vendor: string) => User },
): Promise<void> {
  const findings = app.get(FindingService);
  const acceptances = app.get(RiskAcceptances);
  const as = <T>(u: User, fn: () => Promise<T>) => RequestContext.runAs(actorOf(u), fn);
  const order = ['open', 'plan_proposed', 'in_remediation', 'ready_for_verification', 'closed'] as const;
  for (const d of DEMO_FINDINGS) {
    const raised = await findings.raise({
      vendorId: vendorId(d.vendor),
      source: d.source,
      title: d.title,
      details: d.details,
      severity: d.severity,
    });
    if (d.state === 'risk_accepted') {
      const a = d.riskAcceptance!;
      const expiresAt = isoDate(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, a.expiresOnDayOfNextMonth));
      const requested = await as(people.manager, () => acceptances.request(raised.id, { reason: a.reason, expiresAt }));
      await as(people.admin, () => acceptances.approve(raised.id, requested.riskAcceptances.at(-1)!.id));
      continue;
    }
    const reached = order.indexOf(d.state);
    if (reached < 1) continue;
    const vendor = people.contactOf(d.vendor);
    const plan = d.plan!;
    await as(vendor, () =>
      findings.transition(raised.id, {
        to: 'plan_proposed',
        rootCause: plan.rootCause,
        correctiveAction: plan.correctiveAction,
        targetDate: isoDate(now.getTime() + plan.targetInDays * DAY),
      }),
    );
    if (reached < 2) continue;
    await as(people.manager, () => findings.transition(raised.id, { to: 'plan_accepted', note: 'The plan is accepted.' }));
    await as(vendor, () => findings.transition(raised.id, { to: 'in_remediation', note: 'Work has started.' }));
    if (reached < 3) continue;
    const evidence = (d.evidence ?? []).map((title) => {
      const found = evidenceIds.get(title);
      if (!found) throw new Error(`demo finding ${d.title} names unknown evidence ${title}`);
      return found;
    });
    await as(vendor, () =>
      findings.transition(raised.id, { to: 'ready_for_verification', note: 'Done; the evidence is attached.', evidenceIds: evidence }),
    );
    if (reached < 4) continue;
    await as(people.manager, () => findings.transition(raised.id, { to: 'closed', note: d.closingNote! }));
  }
}

/**
 * Right-to-audit requests through the audits service, each step taken by its side (the manager requests, issues,
 * schedules and decides; the vendor's contact acknowledges, delivers items and refuses), so their history, audit
 * entries and notifications are real. Each is requested within the entitlement as of today (or with its override)
 * and then dated where the demo shows it: last year's closed audit, this week's fieldwork.
 */
async function seedAudits(
  app: INestApplication | INestApplicationContext,
  now: Date,
  vendorId: (name: string) => string,
  evidenceIds: Map<string, string>,
  people: { manager: User; admin: User; contactOf: (vendor: string) => User },
): Promise<void> {
  const audits = app.get(AuditService);
  const items = app.get(AuditItems);
  const findings = app.get(FindingService);
  const ds = app.get(DataSource);
  const as = <T>(u: User, fn: () => Promise<T>) => RequestContext.runAs(actorOf(u), fn);
  const day = (n: number) => isoDate(now.getTime() + n * DAY);
  for (const d of DEMO_AUDITS) {
    const vendor = people.contactOf(d.vendor);
    const created = await as(people.manager, () =>
      audits.create({
        vendorId: vendorId(d.vendor),
        title: d.title,
        mode: d.mode,
        auditorKind: d.auditorKind,
        auditorName: d.auditorName ?? null,
        proposedStart: day(60),
        proposedEnd: day(60 + d.windowDays - 1),
        timeZone: 'UTC',
        scope: { serviceIds: [], topics: d.topics, systemIds: [] },
        objectives: d.objectives,
        items: d.items.map((i, n) => ({ reference: i.reference, details: i.details, dueDate: day(30 + n) })),
        ...(d.override ? { override: { reason: d.override } } : {}),
      }),
    );
    const id = created.id;
    const move = (u: User, body: Parameters<AuditService['transition']>[1]) => as(u, () => audits.transition(id, body));
    await move(people.manager, { to: 'issued' });
    if (d.refusal) {
      await move(vendor, { to: 'refused', reason: d.refusal.reason });
      await move(people.manager, { to: 'escalated', reason: d.refusal.escalation });
      // The job the escalation queued raises it too; raised here so the demo is complete when seeding returns.
      await app.get(AuditsJob).raiseRefusalFinding(RequestContext.actor().organizationId, id);
      continue;
    }
    await move(vendor, { to: 'acknowledged' });
    await move(people.manager, { to: 'scheduled' });
    const detail = await as(people.manager, () => audits.get(id));
    await move(people.manager, {
      to: 'fieldwork',
      fieldwork: { start: detail.windowStart, end: detail.windowEnd, attendees: ['Internal audit', `${d.vendor} compliance`] },
    });
    for (const i of d.items) {
      if (i.state === 'requested') continue;
      const itemId = detail.items.find((x) => x.reference === i.reference)!.id;
      const evidence = evidenceIdOf(d.vendor, evidenceIds);
      if (!i.notApplicable && !evidence) throw new Error(`demo audit ${d.title}: ${d.vendor} has no demo evidence to deliver`);
      await as(vendor, () =>
        items.respond(id, itemId, i.notApplicable ? { notApplicableReason: i.notApplicable } : { evidenceIds: [evidence!] }),
      );
      if (i.state === 'accepted') await as(people.manager, () => items.decide(id, itemId, { decision: 'accept' }));
    }
    if (d.state === 'closed') {
      await move(people.manager, { to: 'report_issued', reportEvidenceId: evidenceIds.get(d.report!)! });
      const f = d.finding!;
      const raised = await as(people.manager, () =>
        findings.raise({
          vendorId: vendorId(d.vendor),
          source: 'audit',
          sourceId: id,
          sourceKey: `${id}:1`,
          title: f.title,
          details: f.details,
          severity: f.severity,
        }),
      );
      await as(vendor, () =>
        findings.transition(raised.id, {
          to: 'plan_proposed',
          rootCause: 'The review was run but its sign-off was not recorded.',
          correctiveAction: 'Record each quarterly review in the ticketing system with the approver.',
          targetDate: day(30),
        }),
      );
      await as(people.manager, () => findings.transition(raised.id, { to: 'plan_accepted', note: 'Carried into remediation.' }));
      await move(people.manager, { to: 'closed' });
    }
    // Dated where the demo shows it (the steps above ran today, within the entitlement as of today).
    const start = day(d.windowFromDays);
    const end = day(d.windowFromDays + d.windowDays - 1);
    await ds.query(
      `UPDATE audit_requests SET window_start = $2, window_end = $3, fieldwork_start = $2, fieldwork_end = $3,
              issued_at = $4, closed_at = CASE WHEN closed_at IS NULL THEN NULL ELSE $5::timestamptz END WHERE id = $1`,
      [
        id,
        start,
        end,
        iso(now.getTime() + (d.windowFromDays - 45) * DAY),
        iso(now.getTime() + (d.windowFromDays + d.windowDays + 20) * DAY),
      ],
    );
    for (const i of d.items)
      await ds.query(`UPDATE audit_request_items SET due_date = $3 WHERE audit_id = $1 AND reference = $2`, [
        id,
        i.reference,
        day(i.dueInDays),
      ]);
  }
}

/**
 * DR questionnaires through the requests service, each answered by the vendor's contact and reviewed by the manager
 * as far as its demo state, so answers, versions, history and the stored score are real. Dates are moved afterwards
 * to where the demo shows them (last year's request was sent, answered and accepted a year ago).
 */
async function seedQuestionnaires(
  app: INestApplication | INestApplicationContext,
  now: Date,
  vendorId: (name: string) => string,
  evidenceIds: Map<string, string>,
  people: { manager: User; contactOf: (vendor: string) => User },
): Promise<void> {
  const requests = app.get(QuestionnaireRequestService);
  const ds = app.get(DataSource);
  const as = <T>(u: User, fn: () => Promise<T>) => RequestContext.runAs(actorOf(u), fn);
  const [version] = (await ds.query(
    `SELECT v.id FROM questionnaire_template_versions v JOIN questionnaire_templates t ON t.id = v.template_id
      WHERE t.organization_id = $1 AND t.builtin_key = 'ai-supplier-dr' AND v.status = 'published' ORDER BY v.version DESC LIMIT 1`,
    [RequestContext.actor().organizationId],
  )) as { id: string }[];
  if (!version) throw new Error('the built-in questionnaire template is not published in the demo organization');
  for (const d of DEMO_QUESTIONNAIRES) {
    const contact = people.contactOf(d.vendor);
    const sent = await as(people.manager, () =>
      requests.create({
        templateVersionId: version.id,
        vendorId: vendorId(d.vendor),
        dueDate: isoDate(now.getTime() + Math.max(d.dueInDays, 1) * DAY),
        ...(d.message ? { message: d.message } : {}),
      }),
    );
    const id = sent.id;
    if (d.state !== 'sent') {
      const content = (await ds.query(`SELECT content FROM questionnaire_requests WHERE id = $1`, [id]))[0].content as TemplateDocument;
      const evidence = evidenceIdOf(d.vendor, evidenceIds);
      const sections = d.state === 'accepted' ? null : new Set(d.answeredSections ?? []);
      const answers: Record<string, AnswerValue> = {};
      // Answering can show further questions (model questions once "model provider" is yes): answer until none is left.
      for (let more = true; more;) {
        more = false;
        const shown = visibleQuestions(content, answers as Answers);
        for (const section of content.sections) {
          if (sections && !sections.has(section.key)) continue;
          for (const q of section.questions) {
            if (!shown.has(q.key) || q.key in answers) continue;
            const value = demoAnswer(q, d, evidence);
            if (value === null) continue;
            await as(contact, () => requests.saveAnswer(id, q.key, { value, version: 0 }));
            answers[q.key] = value;
            more = true;
          }
        }
      }
      if (d.state === 'accepted') {
        await as(contact, () => requests.submit(id));
        await as(people.manager, () => requests.review(id, { decisions: [], outcome: 'accept' }));
      }
    }
    // Dated where the demo shows it.
    const at = (days: number) => iso(now.getTime() + days * DAY);
    await ds.query(
      `UPDATE questionnaire_requests SET sent_at = $2, due_date = $3,
              submitted_at = CASE WHEN submitted_at IS NULL THEN NULL ELSE $4::timestamptz END,
              accepted_at = CASE WHEN accepted_at IS NULL THEN NULL ELSE $5::timestamptz END WHERE id = $1`,
      [id, at(-d.sentDaysAgo), isoDate(now.getTime() + d.dueInDays * DAY), at(d.dueInDays - 3), at(d.dueInDays + 5)],
    );
    await ds.query(`UPDATE questionnaire_answers SET answered_at = $2 WHERE request_id = $1`, [id, at(Math.min(-1, d.dueInDays - 5))]);
  }
}

/** The demo vendor's answer to a question: the best option (the second best for its weaker practices), its facts, its evidence. */
function demoAnswer(q: TemplateQuestion, d: DemoQuestionnaire, evidenceId: string | undefined): AnswerValue {
  const options = (q.options ?? []).filter((o) => !o.na);
  const ranked = [...options].sort((a, b) => (b.points ?? 0) - (a.points ?? 0));
  const pick = ranked[d.weaker?.includes(q.key) ? Math.min(1, ranked.length - 1) : 0]?.value;
  const fact = d.facts?.[q.key];
  switch (q.type) {
    case 'yes_no':
    case 'single_choice':
      return pick ?? null;
    case 'multi_choice':
      return d.weaker?.includes(q.key) ? ranked.slice(0, 1).map((o) => o.value) : options.map((o) => o.value);
    case 'number':
      return typeof fact === 'number' ? fact : null;
    case 'text':
      return typeof fact === 'string' ? fact : 'As described in our resilience documentation, available on request.';
    case 'date':
      return null;
    case 'evidence':
      return evidenceId ? [evidenceId] : null;
  }
}

/** The vendor's first evidence item of the demo (what its contact delivers for an item). */
function evidenceIdOf(vendor: string, evidenceIds: Map<string, string>): string | undefined {
  const title = DEMO_EVIDENCE.find((e) => e.vendor === vendor)?.title;
  return title ? evidenceIds.get(title) : undefined;
}

const MINOR = [
  'Increased latency for some requests',
  'Delayed status and metrics reporting',
  'Slow responses for a subset of customers',
  'Degraded performance of the management console',
];

/** The scripted incidents of a vendor, plus a few minor degradations (weight 0 in every demo SLA) from the seeded generator. */
function incidentsOf(vendor: string, rnd: () => number): DemoIncident[] {
  const scripted = DEMO_INCIDENTS[vendor] ?? [];
  const services = [...new Set(scripted.map((i) => i.service))];
  const region = scripted.find((x) => x.region)?.region;
  const minor: DemoIncident[] = [];
  for (let monthsAgo = 4; monthsAgo >= 0; monthsAgo--) {
    const n = 1 + Math.floor(rnd() * 2);
    for (let i = 0; i < n; i++) {
      minor.push({
        service: services[Math.floor(rnd() * services.length)]!,
        monthsAgo,
        day: 1 + Math.floor(rnd() * 27),
        hour: Math.floor(rnd() * 24),
        minute: Math.floor(rnd() * 12) * 5,
        minutes: 10 + Math.floor(rnd() * 17) * 5,
        level: 'degraded',
        title: MINOR[Math.floor(rnd() * MINOR.length)]!,
        ...(region ? { region } : {}),
      });
    }
  }
  return [...scripted, ...minor];
}

/** A Statuspage-style incident id. */
const incidentId = (rnd: () => number) =>
  Array.from({ length: 12 }, () => 'abcdefghijklmnopqrstuvwxyz0123456789'[Math.floor(rnd() * 36)]).join('');

/** The states a status page reports over an incident's life (each becomes a history row); the last one is resolved. */
function statesOf(inc: DemoIncident, start: number, id: string, url: string): { signals: NormalizedSignal[]; firstSeen: number } {
  const end = start + inc.minutes * MINUTE;
  const common = { service: inc.service, region: inc.region ?? null, title: inc.title, url };
  if (inc.level === 'maintenance') {
    const announced = start - (inc.announcedDaysAhead ?? 7) * DAY;
    const m = {
      ...common,
      externalId: `maintenance:${id}`,
      signalType: 'maintenance' as const,
      level: 'maintenance' as const,
      scheduledFor: iso(start),
      scheduledUntil: iso(end),
    };
    return {
      firstSeen: announced,
      signals: [
        signal({
          ...m,
          lifecycle: 'scheduled',
          detail: 'This maintenance is scheduled; no downtime is expected for most customers.',
          startedAt: iso(announced),
          updatedAt: iso(announced),
        }),
        signal({
          ...m,
          lifecycle: 'in_progress',
          detail: 'Scheduled maintenance is currently in progress.',
          startedAt: iso(announced),
          updatedAt: iso(start),
        }),
        signal({
          ...m,
          lifecycle: 'completed',
          detail: 'The scheduled maintenance has been completed.',
          startedAt: iso(announced),
          updatedAt: iso(end),
          resolvedAt: iso(end),
        }),
      ],
    };
  }
  const s = { ...common, externalId: `incident:${id}`, signalType: 'service_incident' as const, level: inc.level, startedAt: iso(start) };
  const seen = start + 3 * MINUTE;
  return {
    firstSeen: seen,
    signals: [
      signal({ ...s, lifecycle: 'open', detail: 'We are investigating reports of this issue.', updatedAt: iso(seen) }),
      signal({
        ...s,
        lifecycle: 'monitoring',
        detail: 'A fix has been implemented and we are monitoring the results.',
        updatedAt: iso(end - Math.min(15, Math.floor(inc.minutes / 3)) * MINUTE),
      }),
      signal({ ...s, lifecycle: 'resolved', detail: 'This incident has been resolved.', updatedAt: iso(end), resolvedAt: iso(end) }),
    ],
  };
}

/** The vendors with a scripted incident history, in the order their incidents draw from the seeded random sequence. */
const HISTORY_ORDER = ['OpenAI', 'Amazon Web Services', 'Microsoft Azure', 'Snowflake', 'Salesforce'];

/**
 * A disabled health source per vendor and covered service, with the plugin that fits the vendor's
 * status feed (`DEMO_HEALTH_SOURCES`; nothing polls the network until someone enables one), and the
 * recent months' resolved incidents ingested through the real ingestion path, so signals and their
 * history are written as a poll writes them. Observation times are then set to when a live poll
 * would have seen each state (a maintenance when it was announced), which the SLA's notice rule reads.
 * A vendor whose status feed no plugin reads (Salesforce) keeps its history without a source: the
 * rows are recorded through a placeholder source that is removed in the same transaction, as the
 * signals of a deleted source stay (`source_id` null).
 */
async function seedSignalHistory(
  app: INestApplication | INestApplicationContext,
  now: Date,
  vendorId: (name: string) => string,
  serviceId: (name: string) => string,
): Promise<void> {
  const sources = app.get(SignalSourceService);
  const ds = app.get(DataSource);
  const organizationId = RequestContext.actor().organizationId;
  const rnd = seededRandom(20_260_101);
  const watchedOnly = Object.keys(DEMO_HEALTH_SOURCES).filter((v) => !HISTORY_ORDER.includes(v));
  for (const vendor of [...HISTORY_ORDER, ...watchedOnly]) {
    const health = DEMO_HEALTH_SOURCES[vendor];
    const incidentUrl = health?.incidentUrl ?? DEMO_UNWATCHED_STATUS_PAGES[vendor]!;
    // Only the vendors with a scripted history draw incidents (and their random minor ones).
    const incidents = HISTORY_ORDER.includes(vendor) ? incidentsOf(vendor, rnd) : [];
    const byService = new Map<string, { signals: NormalizedSignal[]; firstSeen: Map<string, number> }>();
    for (const inc of incidents) {
      const start = monthStart(now, inc.monthsAgo) + (inc.day - 1) * DAY + (inc.hour * 60 + inc.minute) * MINUTE;
      const id = incidentId(rnd);
      // Only what has ended (and been reported resolved) by now.
      if (start + (inc.minutes + 10) * MINUTE > now.getTime()) continue;
      const { signals, firstSeen } = statesOf(inc, start, id, incidentUrl(id));
      const entry = byService.get(inc.service) ?? { signals: [] as NormalizedSignal[], firstSeen: new Map<string, number>() };
      entry.signals.push(...signals);
      entry.firstSeen.set(signals[0]!.externalId, firstSeen);
      byService.set(inc.service, entry);
    }
    const demoVendor = DEMO_VENDORS.find((v) => v.name === vendor)!;
    for (const service of demoVendor.services) {
      const history = byService.get(service.name) ?? { signals: [], firstSeen: new Map<string, number>() };
      if (!health && !history.signals.length) continue;
      const source = health
        ? await sources.create({
            vendorId: vendorId(vendor),
            serviceId: serviceId(service.name),
            plugin: health.plugin,
            name: `${vendor} status page — ${service.name}`,
            config: health.config(service),
            enabled: false,
          })
        : null;
      await ds.transaction(async (m) => {
        const sourceId =
          source?.id ??
          (
            (await m.query(
              `INSERT INTO signal_sources (organization_id, vendor_id, service_id, plugin, name, schedule_seconds, enabled) VALUES ($1, $2, $3, 'history-import', 'history import', 86400, false) RETURNING id`,
              [organizationId, vendorId(vendor), serviceId(service.name)],
            )) as { id: string }[]
          )[0]!.id;
        await ingestSignals(
          m,
          { organizationId, vendorId: vendorId(vendor), serviceId: serviceId(service.name), sourceId },
          history.signals,
        );
        await m.query(
          `UPDATE signals s SET first_seen_at = v.seen, changed_at = s.provider_updated_at FROM unnest($1::text[], $2::timestamptz[]) AS v(key, seen) WHERE s.dedupe_key = v.key`,
          [[...history.firstSeen.keys()].map((k) => `${sourceId}:${k}`), [...history.firstSeen.values()].map((t) => new Date(t))],
        );
        await m.query(
          `UPDATE signal_changes c SET recorded_at = c.provider_updated_at FROM signals s WHERE s.id = c.signal_id AND s.source_id = $1`,
          [sourceId],
        );
        if (!source) await m.query(`DELETE FROM signal_sources WHERE id = $1`, [sourceId]);
      });
    }
  }
}

/**
 * The last `n` fiscal year ends (MM-DD) whose annual report would be filed by `now` (about 60 days
 * after the year end), newest last, with their filing dates.
 */
function fiscalYears(now: Date, fiscalYearEnd: string, n: number): { end: string; filed: string }[] {
  const out: { end: string; filed: string }[] = [];
  for (let year = now.getUTCFullYear(); out.length < n && year > now.getUTCFullYear() - n - 2; year--) {
    const end = Date.parse(`${year}-${fiscalYearEnd}T00:00:00Z`);
    if (end + 60 * DAY <= now.getTime()) out.unshift({ end: isoDate(end), filed: isoDate(end + 55 * DAY) });
  }
  return out;
}

const ALTMAN_LABEL = { 'altman-z': 'Altman Z-score', 'altman-z-double-prime': 'Altman Z″-score' } as const;

/** What a poll of the demo vendor's financial source would have recorded, shaped as its plugin shapes it. */
export function demoFinancialSignals(
  source: DemoFinancialSource,
  identifiers: { cik?: string; lei?: string },
  now: Date,
): NormalizedSignal[] {
  if (source.plugin === 'entity-status') {
    const lei = identifiers.lei!;
    // The registration is renewed yearly: last updated some weeks ago, next renewal within the year.
    const updated = new Date(now.getTime() - 41 * DAY);
    updated.setUTCHours(14, 35, 4, 0);
    const renewal = new Date(updated.getTime() + 365 * DAY);
    // As GLEIF answers /api/v1/lei-records/{LEI}, read by the plugin's own parser.
    const document = {
      data: {
        type: 'lei-records',
        id: lei,
        attributes: {
          lei,
          entity: {
            legalName: { name: source.legalName, language: 'en' },
            jurisdiction: source.jurisdiction,
            category: 'GENERAL',
            status: 'ACTIVE',
            expiration: { date: null, reason: null },
            successorEntity: { lei: null, name: null },
          },
          registration: {
            initialRegistrationDate: `${source.initialRegistrationDate}T20:55:22Z`,
            lastUpdateDate: updated.toISOString(),
            status: 'ISSUED',
            nextRenewalDate: renewal.toISOString(),
            managingLou: lei,
            corroborationLevel: 'FULLY_CORROBORATED',
          },
        },
      },
    };
    return [leiSignal(parseLeiDocument(document, lei)!)];
  }
  const cik10 = identifiers.cik!.padStart(10, '0');
  const filings = `https://www.sec.gov/cgi-bin/browse-edgar?action=getcompany&CIK=${cik10}&type=10-K`;
  if ('notApplicable' in source)
    return [
      signal({
        externalId: `altman:${cik10}:not-applicable`,
        signalType: 'financial_score',
        level: 'unknown',
        lifecycle: 'open',
        title: `${source.filer}: Altman score unavailable`,
        detail: `Not scored: ${source.notApplicable}.`,
        updatedAt: `${fiscalYears(now, '12-31', 1)[0]!.filed}T00:00:00.000Z`,
        url: filings,
        score: { model: 'altman-z', value: null, band: null, inputs: {} },
      }),
    ];
  const zones = ALTMAN_MODELS.find((m) => m.key === source.model)!.zones;
  const years = fiscalYears(now, source.fiscalYearEnd, source.scores.length);
  return years.map(({ end, filed }, i) => {
    const value = source.scores[source.scores.length - years.length + i]!;
    const band = value > zones.safe ? 'safe' : value >= zones.distress ? 'grey' : 'distress';
    return signal({
      externalId: `altman:${cik10}:${end}`,
      signalType: 'financial_score',
      level: band === 'safe' ? 'operational' : band === 'grey' ? 'degraded' : 'major_outage',
      lifecycle: 'open',
      title: `${source.filer}: ${ALTMAN_LABEL[source.model]} ${value.toFixed(2)} (${band})`,
      detail: `${ALTMAN_LABEL[source.model]} ${value.toFixed(2)} (${band}) for the fiscal year ended ${end}, from the annual report filed ${filed}. Demo history: an illustrative score; enable the source to compute it from the filer's SEC EDGAR companyfacts.`,
      updatedAt: `${filed}T00:00:00.000Z`,
      asOf: end,
      url: filings,
      score: { model: source.model, value, band, inputs: {} },
    });
  });
}

/**
 * A disabled financial source per demo vendor with a CIK (SEC EDGAR) or an LEI (GLEIF), and the
 * history a daily poll would have recorded: each past fiscal year's Altman score (the newest one
 * current, the older ones history) and the LEI registration. Ingested in order through the real
 * ingestion path, then the financial threshold is applied as after any ingestion, so the tier
 * intake matches what the panel shows.
 */
async function seedFinancialHistory(app: INestApplication | INestApplicationContext, now: Date, vendorId: (name: string) => string) {
  const sources = app.get(SignalSourceService);
  const financial = app.get(FinancialHealth);
  const ds = app.get(DataSource);
  const organizationId = RequestContext.actor().organizationId;
  for (const [vendor, demo] of Object.entries(DEMO_FINANCIAL_SOURCES)) {
    const identifiers = DEMO_VENDORS.find((v) => v.name === vendor)!.identifiers ?? {};
    const config =
      demo.plugin === 'sec-edgar' ? { baseUrl: 'https://data.sec.gov', cik: identifiers.cik!, model: 'auto' } : { lei: identifiers.lei! };
    const created = await sources.create({
      vendorId: vendorId(vendor),
      plugin: demo.plugin,
      name: demo.plugin === 'sec-edgar' ? `${vendor} — SEC EDGAR (Altman Z)` : `${vendor} — GLEIF LEI`,
      config,
      enabled: false,
    });
    const target = { organizationId, vendorId: vendorId(vendor), serviceId: null, sourceId: created.id };
    // One poll per year, as the daily poll saw each new annual report: a newer one supersedes the older.
    await ds.transaction(async (m) => {
      for (const s of demoFinancialSignals(demo, identifiers, now)) {
        const observedAt = new Date(Math.min(now.getTime(), (Date.parse(s.updatedAt ?? '') || now.getTime()) + DAY));
        await ingestSignals(m, target, [s], { observedAt });
      }
    });
    const source = await sources.loadForSystem(created.id);
    await financial.applyThreshold(source!);
  }
}

export function demoContactEmail(vendorSlug: string): string {
  return `contact@${vendorSlug}.demo.bulwark.test`;
}
