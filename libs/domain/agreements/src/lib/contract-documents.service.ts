import { Readable } from 'node:stream';
import { Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { DataSource } from 'typeorm';

import type { ContractDocumentView } from '@bulwark/api-schema';
import { EvidenceService, type EvidenceTarget, type LinkedRevision } from '@bulwark/evidence';
import { DomainException, findScoped, NotFound } from '@bulwark/platform';

import { Contract } from './contract.entity.js';

const view = ({ evidence, revision }: Pick<LinkedRevision, 'evidence' | 'revision'>): ContractDocumentView => ({
  id: revision.id,
  evidenceId: evidence.id,
  title: evidence.title,
  fileName: revision.fileName,
  contentType: revision.mediaType,
  sizeBytes: revision.sizeBytes,
  sha256: revision.sha256,
  scan: revision.scan,
  integrity: revision.integrity,
  uploadedBy: revision.uploadedBy,
  uploadedAt: revision.uploadedAt,
});

/** The title a document gets from its file name: the name without its extension, at most 200 characters. */
export function documentTitle(fileName: string): string {
  const name = fileName.trim();
  const bare = name.replace(/\.[A-Za-z0-9]{1,10}$/, '').trim();
  return (bare || name).slice(0, 200).trim() || 'Contract document';
}

/**
 * A contract's documents are evidence of kind `contract` linked to it (docs/adr/0014-contract-documents-are-evidence.md):
 * uploaded through the vault's intake (type judged from the content, malware scan, size cap, SHA-256,
 * content-addressed storage), listed from the vault's links and downloaded through the vault's one download
 * (hash verified, a mismatch flags the evidence). These routes keep the contract page's API: the file as the
 * raw request body, its name in `?name=`.
 */
@Injectable()
export class ContractDocuments {
  constructor(
    private readonly dataSource: DataSource,
    private readonly evidence: EvidenceService,
  ) {}

  async upload(contractId: string, req: Request, fileName: string | undefined): Promise<ContractDocumentView> {
    const contract = await findScoped(this.dataSource.manager, Contract, contractId, 'contract');
    const name = (fileName ?? '').trim();
    if (!name || name.length > 255 || /[\\/\0]/.test(name))
      throw new DomainException('document.invalid_name', 'invalid', 'Give the file name in ?name=', [
        { path: 'query.name', message: 'a file name without slashes, at most 255 characters' },
      ]);
    const type = (req.headers['content-type'] ?? 'application/octet-stream').split(';')[0]!.trim().toLowerCase();
    if (type === 'multipart/form-data')
      throw new DomainException(
        'document.raw_body_required',
        'bad_request',
        'Send the file itself as the request body, its name in ?name=',
        [{ path: 'body', message: 'the file itself, not a multipart form (POST /api/evidence takes one)' }],
      );
    // JSON and CSV bodies were already read by the body parsers; their raw bytes are kept for us.
    const raw = (req as Request & { rawBody?: Buffer }).rawBody;
    const stream = raw
      ? Readable.from(raw)
      : req.readableEnded
        ? Readable.from(Buffer.from(typeof req.body === 'string' ? req.body : ''))
        : req;
    const created = await this.evidence.createFromFile(
      { vendorId: contract.vendorId, kind: 'contract', title: documentTitle(name) },
      { stream, fileName: name, mimeType: type },
      { link: this.target(contract) },
    );
    return view({ evidence: created, revision: created.current });
  }

  async list(contractId: string): Promise<ContractDocumentView[]> {
    const contract = await findScoped(this.dataSource.manager, Contract, contractId, 'contract');
    return (await this.evidence.linkedTo(this.target(contract), { kind: 'contract' })).map(view);
  }

  async download(contractId: string, documentId: string, res: Response): Promise<void> {
    const contract = await findScoped(this.dataSource.manager, Contract, contractId, 'contract');
    const linked = await this.evidence.linkedRevision(this.target(contract), documentId, { kind: 'contract' });
    if (!linked) throw new NotFound('document', documentId);
    await this.evidence.download(linked.evidenceId, documentId, res);
  }

  private target(contract: Contract): EvidenceTarget {
    return { targetType: 'contract', targetId: contract.id };
  }
}
