import { z } from 'zod';

/** `GET /api/health`: 200 with status `ok` when the database and the queue answer, 503 with `degraded` otherwise. */
export const healthReportSchema = z.object({
  // Documented as an enum; typed as a string because the health handler does not narrow its literal.
  status: z.string().meta({ enum: ['ok', 'degraded'] }),
  mode: z.enum(['embedded', 'production']),
  database: z.object({ ok: z.boolean(), latencyMs: z.number().min(0).optional(), embedded: z.boolean() }),
  queue: z.object({
    driver: z.enum(['bullmq', 'inprocess']),
    ok: z.boolean(),
    /** Job counts summed over every queue. */
    counts: z.record(z.string(), z.number()).optional(),
    /** Per queue (BullMQ): job counts and how many workers consume it (null where Redis hides CLIENT LIST). */
    queues: z
      .record(z.string(), z.object({ counts: z.record(z.string(), z.number()), workers: z.number().int().min(0).nullable() }))
      .optional(),
  }),
  /** Reported without deciding the status. */
  storage: z.object({ driver: z.enum(['local', 's3']), ok: z.boolean() }),
});
export type HealthReport = z.output<typeof healthReportSchema>;
