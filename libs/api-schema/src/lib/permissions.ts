import type { z } from 'zod';

import { INTERNAL_ROLES, type Role } from './common.js';
import type { EvidenceKind } from './evidence.js';

const INTERNAL = INTERNAL_ROLES;
const EVERYONE = [...INTERNAL_ROLES, 'vendor_contact'] as const satisfies readonly Role[];
const INVENTORY = ['admin', 'vendor_manager'] as const satisfies readonly Role[];
const PROCUREMENT = ['admin', 'procurement'] as const satisfies readonly Role[];

/**
 * Who may do what: the one permissions table. The API authorizes every route with `@Allow(permission)`
 * against it and the portal shows or hides actions with `can(role, permission)`, so the two never drift.
 * Reads marked EVERYONE are confined to the vendor contact's own vendor by the tenant scope, not here.
 */
export const PERMISSIONS = {
  // identity
  'session.use': EVERYONE,
  'user.read': INTERNAL,
  /** Change a user (admins: anyone; vendor managers: vendor contacts only, decided by the service). */
  'user.write': INVENTORY,
  /** Invite staff (admins only); vendor contacts are invited through `invitation.write`. */
  'user.invite_staff': ['admin'],
  'invitation.read': INTERNAL,
  'invitation.write': INVENTORY,
  /** The organization's settings (time zone, holiday calendar): staff read them, admins change them. */
  'organization.read': INTERNAL,
  'organization.write': ['admin'],
  // audit log
  'audit.read': ['admin', 'auditor'],
  // notifications (each user's own)
  'notification.read': EVERYONE,
  /** The caller's inbox: vendor contacts what waits on their vendor, staff both sides (each source asks its own read permission too). */
  'inbox.read': EVERYONE,
  // inventory
  'vendor.list': INTERNAL,
  /** One vendor: vendor contacts read their own vendor's profile. */
  'vendor.read': EVERYONE,
  'inventory.read': INTERNAL,
  'inventory.write': INVENTORY,
  /** Services are readable by vendor contacts (their own vendor's). */
  'service.read': EVERYONE,
  'analysis.read': INTERNAL,
  // signals
  'plugin.read': INTERNAL,
  'source.read': INTERNAL,
  /** Sources run plugins against the network and hold credentials. */
  'source.write': INVENTORY,
  'signal.read': INTERNAL,
  /** One signal, its history, and the vendor's rollup: vendor contacts read their own vendor's. */
  'signal.read_own': EVERYONE,
  /** The raw feed bodies are the organization's working material, never the vendor's. */
  'signal.read_raw': INTERNAL,
  // agreements
  'contract.read': EVERYONE,
  'contract.write': PROCUREMENT,
  // slas
  'sla.read': EVERYONE,
  'sla.write': PROCUREMENT,
  /** The vendor's own availability figure for a window. */
  'sla.vendor_report': ['vendor_contact', 'admin'],
  'negotiation.read': EVERYONE,
  'negotiation.write': PROCUREMENT,
  'negotiation.respond': ['vendor_contact'],
  'negotiation.sign_off': ['admin', 'procurement', 'vendor_contact'],
  'breach.read': EVERYONE,
  /** Internal resolvers and the vendor's contacts write on a breach's dispute thread (auditors read). */
  'breach.comment': ['admin', 'procurement', 'vendor_manager', 'vendor_contact'],
  'breach.resolve': ['admin', 'procurement', 'vendor_manager'],
  // evidence
  /** The evidence vault: vendor contacts read (and download) their own vendor's only, through the tenant scope. */
  'evidence.read': EVERYONE,
  /**
   * Upload evidence and new revisions, link and unlink it: vendor contacts (their own vendor's), vendor
   * managers, procurement (a contract's evidence) and admins. Auditors read only.
   */
  'evidence.write': ['admin', 'vendor_manager', 'procurement', 'vendor_contact'],
  // resilience
  'commitment.read': INTERNAL,
  // findings
  /** Findings: vendor contacts read their own vendor's (the tenant scope), auditors and procurement read all. */
  'finding.read': EVERYONE,
  /** Raise findings, request and approve risk acceptances. */
  'finding.write': INVENTORY,
  /** Move a finding on: the service decides which side may take each step (the vendor proposes, the organization decides). */
  'finding.transition': ['admin', 'vendor_manager', 'vendor_contact'],
  // right-to-audit requests (not the audit LOG: that is `audit.read`)
  /** Audit requests and their items: vendor contacts read their own vendor's, once issued (the tenant scope and the service). */
  'audit_request.read': EVERYONE,
  /** The entitlement a contract gives for a proposed audit: the organization's planning, not the vendor's. */
  'audit_request.entitlement': INTERNAL,
  /**
   * Request, issue, schedule, run, close, cancel and escalate audits, decide on counter-proposed windows and on
   * delivered items, and override the entitlement with a reason. Admins and vendor managers: the issue gives the
   * override to them, and the assurance work is theirs; procurement is told of refusals (escalation) and reads.
   */
  'audit_request.write': INVENTORY,
  /** Move an audit on: the service decides which side takes each step (the vendor acknowledges, counters or refuses). */
  'audit_request.transition': ['admin', 'vendor_manager', 'vendor_contact'],
  /** Answer requested items with evidence or a not-applicable reason: the vendor's contacts only. */
  'audit_request.respond': ['vendor_contact'],
  // threads (comments on any workflow object; vendor contacts only their vendor's, never internal comments)
  'thread.read': EVERYONE,
  /** Auditors read every thread and write none. */
  'thread.comment': ['admin', 'procurement', 'vendor_manager', 'vendor_contact'],
  // questionnaires
  /** Questionnaire templates: internal roles read them; vendor contacts see only what their requests snapshot. */
  'questionnaire_template.read': INTERNAL,
  /** Create, import, edit drafts, publish, archive. */
  'questionnaire_template.write': INVENTORY,
  /** Questionnaire requests: vendor contacts read their own vendor's (the tenant scope), never internal review notes. */
  'questionnaire_request.read': EVERYONE,
  /** Send and cancel requests. */
  'questionnaire_request.write': INVENTORY,
  /** Answer and submit: the vendor's contacts. */
  'questionnaire_request.answer': ['vendor_contact'],
  /** Review answers (accept, flag, raise findings), request changes, accept with the score. */
  'questionnaire_request.review': INVENTORY,
  /** Questionnaire campaigns: the organization's planning; vendor contacts see only their own requests. */
  'questionnaire_campaign.read': INTERNAL,
  /** Preview, create, pause, resume and cancel campaigns. */
  'questionnaire_campaign.write': INVENTORY,
  /** A vendor's score history: the organization's assessment, internal. */
  'questionnaire_score.read': INTERNAL,
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof PERMISSIONS;

/** Whether a role holds a permission. */
export function can(role: Role | null | undefined, permission: Permission): boolean {
  return !!role && (PERMISSIONS[permission] as readonly Role[]).includes(role);
}

/**
 * Evidence kinds another area owns: writing evidence of such a kind (uploading it, adding a revision, linking or
 * unlinking it) takes that area's write permission besides `evidence.write`. Contract documents are evidence of
 * kind `contract`, written by procurement and admins only; everyone who reads evidence reads them.
 */
export const EVIDENCE_KIND_WRITERS: Partial<Record<EvidenceKind, Permission>> = { contract: 'contract.write' };

/** Whether a role may write evidence of `kind` (see `EVIDENCE_KIND_WRITERS`). */
export function canWriteEvidenceKind(role: Role | null | undefined, kind: EvidenceKind): boolean {
  const owner = EVIDENCE_KIND_WRITERS[kind];
  return can(role, 'evidence.write') && (!owner || can(role, owner));
}

/** The roles holding a permission. */
export function rolesWith(permission: Permission): readonly Role[] {
  return PERMISSIONS[permission];
}

/** A request body or query as the API handler receives it, once validated by its schema. */
export type Input<S extends z.ZodType> = z.output<S>;
/** A request body as a client writes it, before the schema's defaults and transforms. */
export type RequestBody<S extends z.ZodType> = z.input<S>;
