import { pipeline } from 'node:stream/promises';
import { Logger } from '@nestjs/common';
import type { Response } from 'express';

import { DomainException } from '../errors/domain.exception.js';
import type { Storage } from './storage.js';

/** A stored file as it is served: its hash (the storage key), type, size and the name it is downloaded as. */
export interface StoredFile {
  sha256: string;
  /** Served as is when its media type is a plain `type/subtype` (parameters such as `charset` kept); else as `application/octet-stream`. */
  contentType: string | null;
  sizeBytes?: number | null;
  fileName: string;
  /**
   * Whether the name was given by a user (an uploaded file's): such names are always sent RFC 5987 encoded
   * (`filename*=UTF-8''…`), whatever they contain. Names Bulwark makes up are plain tokens sent as `filename="…"`.
   */
  userNamed?: boolean;
  /**
   * Called (and awaited) when the file fails its hash check, before the refusal: e.g. the evidence vault
   * flags the revision. Its own failure is logged and does not change the answer.
   */
  onIntegrityFailure?: () => Promise<void>;
}

/** The error every download answers when a stored file is missing or no longer matches its SHA-256. */
export const FILE_INTEGRITY = 'file.integrity';

const SAFE_TYPE = /^[\w.+-]+\/[\w.+-]+$/;
const TOKEN_NAME = /^[\w.-]+$/;

/** `attachment` with a user's file name RFC 5987 encoded (spaces, quotes, non-ASCII survive), or a plain token name quoted. */
export function attachmentDisposition(fileName: string, userNamed = true): string {
  return !userNamed && TOKEN_NAME.test(fileName)
    ? `attachment; filename="${fileName}"`
    : `attachment; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}

/**
 * Serves a stored file as an attachment, after checking it against its SHA-256: the one download path for
 * every stored file (contract documents, raw feed evidence, the evidence vault's revisions). A file that is missing
 * or altered is never served: it answers 500 `file.integrity` with an error id (the fault is ours; the id
 * and the hash are logged). Headers: type (never sniffed), length, attachment name and the RFC 3230 digest.
 */
export async function sendStoredFile(storage: Storage, res: Response, file: StoredFile, logger = new Logger('Files')): Promise<void> {
  if (!(await storage.verify(file.sha256))) {
    logger.error(`stored file ${file.sha256} ("${file.fileName}") is missing or does not match its SHA-256`);
    if (file.onIntegrityFailure)
      await file.onIntegrityFailure().catch((err: unknown) => logger.error(`flagging ${file.sha256} failed: ${(err as Error).message}`));
    throw new DomainException(
      FILE_INTEGRITY,
      'internal',
      'The stored file is missing or does not match its recorded SHA-256; it was not served',
    );
  }
  const body = await storage.read(file.sha256);
  const mediaType = file.contentType?.split(';')[0]?.trim().toLowerCase() ?? '';
  res.setHeader('Content-Type', SAFE_TYPE.test(mediaType) ? file.contentType! : 'application/octet-stream');
  if (file.sizeBytes) res.setHeader('Content-Length', String(file.sizeBytes));
  res.setHeader('Content-Disposition', attachmentDisposition(file.fileName, file.userNamed ?? true));
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Digest', `sha-256=${Buffer.from(file.sha256, 'hex').toString('base64')}`);
  try {
    // pipeline destroys the stored stream too when the client goes away (an S3 body holds a socket).
    await pipeline(body, res);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ERR_STREAM_PREMATURE_CLOSE' && res.destroyed) return; // the client left
    throw err;
  }
}
