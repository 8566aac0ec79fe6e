/**
 * Queue and job names: a persisted contract. Jobs already enqueued in Redis carry these strings,
 * so they are never derived from class names and never renamed without a migration of the queue.
 */
export const QUEUES = {
  default: 'bulwark-default',
} as const;
/** The default queue, or one poll queue per plugin (`bulwark-poll-<plugin id>`), so each plugin has its own rate limit and a slow feed never holds up another plugin's polls. */
export type QueueName = (typeof QUEUES)[keyof typeof QUEUES] | `bulwark-poll-${string}`;

export function pollQueue(pluginId: string): QueueName {
  return `bulwark-poll-${pluginId}`;
}

export interface MailJob {
  to: string;
  subject: string;
  text: string;
  html?: string;
  /** Stable key so a retried enqueue sends one mail. */
  idempotencyKey: string;
}

/** Every job name with its payload type. */
export interface JobMap {
  'mail.send': MailJob;
  'system.ping': { at: string };
  /** Poll one signal source once. */
  'signals.poll': { sourceId: string; organizationId: string; plugin: string };
  /** Recompute attainment and breaches of the SLAs covering a vendor's services (late or corrected signals). */
  'contracts.recompute-attainment': { organizationId: string; vendorId: string };
  /** Hourly: recompute every vendor with SLAs, so windows that close without new signals are judged too. */
  'contracts.recompute-all': { at?: string };
  /** Superseded by `reminders.sweep`; still handled (as a sweep) for jobs queued by an earlier version. */
  'contracts.renewal-reminders': { at?: string };
  /** Hourly: every reminder step due by now that the ledger does not have yet (all subjects, all organizations). */
  'reminders.sweep': { at?: string };
}
export type JobName = keyof JobMap;

/** Which queue a job goes to. */
export function queueFor<N extends JobName>(name: N, data: JobMap[N]): QueueName {
  if (name === 'signals.poll') return pollQueue((data as JobMap['signals.poll']).plugin);
  return QUEUES.default;
}

/** Default delivery options, in one place. */
export const DEFAULT_JOB_OPTIONS = {
  attempts: 5,
  backoff: { type: 'exponential' as const, delay: 2000 },
  removeOnComplete: { age: 24 * 3600, count: 1000 },
  removeOnFail: { age: 7 * 24 * 3600 },
};

/** Throw this from a handler when retrying cannot help (bad config, 4xx): the job is failed at once. */
export class PermanentJobError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PermanentJobError';
  }
}
