import { Injectable } from '@nestjs/common';
import { DataSource, In, type EntityManager } from 'typeorm';

import { Contract } from '@bulwark/agreements';
import {
  SLA_TERM_KEYS,
  slaTermsSchema,
  type createNegotiationSchema,
  type Input,
  type negotiationListQuery,
  type NegotiationStatus,
  type NegotiationView,
  type SlaTerms,
  type TermAnswer,
} from '@bulwark/api-schema';
import {
  AuditLogService,
  Conflict,
  findScoped,
  Forbidden,
  Invalid,
  likePattern,
  Notifier,
  RequestContext,
  scoped,
  type Actor,
  type Recipients,
} from '@bulwark/platform';

import { NegotiationInsights } from './negotiation-insights.js';
import { Negotiation, NegotiationRound } from './negotiation.entities.js';
import { Sla, SlaVersion } from './sla.entities.js';
import { SlaService } from './sla.service.js';

type Action = NegotiationView['allowedActions'][number];
const PROCUREMENT = new Set(['admin', 'procurement']);

/** Which actions the state machine allows from each status, and to whom. */
export function allowedActions(n: Pick<Negotiation, 'status' | 'procurementSignedAt' | 'vendorSignedAt'>, role: Actor['role']): Action[] {
  const buyer = PROCUREMENT.has(role);
  const vendor = role === 'vendor_contact';
  const out: Action[] = [];
  if (n.status === 'proposed' && vendor) out.push('respond');
  if (n.status === 'countered' && buyer) out.push('propose');
  if (n.status === 'agreed' && ((buyer && !n.procurementSignedAt) || (vendor && !n.vendorSignedAt))) out.push('sign_off');
  if (buyer && ['proposed', 'countered', 'agreed'].includes(n.status)) out.push('cancel');
  return out;
}

function illegal(action: string, status: NegotiationStatus): Conflict {
  return new Conflict('negotiation.illegal_transition', `Cannot ${action} a negotiation that is ${status.replace('_', ' ')}`);
}

function diffTerms(prev: SlaTerms | null, next: SlaTerms) {
  if (!prev) return [];
  return SLA_TERM_KEYS.filter((k) => JSON.stringify(prev[k]) !== JSON.stringify(next[k])).map((k) => ({
    term: k,
    from: prev[k],
    to: next[k],
  }));
}

/**
 * SLA negotiation: procurement proposes a round of terms; the vendor accepts or counters each term;
 * rounds repeat until every term is accepted; both sides sign off; the agreed round becomes a new
 * SLA (or a new version of the SLA being renegotiated). Every round is kept.
 */
