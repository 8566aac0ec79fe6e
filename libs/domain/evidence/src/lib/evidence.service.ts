import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { DataSource, type EntityManager } from 'typeorm';

import {
  canWriteEvidenceKind,
  EVIDENCE_EXPIRING_DAYS,
  EVIDENCE_KIND_WRITERS,
  evidenceLinkBody,
  evidenceListQuery,
  evidenceRevisionFields,
  evidenceUploadFields,
  type EvidenceKind,
  type EvidenceRevisionView,
  type EvidenceStatus,
  type EvidenceTargetType,
  type EvidenceView,
  type Input,
  type Page,
} from '@bulwark/api-schema';
import {
  APP_CONFIG,
  assertVendorAccess,
  AuditLogService,
  Conflict,
  DomainException,
  findScoped,
  InjectStorage,
  Invalid,
  likePattern,
  NotFound,
  RequestContext,
  scoped,
  sendStoredFile,
  type AppConfig,
  type Storage,
} from '@bulwark/platform';

import { EvidenceTargets, type EvidenceTargetResolver } from './evidence-targets.js';
import { EvidenceItem, EvidenceLink, EvidenceRevision } from './evidence.entity.js';
import { InjectMalwareScanner, type MalwareScanner } from './malware-scanner.js';
import { servedType } from './media-type.js';
import { parseFields, readMultipart, storeUpload, type IncomingFile } from './upload-intake.js';

const DAY = 86_400_000;
/** `YYYY-MM-DD` (UTC) of `now` plus `days`. */
export const utcDate = (now: Date, days = 0) => new Date(now.getTime() + days * DAY).toISOString().slice(0, 10);

/** Expiry status at read time: past valid-until `expired`, within 30 days (the day included) `expiring`. */
export function evidenceStatus(validUntil: string | null, now = new Date()): EvidenceStatus {
  if (!validUntil) return 'no_expiry';
  const today = utcDate(now);
  if (validUntil < today) return 'expired';
  if (validUntil <= utcDate(now, EVIDENCE_EXPIRING_DAYS)) return 'expiring';
  return 'valid';
}

/** What a piece of evidence is linked to. */
export interface EvidenceTarget {
  targetType: EvidenceTargetType;
  targetId: string;
}

/** A revision linked to a target, with its item: one of the files an area shows on its record. */
export interface LinkedRevision {
  linkId: string;
  evidence: EvidenceView;
  revision: EvidenceRevisionView;
}

/**
 * The evidence vault: a vendor's evidence items and their immutable revisions (files streamed into
 * content-addressed storage through the type, size and malware checks), verified on every download,
 * linked to what they are evidence for.
 */
@Injectable()
export class EvidenceService {
  private readonly logger = new Logger('Evidence');

  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditLogService,
    private readonly targets: EvidenceTargets,
    @InjectStorage() private readonly storage: Storage,
    @InjectMalwareScanner() private readonly scanner: MalwareScanner,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** `POST /api/evidence`: a new item with its first revision. */
  async create(req: Request): Promise<EvidenceView> {
    return this.saveNew(await readMultipart(req, this.config.storage.maxBytes, (raw, file) => this.intakeNew(raw, file)));
  }

  /**
   * A new item from form fields and a file stream that did not come as a multipart request (the demo seed, a
   * contract document's upload): the same checks, intake and audit entry as `create`. With `link`, the new
   * revision is linked to that target in the same transaction (audited as `evidence.linked`, as by `link`).
   */
  async createFromFile(fields: Record<string, string>, file: IncomingFile, opts: { link?: EvidenceTarget } = {}): Promise<EvidenceView> {
    if (opts.link) this.resolverOf(opts.link.targetType);
    return this.saveNew(await this.intakeNew(fields, file), opts.link);
  }

