import { z } from 'zod';

/**
 * `GET /api/health`: 200 when the database and the queue answer (status `ok`, or `degraded` when job schedulers
 * are missing or outbox jobs wait), 503 with `degraded` when either does not answer.
 */
export const healthReportSchema = z.object({
  // Documented as an enum; typed as a string because the health handler does not narrow its literal.
  status: z.string().meta({ enum: ['ok', 'degraded'] }),
  mode: z.enum(['embedded', 'production']),
  database: z.object({ ok: z.boolean(), latencyMs: z.number().min(0).optional(), embedded: z.boolean() }),
  queue: z.object({
    driver: z.enum(['bullmq', 'inprocess']),
    ok: z.boolean(),
    /** BullMQ: Redis answered a PING in time. */
    reachable: z.boolean().optional(),
    /** Job counts summed over every queue. */
    counts: z.record(z.string(), z.number()).optional(),
    /** Per queue (BullMQ): job counts and how many workers consume it (null where Redis hides CLIENT LIST). */
    queues: z
      .record(z.string(), z.object({ counts: z.record(z.string(), z.number()), workers: z.number().int().min(0).nullable() }))
      .optional(),
    /** The declared job schedulers against those the queue holds (null counts where either could not be read). */
    schedulers: z
      .object({
        ok: z.boolean(),
        expected: z.number().int().min(0).nullable(),
        registered: z.number().int().min(0).nullable(),
        missing: z.number().int().min(0).nullable(),
        reconciledAt: z.iso.datetime({ offset: true }).nullable(),
      })
      .optional(),
    /** Follow-up jobs of committed changes not yet taken by the queue. */
    outbox: z.object({ ok: z.boolean(), pending: z.number().int().min(0).nullable(), oldestSeconds: z.number().min(0).nullable() }),
  }),
  /** Reported without deciding the status. */
  storage: z.object({ driver: z.enum(['local', 's3']), ok: z.boolean() }),
});
export type HealthReport = z.output<typeof healthReportSchema>;
