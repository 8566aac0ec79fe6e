import { Readable } from 'node:stream';
import { Inject, Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { DataSource } from 'typeorm';

import type { ContractDocumentView } from '@bulwark/api-schema';
import {
  APP_CONFIG,
  AuditLogService,
  DomainException,
  findScoped,
  InjectStorage,
  NotFound,
  RequestContext,
  scoped,
  sendStoredFile,
  type AppConfig,
  type Storage,
} from '@bulwark/platform';

import { Contract, ContractDocument } from './contract.entity.js';

const SAFE_TYPE = /^[\w.+-]+\/[\w.+-]+$/;

const view = (d: ContractDocument): ContractDocumentView => ({
  id: d.id,
  fileName: d.fileName,
  contentType: d.contentType,
  sizeBytes: d.sizeBytes,
  sha256: d.sha256,
  uploadedAt: d.uploadedAt.toISOString(),
});

/**
 * Contract documents: streamed into content-addressed storage with their SHA-256 computed on the
 * way in, immutable, verified against the hash before every download, served as attachments.
 */
@Injectable()
export class ContractDocuments {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditLogService,
    @InjectStorage() private readonly storage: Storage,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async upload(contractId: string, req: Request, fileName: string | undefined): Promise<ContractDocumentView> {
    const contract = await findScoped(this.dataSource.manager, Contract, contractId, 'contract');
    const name = (fileName ?? '').trim();
    if (!name || name.length > 255 || /[\\/\0]/.test(name))
      throw new DomainException('document.invalid_name', 'invalid', 'Give the file name in ?name=', [
        { path: 'query.name', message: 'a file name without slashes, at most 255 characters' },
      ]);
    const type = (req.headers['content-type'] ?? 'application/octet-stream').split(';')[0]!.trim().toLowerCase();
    if (!SAFE_TYPE.test(type)) throw new DomainException('document.invalid_type', 'bad_request', 'Unsupported content type');
    // JSON and CSV bodies were already read by the body parsers; their raw bytes are kept for us.
    const raw = (req as Request & { rawBody?: Buffer }).rawBody;
    const body = raw
      ? Readable.from(raw)
      : req.readableEnded
        ? Readable.from(Buffer.from(typeof req.body === 'string' ? req.body : ''))
        : req;
    const stored = await this.storage.put(body, this.config.storage.maxBytes);
    const actor = RequestContext.actor();
    return this.dataSource.transaction(async (m) => {
      const doc = await m.save(
        m.create(ContractDocument, {
          contractId: contract.id,
          vendorId: contract.vendorId,
          fileName: name,
          contentType: type,
          sizeBytes: stored.sizeBytes,
          sha256: stored.sha256,
          uploadedBy: actor.userId,
        }),
      );
      await this.audit.append(m, {
        action: 'contract.document_uploaded',
        entityType: 'contract',
        entityId: contract.id,
        diff: { documentId: doc.id, fileName: name, sha256: stored.sha256, sizeBytes: stored.sizeBytes },
      });
      return view(doc);
    });
  }

  async list(contractId: string): Promise<ContractDocumentView[]> {
    const m = this.dataSource.manager;
    const contract = await findScoped(m, Contract, contractId, 'contract');
    const docs = await scoped(m, ContractDocument, 'd')
      .andWhere('d.contractId = :c', { c: contract.id })
      .orderBy('d.uploadedAt', 'DESC')
      .addOrderBy('d.id')
      .getMany();
    return docs.map(view);
  }

  async download(contractId: string, documentId: string, res: Response): Promise<void> {
    const m = this.dataSource.manager;
    const contract = await findScoped(m, Contract, contractId, 'contract');
    const doc = await scoped(m, ContractDocument, 'd')
      .andWhere('d.id = :id AND d.contractId = :c', { id: documentId, c: contract.id })
      .getOne();
    if (!doc) throw new NotFound('document', documentId);
    await sendStoredFile(this.storage, res, {
      sha256: doc.sha256,
      contentType: doc.contentType,
      sizeBytes: doc.sizeBytes,
      fileName: doc.fileName,
    });
  }
}