  /**
   * Kinds another area owns (`EVIDENCE_KIND_WRITERS`: contract documents) are written (uploaded, revised,
   * linked, unlinked) only by that area's writers; a 403 otherwise, naming `field` when a form field chose the kind.
   */
  private assertKindWritable(kind: EvidenceKind, field?: string): void {
    const actor = RequestContext.actor();
    if (actor.role === 'system' || canWriteEvidenceKind(actor.role, kind)) return;
    const message = `evidence of kind ${kind} is written only by those who hold ${EVIDENCE_KIND_WRITERS[kind] ?? 'evidence.write'}`;
    throw new DomainException(
      'evidence.kind_not_writable',
      'forbidden',
      message.charAt(0).toUpperCase() + message.slice(1),
      field ? [{ path: field, message }] : undefined,
    );
  }

  /** The fields checked, the vendor checked, then the file streamed through the checks into storage. */
  private async intakeNew(raw: Record<string, string>, file: IncomingFile) {
    const actor = RequestContext.actor();
    const fields = parseFields(evidenceUploadFields, raw);
    const vendor: { id: string }[] = await this.dataSource.query(`SELECT id FROM vendors WHERE id = $1 AND organization_id = $2`, [
      fields.vendorId,
      actor.organizationId,
    ]);
    if (!vendor.length) throw new Invalid('evidence.invalid_vendor', 'No such vendor', [{ path: 'vendorId', message: 'no such vendor' }]);
    assertVendorAccess(fields.vendorId);
    this.assertKindWritable(fields.kind, 'kind');
    return { fields, stored: await storeUpload(this.storage, this.scanner, file, this.config.storage.maxBytes) };
  }

  private async saveNew(
    { fields, stored }: Awaited<ReturnType<EvidenceService['intakeNew']>>,
    link?: EvidenceTarget,
  ): Promise<EvidenceView> {
    const actor = RequestContext.actor();
    const id = await this.dataSource.transaction(async (m) => {
      const item = await m.save(
        m.create(EvidenceItem, {
          vendorId: fields.vendorId,
          title: fields.title,
          kind: fields.kind,
          confidentiality: fields.confidentiality,
          // Internal uploaders own what they upload; a vendor's upload is owned by the vendor's internal owner (reminders reach both).
          ownerId: actor.role === 'vendor_contact' ? null : actor.userId,
          validUntil: fields.validUntil ?? null,
          integrity: 'ok',
        }),
      );
      const rev = await this.saveRevision(m, item, 1, stored, fields);
      await m.update(EvidenceItem, { id: item.id }, { currentRevisionId: rev.id });
      await this.audit.append(m, {
        action: 'evidence.uploaded',
        entityType: 'evidence',
        entityId: item.id,
        diff: {
          vendorId: item.vendorId,
          kind: item.kind,
          title: item.title,
          revision: { id: rev.id, number: 1, sha256: rev.sha256, sizeBytes: rev.sizeBytes, mediaType: rev.mediaType, scan: rev.scan },
          validUntil: rev.validUntil,
        },
      });
      if (link) await this.insertLink(m, item, rev, link);
      return item.id;
    });
    return this.get(id);
  }

  /** `POST /api/evidence/:id/revisions`: a new file superseding the current one (which stays downloadable). */
  async addRevision(id: string, req: Request): Promise<EvidenceView> {
    const item = await findScoped(this.dataSource.manager, EvidenceItem, id, 'evidence');
    this.assertKindWritable(item.kind);
    const maxBytes = this.config.storage.maxBytes;
    const { fields, stored } = await readMultipart(req, maxBytes, async (raw, file) => ({
      fields: parseFields(evidenceRevisionFields, raw),
      stored: await storeUpload(this.storage, this.scanner, file, maxBytes),
    }));
    await this.dataSource.transaction(async (m) => {
      const locked = await findScoped(m, EvidenceItem, item.id, 'evidence', { lock: true });
      const [{ n }] = (await m.query(`SELECT coalesce(max(number), 0)::int + 1 AS n FROM evidence_revisions WHERE evidence_id = $1`, [
        locked.id,
      ])) as [{ n: number }];
      const rev = await this.saveRevision(m, locked, n, stored, fields);
      await m.update(
        EvidenceItem,
        { id: locked.id },
        { currentRevisionId: rev.id, validUntil: rev.validUntil, version: locked.version + 1 },
      );
      await this.audit.append(m, {
        action: 'evidence.revised',
        entityType: 'evidence',
        entityId: locked.id,
        diff: {
          revision: { id: rev.id, number: n, sha256: rev.sha256, sizeBytes: rev.sizeBytes, mediaType: rev.mediaType, scan: rev.scan },
          supersedes: locked.currentRevisionId,
          validUntil: { from: locked.validUntil, to: rev.validUntil },
        },
      });
    });
    return this.get(item.id);
  }

