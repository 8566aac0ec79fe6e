import { Controller, Get, Inject, Injectable, Logger, Post, Query, Req, Res, type OnApplicationBootstrap, type OnModuleInit } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { ContractDocumentView } from '@bulwark/api-schema';
import { APP_CONFIG, Allow, AuditLogService, DomainException, IdParam, InjectQueue, InjectStorage, JobRegistry, NotFound, Notifier, RequestContext, findScoped, type AppConfig, type QueuePort, type Storage } from '@bulwark/platform';
import type { Request, Response } from 'express';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { DataSource } from 'typeorm';
import { Contract } from './entities.js';

const SAFE_TYPE = /^[\w.+-]+\/[\w.+-]+$/;

/**
 * Contract documents: streamed into content-addressed storage with their SHA-256 computed on the
 * way in, immutable, verified against the hash before every download, served as attachments.
 * Also the renewal-notice reminders.
 */
@Injectable()
export class ContractDocuments implements OnModuleInit, OnApplicationBootstrap {
  private readonly logger = new Logger('ContractDocuments');
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditLogService,
    private readonly notifier: Notifier,
    private readonly jobs: JobRegistry,
    @InjectStorage() private readonly storage: Storage,
    @InjectQueue() private readonly queue: QueuePort,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.jobs.register('contracts.renewal-reminders', async () => {
      await this.remindRenewals();
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.queue.schedule('contracts:renewal-reminders', 6 * 3600_000, 'contracts.renewal-reminders', {});
  }

  async upload(contractId: string, req: Request, fileName: string | undefined): Promise<ContractDocumentView> {
    const contract = await findScoped(this.dataSource.manager, Contract, contractId, 'contract');
    const name = (fileName ?? '').trim();
    if (!name || name.length > 255 || /[\\/\0]/.test(name)) throw new DomainException('document.invalid_name', 'invalid', 'Give the file name in ?name=', [{ path: 'query.name', message: 'a file name without slashes, at most 255 characters' }]);
    const type = (req.headers['content-type'] ?? 'application/octet-stream').split(';')[0]!.trim().toLowerCase();
    if (!SAFE_TYPE.test(type)) throw new DomainException('document.invalid_type', 'bad_request', 'Unsupported content type');
    // JSON and CSV bodies were already read by the body parsers; their raw bytes are kept for us.
    const raw = (req as Request & { rawBody?: Buffer }).rawBody;
    const body = raw ? Readable.from(raw) : req.readableEnded ? Readable.from(Buffer.from(typeof req.body === 'string' ? req.body : '')) : req;
    const stored = await this.storage.put(body, this.config.storage.maxBytes);
    const actor = RequestContext.actor();
    return this.dataSource.transaction(async (m) => {
      const [row] = await m.query(
        `INSERT INTO contract_documents (organization_id, contract_id, vendor_id, file_name, content_type, size_bytes, sha256, uploaded_by) VALUES ($1,$2,$3,$4,$5,$6,$7,$8) RETURNING id, uploaded_at`,
        [contract.organizationId, contract.id, contract.vendorId, name, type, stored.sizeBytes, stored.sha256, actor.userId],
      );
      await this.audit.append(m, { action: 'contract.document_uploaded', entityType: 'contract', entityId: contract.id, diff: { documentId: row.id, fileName: name, sha256: stored.sha256, sizeBytes: stored.sizeBytes } });
      return { id: row.id, fileName: name, contentType: type, sizeBytes: stored.sizeBytes, sha256: stored.sha256, uploadedAt: row.uploaded_at.toISOString() };
    });
  }

  async list(contractId: string): Promise<ContractDocumentView[]> {
    const contract = await findScoped(this.dataSource.manager, Contract, contractId, 'contract');
    const rows: { id: string; file_name: string; content_type: string; size_bytes: string; sha256: string; uploaded_at: Date }[] = await this.dataSource.query(
      `SELECT id, file_name, content_type, size_bytes, sha256, uploaded_at FROM contract_documents WHERE contract_id = $1 ORDER BY uploaded_at DESC`,
      [contract.id],
    );
    return rows.map((r) => ({ id: r.id, fileName: r.file_name, contentType: r.content_type, sizeBytes: Number(r.size_bytes), sha256: r.sha256, uploadedAt: r.uploaded_at.toISOString() }));
  }

  async download(contractId: string, documentId: string, res: Response): Promise<void> {
    const doc = (await this.list(contractId)).find((d) => d.id === documentId);
    if (!doc) throw new NotFound('document', documentId);
    if (!(await this.storage.verify(doc.sha256))) {
      this.logger.error(`document ${doc.id} (${doc.sha256}) is missing or does not match its hash`);
      throw new DomainException('document.integrity', 'conflict', 'The stored file does not match its recorded SHA-256; it was not served');
    }
    const body = await this.storage.read(doc.sha256);
    res.setHeader('Content-Type', doc.contentType);
    res.setHeader('Content-Length', String(doc.sizeBytes));
    res.setHeader('Content-Disposition', `attachment; filename*=UTF-8''${encodeURIComponent(doc.fileName)}`);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Digest', `sha-256=${Buffer.from(doc.sha256, 'hex').toString('base64')}`);
    try {
      // pipeline destroys the stored stream too when the client goes away (an S3 body holds a socket).
      await pipeline(body, res);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ERR_STREAM_PREMATURE_CLOSE' && res.destroyed) return; // the client left
      throw err;
    }
  }

  /** Contracts whose renewal-notice date falls within 30 days: procurement and the vendor owner are told once per expiry date. */
  async remindRenewals(today = new Date()): Promise<number> {
    const due: { id: string; organization_id: string; vendor_id: string; title: string; expiry_date: string; notice_date: string }[] = await this.dataSource.query(
      `SELECT c.id, c.organization_id, c.vendor_id, c.title, to_char(c.expiry_date, 'YYYY-MM-DD') AS expiry_date, to_char(c.expiry_date - c.renewal_notice_days, 'YYYY-MM-DD') AS notice_date
         FROM contracts c
        WHERE c.status = 'active' AND c.expiry_date IS NOT NULL
          AND c.expiry_date - c.renewal_notice_days <= ($1::date + 30)
          AND c.expiry_date >= $1::date
          AND c.renewal_reminded_for IS DISTINCT FROM c.expiry_date`,
      [today.toISOString().slice(0, 10)],
    );
    for (const c of due) {
      await this.notifier.toUsers(c.organization_id, `role = 'procurement' OR id = (SELECT owner_id FROM vendors WHERE id = $2)`, [c.vendor_id], {
        title: `Renewal notice due ${c.notice_date}: ${c.title}`,
        body: `"${c.title}" expires on ${c.expiry_date}. Notice of non-renewal must be given by ${c.notice_date}.`,
        link: `/contracts/${c.id}`,
        key: `renewal-${c.id}-${c.expiry_date}`,
      });
      await this.dataSource.query(`UPDATE contracts SET renewal_reminded_for = expiry_date WHERE id = $1`, [c.id]);
    }
    return due.length;
  }
}

@ApiTags('contracts')
@Controller('contracts')
export class ContractDocumentsController {
  constructor(private readonly documents: ContractDocuments) {}

  /** The file is the request body (any content type); `?name=` gives its file name. */
  @Post(':id/documents')
  @Allow('contract.write')
  upload(@IdParam() id: string, @Req() req: Request, @Query('name') name?: string) {
    return this.documents.upload(id, req, name);
  }

  @Get(':id/documents')
  @Allow('contract.read')
  list(@IdParam() id: string) {
    return this.documents.list(id);
  }

  @Get(':id/documents/:documentId')
  @Allow('contract.read')
  download(@IdParam() id: string, @IdParam('documentId') documentId: string, @Res() res: Response) {
    return this.documents.download(id, documentId, res);
  }
}
