import type { EntityManager } from 'typeorm';

import type { SignalSourceView } from '@bulwark/api-schema';

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

/**
 * A polled source whose last successful read (or, before its first, its creation) is older than this
 * many schedule periods shows as `stale`: more than a retry or a queued poll can explain; no poll has
 * succeeded (the feed is dead, or nothing runs the polls).
 */
export const STALE_AFTER_PERIODS = 3;

/**
 * The status a source shows (API, portal): the recorded one, except that an enabled polled source
 * (`pending`, `ok` or `failing`) with no successful read for `STALE_AFTER_PERIODS` schedule periods is
 * `stale`, computed when read, so it needs no job to become so. A disabled or misconfigured source
 * keeps its status; push sources are not polled, so they never go stale.
 */
export function shownStatus(
  s: Pick<SignalSource, 'status' | 'enabled' | 'scheduleSeconds' | 'lastSuccessAt' | 'createdAt'>,
  push: boolean,
  now = new Date(),
): SignalSourceView['status'] {
  if (push || !s.enabled || !['pending', 'ok', 'failing'].includes(s.status)) return s.status;
  const since = (s.lastSuccessAt ?? s.createdAt).getTime();
  return now.getTime() - since > STALE_AFTER_PERIODS * s.scheduleSeconds * 1000 ? 'stale' : s.status;
}