  private saveRevision(
    m: EntityManager,
    item: EvidenceItem,
    number: number,
    stored: Awaited<ReturnType<typeof storeUpload>>,
    dates: { effectiveDate?: string; validFrom?: string; validUntil?: string },
  ): Promise<EvidenceRevision> {
    return m.save(
      m.create(EvidenceRevision, {
        evidenceId: item.id,
        vendorId: item.vendorId,
        number,
        fileName: stored.fileName,
        mediaType: stored.mediaType,
        sizeBytes: stored.sizeBytes,
        sha256: stored.sha256,
        scan: stored.scan,
        integrity: 'ok',
        effectiveDate: dates.effectiveDate ?? null,
        validFrom: dates.validFrom ?? null,
        validUntil: dates.validUntil ?? null,
        uploadedBy: RequestContext.actor().userId,
      }),
    );
  }

  async get(id: string): Promise<EvidenceView> {
    const m = this.dataSource.manager;
    return (await this.views(m, [await findScoped(m, EvidenceItem, id, 'evidence')]))[0]!;
  }

  async list(q: Input<typeof evidenceListQuery>, now = new Date()): Promise<Page<EvidenceView>> {
    const m = this.dataSource.manager;
    const qb = scoped(m, EvidenceItem, 'e');
    if (q.vendorId) qb.andWhere('e.vendorId = :v', { v: q.vendorId });
    if (q.kind) qb.andWhere('e.kind = :k', { k: q.kind });
    if (q.search) {
      // A revision of an item in scope is in scope: its file name needs no tenancy condition of its own.
      qb.andWhere(
        `(e.title ILIKE :s OR EXISTS (SELECT 1 FROM evidence_revisions sr WHERE sr.evidence_id = e.id AND sr.file_name ILIKE :s))`,
        {
          s: likePattern(q.search),
        },
      );
    }
    const today = utcDate(now);
    const soon = utcDate(now, EVIDENCE_EXPIRING_DAYS);
    if (q.status === 'expired') qb.andWhere('e.validUntil < :today', { today });
    if (q.status === 'expiring') qb.andWhere('e.validUntil BETWEEN :today AND :soon', { today, soon });
    if (q.status === 'valid') qb.andWhere('e.validUntil > :soon', { soon });
    if (q.status === 'no_expiry') qb.andWhere('e.validUntil IS NULL');
    if (q.expiringWithinDays !== undefined)
      qb.andWhere('e.validUntil BETWEEN :today AND :within', { today, within: utcDate(now, q.expiringWithinDays) });
    if (q.targetType || q.targetId) {
      const link = scoped(m, EvidenceLink, 'l').select('1').andWhere('l.evidenceId = e.id');
      if (q.targetType) link.andWhere('l.targetType = :tt', { tt: q.targetType });
      if (q.targetId) link.andWhere('l.targetId = :ti', { ti: q.targetId });
      qb.andWhere(`EXISTS (${link.getQuery()})`).setParameters({ ...qb.getParameters(), ...link.getParameters() });
    }
    if (q.status === 'expiring' || q.expiringWithinDays !== undefined) qb.orderBy('e.validUntil', 'ASC');
    else qb.orderBy('e.createdAt', 'DESC');
    qb.addOrderBy('e.id')
      .skip((q.page - 1) * q.pageSize)
      .take(q.pageSize);
    const [items, total] = await qb.getManyAndCount();
    return { items: await this.views(m, items, now), total, page: q.page, pageSize: q.pageSize };
  }