@Injectable()
export class NegotiationService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditLogService,
    private readonly slas: SlaService,
    private readonly insights: NegotiationInsights,
    private readonly notifier: Notifier,
  ) {}

  async list(q: Input<typeof negotiationListQuery> = {}): Promise<NegotiationView[]> {
    const m = this.dataSource.manager;
    const qb = scoped(m, Negotiation, 'n').orderBy('n.updatedAt', 'DESC');
    if (q.vendorId) qb.andWhere('n.vendorId = :v', { v: q.vendorId });
    if (q.search)
      qb.andWhere(
        `(n.slaName ILIKE :s OR EXISTS (SELECT 1 FROM contracts c WHERE c.id = n.contract_id AND c.title ILIKE :s)
          OR EXISTS (SELECT 1 FROM vendors v WHERE v.id = n.vendor_id AND v.name ILIKE :s))`,
        { s: likePattern(q.search) },
      );
    return this.views(m, await qb.getMany());
  }

  async get(id: string): Promise<NegotiationView> {
    const m = this.dataSource.manager;
    return (await this.views(m, [await findScoped(m, Negotiation, id, 'negotiation')]))[0]!;
  }

  async create(input: Input<typeof createNegotiationSchema>): Promise<NegotiationView> {
    const n = await this.dataSource.transaction(async (m) => {
      const contract = await scoped(m, Contract, 'c').andWhere('c.id = :id', { id: input.contractId }).getOne();
      if (!contract)
        throw new Invalid('negotiation.invalid_contract', 'No such contract', [{ path: 'contractId', message: 'no such contract' }]);
      let name = input.name;
      let scope = input.scope;
      if (input.slaId) {
        const sla = await scoped(m, Sla, 's').andWhere('s.id = :id', { id: input.slaId }).getOne();
        if (!sla || sla.contractId !== contract.id)
          throw new Invalid('negotiation.invalid_sla', 'The SLA must belong to the contract', [
            { path: 'slaId', message: 'not an SLA of this contract' },
          ]);
        const latest = await m.getRepository(SlaVersion).findOneByOrFail({ slaId: sla.id, version: sla.latestVersion });
        if (input.effectiveFrom <= latest.effectiveFrom)
          throw new Invalid('negotiation.effective_too_early', `Must take effect after the latest version (${latest.effectiveFrom})`, [
            { path: 'effectiveFrom', message: `must be after ${latest.effectiveFrom}` },
          ]);
        name ??= sla.name;
        scope ??= latest.scope;
        const open = await scoped(m, Negotiation, 'n')
          .andWhere(`n.slaId = :s AND n.status IN ('proposed', 'countered', 'agreed')`, { s: sla.id })
          .getExists();
        if (open) throw new Conflict('negotiation.already_open', 'This SLA already has a negotiation in progress');
      }
      if (!name) throw new Invalid('negotiation.name_required', 'Name the new SLA', [{ path: 'name', message: 'required for a new SLA' }]);
      if (!scope)
        throw new Invalid('negotiation.scope_required', 'Name the services whose signals count', [
          { path: 'scope', message: 'required for a new SLA' },
        ]);
      const found: { id: string }[] = await m.query(`SELECT id FROM services WHERE id = ANY($1::uuid[]) AND vendor_id = $2`, [
        scope.serviceIds,
        contract.vendorId,
      ]);
      if (found.length !== new Set(scope.serviceIds).size)
        throw new Invalid('negotiation.invalid_scope', 'SLA services must be services of the contract vendor', [
          { path: 'scope.serviceIds', message: 'not all are services of this vendor' },
        ]);
      const actor = RequestContext.actor();
      const n = await m.save(
        m.create(Negotiation, {
          vendorId: contract.vendorId,
          contractId: contract.id,
          slaId: input.slaId ?? null,
          slaName: name,
          scope: { serviceIds: scope.serviceIds, components: scope.components ?? [], regions: scope.regions ?? [] },
          effectiveFrom: input.effectiveFrom,
          status: 'proposed',
          currentRound: 1,
          createdBy: actor.userId,
        }),
      );
      await m.save(
        m.create(NegotiationRound, {
          vendorId: n.vendorId,
          negotiationId: n.id,
          round: 1,
          terms: input.terms,
          proposedBy: actor.userId,
          proposedAt: new Date(),
          responses: null,
        }),
      );
      await this.audit.append(m, {
        action: 'negotiation.proposed',
        entityType: 'negotiation',
        entityId: n.id,
        diff: { round: 1, contractId: contract.id, slaId: n.slaId, terms: input.terms },
      });
      return n;
    });
    await this.notify(
      n,
      'procurement',
      {
        title: `New SLA terms proposed: ${n.slaName}`,
        body: `Procurement proposed round 1 of the "${n.slaName}" terms. Please accept or counter each term in Bulwark.`,
      },
      `Round 1 of the "${n.slaName}" terms was sent to the vendor.`,
    );
    return this.get(n.id);
  }

  /** The vendor answers every term of the current round: accept, or counter with a value and a comment. */
  async respond(id: string, round: number, answers: Record<string, TermAnswer>): Promise<NegotiationView> {
    const n = await this.dataSource.transaction(async (m) => {
      const n = await findScoped(m, Negotiation, id, 'negotiation', { lock: true });
      if (!allowedActions(n, RequestContext.actor().role).includes('respond')) {
        if (RequestContext.actor().role !== 'vendor_contact') throw new Forbidden('Only the vendor answers a proposed round');
        throw illegal('answer', n.status);
      }
      if (round !== n.currentRound)
        throw new Conflict('negotiation.stale_round', `Round ${round} is not the current round (${n.currentRound})`);
      const r = await m.getRepository(NegotiationRound).findOneByOrFail({ negotiationId: n.id, round });
      const fields: { path: string; message: string }[] = [];
      for (const key of Object.keys(answers))
        if (!SLA_TERM_KEYS.includes(key as keyof SlaTerms)) fields.push({ path: `answers.${key}`, message: 'not a term of this SLA' });
      for (const key of SLA_TERM_KEYS) {
        const a = answers[key];
        if (!a) fields.push({ path: `answers.${key}`, message: 'answer every term: accept or counter' });
        else if (a.decision === 'counter') {
          const parsed = slaTermsSchema.shape[key].safeParse(a.value);
          if (a.value === undefined || !parsed.success)
            fields.push({ path: `answers.${key}.value`, message: 'a counter needs a valid value for this term' });
          else if (JSON.stringify(parsed.data) === JSON.stringify(r.terms[key]))
            fields.push({ path: `answers.${key}.value`, message: 'a counter must differ from the proposal' });
        }
      }
      if (fields.length) throw new Invalid('negotiation.invalid_answers', 'Some answers are missing or invalid', fields);
      const actor = RequestContext.actor();
      r.responses = Object.fromEntries(
        SLA_TERM_KEYS.map((k) => [
          k,
          {
            decision: answers[k]!.decision,
            ...(answers[k]!.decision === 'counter' ? { value: slaTermsSchema.shape[k].parse(answers[k]!.value) } : {}),
            comment: answers[k]!.comment ?? null,
          },
        ]),
      );
      r.respondedBy = actor.userId;
      r.respondedAt = new Date();
      await m.save(r);
      const countered = SLA_TERM_KEYS.filter((k) => r.responses![k]!.decision === 'counter');
      n.status = countered.length ? 'countered' : 'agreed';
      await m.save(n);
      await this.audit.append(m, {
        action: countered.length ? 'negotiation.countered' : 'negotiation.agreed',
        entityType: 'negotiation',
        entityId: n.id,
        diff: { round, countered },
      });
      return n;
    });
    await this.notify(
      n,
      'vendor',
      n.status === 'agreed'
        ? { title: `Terms agreed: ${n.slaName}`, body: `The vendor accepted every term of round ${round}. Both sides can now sign off.` }
        : {
            title: `Vendor countered: ${n.slaName}`,
            body: `The vendor countered some terms of round ${round}. Review the counters and propose the next round.`,
          },
      n.status === 'agreed'
        ? `You accepted every term of round ${round} of "${n.slaName}". Both sides can now sign off.`
        : `Your answers to round ${round} of "${n.slaName}" were sent to procurement.`,
    );
    return this.get(n.id);
  }

  /** Procurement proposes the next round after a counter. */
  async propose(id: string, terms: SlaTerms): Promise<NegotiationView> {
    const n = await this.dataSource.transaction(async (m) => {
      const n = await findScoped(m, Negotiation, id, 'negotiation', { lock: true });
      if (n.status !== 'countered') throw illegal('propose a new round of', n.status);
      const previous = await m.getRepository(NegotiationRound).findOneByOrFail({ negotiationId: n.id, round: n.currentRound });
      n.currentRound += 1;
      n.status = 'proposed';
      await m.save(n);
      await m.save(
        m.create(NegotiationRound, {
          vendorId: n.vendorId,
          negotiationId: n.id,
          round: n.currentRound,
          terms,
          proposedBy: RequestContext.actor().userId,
          proposedAt: new Date(),
          responses: null,
        }),
      );
      await this.audit.append(m, {
        action: 'negotiation.proposed',
        entityType: 'negotiation',
        entityId: n.id,
        diff: { round: n.currentRound, changed: diffTerms(previous.terms, terms) },
      });
      return n;
    });
    await this.notify(
      n,
      'procurement',
      {
        title: `Round ${n.currentRound} proposed: ${n.slaName}`,
        body: `Procurement proposed round ${n.currentRound} of the "${n.slaName}" terms.`,
      },
      `Round ${n.currentRound} of the "${n.slaName}" terms was sent to the vendor.`,
    );
    return this.get(n.id);
  }

  /** Each side signs off once; when both have, the agreed terms become the SLA (or its next version). */
  async signOff(id: string): Promise<NegotiationView> {
    const n = await this.dataSource.transaction(async (m) => {
      const n = await findScoped(m, Negotiation, id, 'negotiation', { lock: true });
      const actor = RequestContext.actor();
      if (n.status !== 'agreed') throw illegal('sign off', n.status);
      const side = actor.role === 'vendor_contact' ? 'vendor' : 'procurement';
      if ((side === 'vendor' && n.vendorSignedAt) || (side === 'procurement' && n.procurementSignedAt))
        throw new Conflict('negotiation.already_signed', 'Your side has already signed off');
      if (side === 'vendor') Object.assign(n, { vendorSignedAt: new Date(), vendorSignedBy: actor.userId });
      else Object.assign(n, { procurementSignedAt: new Date(), procurementSignedBy: actor.userId });
      await this.audit.append(m, { action: 'negotiation.signed_off', entityType: 'negotiation', entityId: n.id, diff: { side } });
      if (n.vendorSignedAt && n.procurementSignedAt) await this.complete(m, n);
      await m.save(n);
      return n;
    });
    const side = RequestContext.actor().role === 'vendor_contact' ? 'vendor' : 'procurement';
    if (n.status === 'signed_off') {
      const done = {
        title: `SLA in force: ${n.slaName}`,
        body: `Both sides signed off. The agreed terms take effect on ${n.effectiveFrom} as version ${n.resultingVersion}.`,
      };
      await this.notify(
        n,
        side,
        done,
        `Your sign-off completed the negotiation: "${n.slaName}" version ${n.resultingVersion} takes effect on ${n.effectiveFrom}.`,
        done,
      );
    } else {
      await this.notify(
        n,
        side,
        {
          title: `Signed off by the other side: ${n.slaName}`,
          body: 'The other side signed off the agreed terms; your sign-off completes the negotiation.',
        },
        `Your sign-off of "${n.slaName}" is recorded; the other side's completes the negotiation.`,
        {
          title: `Signed off for your side: ${n.slaName}`,
          body: 'Your side signed off the agreed terms; the other side’s sign-off completes the negotiation.',
        },
      );
    }
    return this.get(n.id);
  }

  async cancel(id: string): Promise<NegotiationView> {
    const n = await this.dataSource.transaction(async (m) => {
      const n = await findScoped(m, Negotiation, id, 'negotiation', { lock: true });
      if (!['proposed', 'countered', 'agreed'].includes(n.status)) throw illegal('cancel', n.status);
      n.status = 'cancelled';
      await m.save(n);
      await this.audit.append(m, { action: 'negotiation.cancelled', entityType: 'negotiation', entityId: n.id });
      return n;
    });
    await this.notify(
      n,
      'procurement',
      { title: `Negotiation cancelled: ${n.slaName}`, body: 'Procurement cancelled this negotiation.' },
      `You cancelled the negotiation of "${n.slaName}".`,
    );
    return this.get(n.id);
  }

  private async complete(m: EntityManager, n: Negotiation): Promise<void> {
    const agreed = await m.getRepository(NegotiationRound).findOneByOrFail({ negotiationId: n.id, round: n.currentRound });
    if (n.slaId) {
      const sla = await this.slas.addVersionIn(m, n.slaId, { effectiveFrom: n.effectiveFrom, terms: agreed.terms, scope: n.scope });
      n.resultingVersion = sla.versions[0]!.version; // the newest: it may take effect later than today
    } else {
      const sla = await this.slas.createIn(m, {
        contractId: n.contractId,
        name: n.slaName,
        effectiveFrom: n.effectiveFrom,
        terms: agreed.terms,
        scope: n.scope,
      });
      n.slaId = sla.id;
      n.resultingVersion = 1;
    }
    n.status = 'signed_off';
  }

  /**
   * The views of a page of negotiations in a fixed number of queries, whatever the number of rows: rounds,
   * names, the spread and what was achieved are each read for all rows at once.
   */
  private async views(m: EntityManager, negotiations: Negotiation[]): Promise<NegotiationView[]> {
    if (!negotiations.length) return [];
    const ids = negotiations.map((n) => n.id);
    const rounds = await m.getRepository(NegotiationRound).find({ where: { negotiationId: In(ids) }, order: { round: 'ASC' } });
    const names: { id: string; vendor_name: string; title: string }[] = await m.query(
      `SELECT c.id, v.name AS vendor_name, c.title FROM contracts c JOIN vendors v ON v.id = c.vendor_id WHERE c.id = ANY($1::uuid[])`,
      [[...new Set(negotiations.map((n) => n.contractId))]],
    );
    const role = RequestContext.actor().role;
    const contexts = role === 'vendor_contact' ? null : await this.insights.contexts(m, negotiations);
    const achieved = await this.insights.achieved(m, negotiations);
    return negotiations.map((n) => {
      const mine = rounds.filter((r) => r.negotiationId === n.id);
      const name = names.find((x) => x.id === n.contractId);
      return {
        id: n.id,
        vendorId: n.vendorId,
        vendorName: name?.vendor_name ?? '',
        contractId: n.contractId,
        contractTitle: name?.title ?? '',
        slaId: n.slaId,
        slaName: n.slaName,
        effectiveFrom: n.effectiveFrom,
        status: n.status,
        currentRound: n.currentRound,
        procurementSignedAt: n.procurementSignedAt?.toISOString() ?? null,
        vendorSignedAt: n.vendorSignedAt?.toISOString() ?? null,
        resultingVersion: n.resultingVersion,
        rounds: mine.map((r, i) => ({
          round: r.round,
          terms: r.terms,
          proposedAt: r.proposedAt.toISOString(),
          proposedBy: r.proposedBy,
          diff: diffTerms(i > 0 ? mine[i - 1]!.terms : null, r.terms),
          responses: r.responses,
          respondedAt: r.respondedAt?.toISOString() ?? null,
          respondedBy: r.respondedBy,
        })),
        allowedActions: allowedActions(n, role),
        context: contexts?.get(n.id) ?? null,
        achieved: achieved.get(n.id) ?? null,
      };
    });
  }

  /**
   * Both sides are told at each step. The other side, in-app and by e-mail (`toOther`); the acting
   * side's other members likewise (`toOwn`, by default the same notice); the user who acted, an in-app
   * confirmation. The vendor side is the vendor's contacts; the procurement side is the organization's
   * procurement users and whoever took part for it (started the negotiation, proposed a round, signed
   * off: e.g. an admin acting as procurement).
   */
  private async notify(
    n: Negotiation,
    acted: 'vendor' | 'procurement',
    toOther: { title: string; body: string },
    confirmation: string,
    toOwn = toOther,
  ): Promise<void> {
    const actor = RequestContext.actor();
    const rounds: { proposed_by: string | null }[] = await this.dataSource.query(
      `SELECT proposed_by FROM negotiation_rounds WHERE negotiation_id = $1`,
      [n.id],
    );
    // Everyone who took part for procurement is internal: vendor contacts neither start, propose nor sign for procurement.
    const participants = [n.createdBy, n.procurementSignedBy, ...rounds.map((r) => r.proposed_by)];
    const sides: Record<'vendor' | 'procurement', Recipients> = {
      vendor: { vendorContactsOf: n.vendorId, except: [actor.userId] },
      procurement: { roles: ['procurement'], userIds: participants, except: [actor.userId] },
    };
    const other = acted === 'vendor' ? 'procurement' : 'vendor';
    const link = `/negotiations/${n.id}`;
    const key = `negotiation-${n.id}-r${n.currentRound}-${n.status}-${n.procurementSignedAt ? 'p' : ''}${n.vendorSignedAt ? 'v' : ''}`;
    await this.notifier.notify(n.organizationId, sides[other], { ...toOther, link, key });
    await this.notifier.notify(n.organizationId, sides[acted], { ...toOwn, link, key });
    if (actor.userId)
      await this.notifier.notify(
        n.organizationId,
        { userIds: [actor.userId] },
        { title: `Done: ${toOwn.title}`, body: confirmation, link, key: `${key}-confirmation`, inAppOnly: true },
      );
  }
}
