import type { EntityManager } from 'typeorm';

import { SignalSource, type SourceStatus } from './signal-source.entity.js';

/**
 * The health a source shows (`status`, last poll and success, consecutive failures, last error): the
 * one place every ingestion path and every failed poll writes it.
 */

/** A successful read (poll, webhook delivery, upload), in the ingest transaction. */
export async function recordSourceSuccess(m: EntityManager, sourceId: string): Promise<void> {
  await m.update(
    SignalSource,
    { id: sourceId },
    { status: 'ok', lastPollAt: new Date(), lastSuccessAt: new Date(), consecutiveFailures: 0, lastError: null },
  );
}

/** A failed poll: the source is failing (or misconfigured), one more consecutive failure, and why. */
export async function recordSourceFailure(
  m: EntityManager,
  sourceId: string,
  status: Extract<SourceStatus, 'failing' | 'invalid_config'>,
  error: string,
): Promise<void> {
  await m.query(
    `UPDATE signal_sources SET status = $2, last_poll_at = now(), consecutive_failures = consecutive_failures + 1, last_error = $3, updated_at = now() WHERE id = $1`,
    [sourceId, status, error.slice(0, 2000)],
  );
}