  /** `GET …/revisions/:revisionId/download`: the one `sendStoredFile`; a failed hash check flags the revision and its item. */
  async download(id: string, revisionId: string, res: Response): Promise<void> {
    const m = this.dataSource.manager;
    const item = await findScoped(m, EvidenceItem, id, 'evidence');
    const rev = await scoped(m, EvidenceRevision, 'r').andWhere('r.id = :r AND r.evidenceId = :e', { r: revisionId, e: item.id }).getOne();
    if (!rev) throw new NotFound('evidence_revision', revisionId);
    await sendStoredFile(this.storage, res, {
      sha256: rev.sha256,
      contentType: servedType(rev.mediaType),
      sizeBytes: rev.sizeBytes,
      fileName: rev.fileName,
      onIntegrityFailure: () => this.flagIntegrity(item, rev),
    });
  }

  private async flagIntegrity(item: EvidenceItem, rev: EvidenceRevision): Promise<void> {
    this.logger.error(`evidence ${item.id} revision ${rev.id} (${rev.sha256}) failed its integrity check; flagged`);
    await this.dataSource.transaction(async (m) => {
      const updated = await m
        .createQueryBuilder()
        .update(EvidenceRevision)
        .set({ integrity: 'failed' })
        .where('id = :id AND integrity = :ok', { id: rev.id, ok: 'ok' })
        .execute();
      await m.update(EvidenceItem, { id: item.id }, { integrity: 'failed' });
      // Recorded once per revision, however often the download is tried.
      if (updated.affected)
        await this.audit.append(m, {
          action: 'evidence.integrity_failed',
          entityType: 'evidence',
          entityId: item.id,
          diff: { revisionId: rev.id, sha256: rev.sha256 },
        });
    });
  }

  async link(id: string, body: Input<typeof evidenceLinkBody>): Promise<EvidenceView> {
    this.resolverOf(body.targetType);
    await this.dataSource.transaction(async (m) => {
      const item = await findScoped(m, EvidenceItem, id, 'evidence', { lock: true });
      this.assertKindWritable(item.kind);
      const revisionId = body.revisionId ?? item.currentRevisionId!;
      const rev = await scoped(m, EvidenceRevision, 'r')
        .andWhere('r.id = :r AND r.evidenceId = :e', { r: revisionId, e: item.id })
        .getOne();
      if (!rev)
        throw new Invalid('evidence.invalid_revision', 'No such revision of this evidence', [
          { path: 'revisionId', message: 'no such revision' },
        ]);
      await this.insertLink(m, item, rev, body);
    });
    return this.get(id);
  }

  /** The resolver of a target type, or a 422 naming `targetType` while its area has registered none. */
  private resolverOf(type: EvidenceTargetType): EvidenceTargetResolver {
    const resolver = this.targets.get(type);
    if (!resolver)
      throw new Invalid('evidence.target_type_unsupported', `Evidence cannot be linked to a ${type} yet`, [
        { path: 'targetType', message: `one of ${this.targets.types().join(', ')}` },
      ]);
    return resolver;
  }

  /** Links `rev` to the target (which must be in the caller's scope and of the item's vendor) and audits it. */
  private async insertLink(m: EntityManager, item: EvidenceItem, rev: EvidenceRevision, to: EvidenceTarget): Promise<void> {
    const target = (await this.resolverOf(to.targetType).resolve(m, [to.targetId])).get(to.targetId);
    if (!target)
      throw new Invalid('evidence.target_not_found', `No such ${to.targetType}`, [
        { path: 'targetId', message: `no such ${to.targetType}` },
      ]);
    if (target.vendorId !== item.vendorId)
      throw new Invalid('evidence.target_other_vendor', `The ${to.targetType} is another vendor's`, [
        { path: 'targetId', message: `a ${to.targetType} of the evidence's vendor` },
      ]);
    const inserted: { id: string }[] = await m.query(
      `INSERT INTO evidence_links (organization_id, evidence_id, revision_id, vendor_id, target_type, target_id, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (revision_id, target_type, target_id) DO NOTHING RETURNING id`,
      [item.organizationId, item.id, rev.id, item.vendorId, to.targetType, to.targetId, RequestContext.actor().userId],
    );
    if (!inserted.length) throw new Conflict('evidence.already_linked', `This revision is already linked to that ${to.targetType}`);
    await this.audit.append(m, {
      action: 'evidence.linked',
      entityType: 'evidence',
      entityId: item.id,
      diff: { linkId: inserted[0]!.id, revisionId: rev.id, targetType: to.targetType, targetId: to.targetId },
    });
  }

  async unlink(id: string, linkId: string): Promise<EvidenceView> {
    await this.dataSource.transaction(async (m) => {
      const item = await findScoped(m, EvidenceItem, id, 'evidence', { lock: true });
      this.assertKindWritable(item.kind);
      const link = await scoped(m, EvidenceLink, 'l').andWhere('l.id = :l AND l.evidenceId = :e', { l: linkId, e: item.id }).getOne();
      if (!link) throw new NotFound('evidence_link', linkId);
      await m.delete(EvidenceLink, { id: link.id });
      await this.audit.append(m, {
        action: 'evidence.unlinked',
        entityType: 'evidence',
        entityId: item.id,
        diff: { linkId: link.id, revisionId: link.revisionId, targetType: link.targetType, targetId: link.targetId },
      });
    });
    return this.get(id);
  }

  /**
   * The revisions linked to a target that the caller may see, newest upload first, each with its item: what an
   * area lists as its record's files (a contract's documents: `kind: 'contract'`).
   */
  async linkedTo(target: EvidenceTarget, filter: { kind?: EvidenceKind } = {}): Promise<LinkedRevision[]> {
    const m = this.dataSource.manager;
    const qb = scoped(m, EvidenceLink, 'l')
      .innerJoin(EvidenceItem, 'e', 'e.id = l.evidenceId')
      .andWhere('l.targetType = :tt AND l.targetId = :ti', { tt: target.targetType, ti: target.targetId });
    if (filter.kind) qb.andWhere('e.kind = :kind', { kind: filter.kind });
    const links = await qb.getMany();
    if (!links.length) return [];
    const items = await scoped(m, EvidenceItem, 'e')
      .andWhere('e.id IN (:...ids)', { ids: [...new Set(links.map((l) => l.evidenceId))] })
      .getMany();
    const views = new Map((await this.views(m, items)).map((v) => [v.id, v]));
    return links
      .map((l) => {
        const evidence = views.get(l.evidenceId)!;
        return { linkId: l.id, evidence, revision: evidence.revisions.find((r) => r.id === l.revisionId)! };
      })
      .sort((a, b) => b.revision.uploadedAt.localeCompare(a.revision.uploadedAt) || a.revision.id.localeCompare(b.revision.id));
  }

  /**
   * The item of a revision linked to a target, in the caller's scope (the same filter as `linkedTo`), or null:
   * how an area finds the file it serves through `download`.
   */
  async linkedRevision(
    target: EvidenceTarget,
    revisionId: string,
    filter: { kind?: EvidenceKind } = {},
  ): Promise<{ evidenceId: string } | null> {
    const qb = scoped(this.dataSource.manager, EvidenceLink, 'l')
      .innerJoin(EvidenceItem, 'e', 'e.id = l.evidenceId')
      .andWhere('l.targetType = :tt AND l.targetId = :ti AND l.revisionId = :r', {
        tt: target.targetType,
        ti: target.targetId,
        r: revisionId,
      });
    if (filter.kind) qb.andWhere('e.kind = :kind', { kind: filter.kind });
    const link = await qb.getOne();
    return link ? { evidenceId: link.evidenceId } : null;
  }

  private async views(m: EntityManager, items: EvidenceItem[], now = new Date()): Promise<EvidenceView[]> {
    if (!items.length) return [];
    const ids = items.map((i) => i.id);
    const revisions = await scoped(m, EvidenceRevision, 'r')
      .andWhere('r.evidenceId IN (:...ids)', { ids })
      .orderBy('r.number', 'DESC')
      .getMany();
    const links = await scoped(m, EvidenceLink, 'l')
      .andWhere('l.evidenceId IN (:...ids)', { ids })
      .orderBy('l.createdAt', 'ASC')
      .addOrderBy('l.id')
      .getMany();
    const userIds = [...new Set([...items.map((i) => i.ownerId), ...revisions.map((r) => r.uploadedBy)].filter((u): u is string => !!u))];
    const users: { id: string; name: string }[] = userIds.length
      ? await m.query(`SELECT id, name FROM users WHERE id = ANY($1::uuid[])`, [userIds])
      : [];
    const vendors: { id: string; name: string }[] = await m.query(`SELECT id, name FROM vendors WHERE id = ANY($1::uuid[])`, [
      [...new Set(items.map((i) => i.vendorId))],
    ]);
    const labels = new Map<string, string>();
    for (const type of new Set(links.map((l) => l.targetType))) {
      const resolved = await this.targets.get(type)?.resolve(
        m,
        links.filter((l) => l.targetType === type).map((l) => l.targetId),
      );
      for (const [tid, t] of resolved ?? []) labels.set(`${type}:${tid}`, t.label);
    }
    const person = (uid: string | null) => {
      const u = uid ? users.find((x) => x.id === uid) : undefined;
      return u ? { id: u.id, name: u.name } : null;
    };
    const internal = RequestContext.actor().role !== 'vendor_contact';
    return items.map((item) => {
      const revs = revisions
        .filter((r) => r.evidenceId === item.id)
        .map((r) => ({
          id: r.id,
          number: r.number,
          fileName: r.fileName,
          mediaType: r.mediaType,
          sizeBytes: r.sizeBytes,
          sha256: r.sha256,
          scan: r.scan,
          integrity: r.integrity,
          effectiveDate: r.effectiveDate,
          validFrom: r.validFrom,
          validUntil: r.validUntil,
          uploadedBy: person(r.uploadedBy),
          uploadedAt: r.uploadedAt.toISOString(),
          superseded: r.id !== item.currentRevisionId,
        }));
      return {
        id: item.id,
        vendorId: item.vendorId,
        vendorName: vendors.find((v) => v.id === item.vendorId)?.name ?? '',
        title: item.title,
        kind: item.kind,
        confidentiality: item.confidentiality,
        // Who owns it internally is the organization's business, not the vendor's.
        owner: internal ? person(item.ownerId) : null,
        status: evidenceStatus(item.validUntil, now),
        validUntil: item.validUntil,
        integrity: item.integrity,
        current: revs.find((r) => !r.superseded) ?? revs[0]!,
        revisions: revs,
        links: links
          .filter((l) => l.evidenceId === item.id)
          .map((l) => ({
            id: l.id,
            revisionId: l.revisionId,
            targetType: l.targetType,
            targetId: l.targetId,
            // A target the caller cannot see (or that is gone) is named by its kind only.
            targetLabel: labels.get(`${l.targetType}:${l.targetId}`) ?? l.targetType,
            createdAt: l.createdAt.toISOString(),
          })),
        createdAt: item.createdAt.toISOString(),
      };
    });
  }
}
