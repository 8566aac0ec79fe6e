import { z } from 'zod';

/** Roles of DOMAIN.md; the single source for server and portal. */
export const ROLES = ['admin', 'vendor_manager', 'procurement', 'auditor', 'vendor_contact'] as const;
export const roleSchema = z.enum(ROLES);
export type Role = z.infer<typeof roleSchema>;
export const INTERNAL_ROLES: readonly Role[] = ['admin', 'vendor_manager', 'procurement', 'auditor'];

export const uuidSchema = z.uuid({ message: 'must be a UUID' });

/** Query-string pagination shared by every list endpoint. */
export const paginationQuery = {
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(25),
};

// ---- response shapes ----
// The API's answers are described by zod schemas too: the OpenAPI document declares them (`@Returns`), the
// types below are inferred from them, and the API tests check every answer against the declared schema.

/** An instant as the API writes it: `Date.toISOString()`, or an ISO 8601 date-time with an offset. */
export const timestamp = z.iso.datetime({ offset: true });
/** An identifier the database made (any UUID version; the seeds' ids are UUID-shaped). */
export const entityId = z.guid();
/** A count: a non-negative integer. */
export const count = z.number().int().min(0);

/** One page of a list endpoint. */
export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), total: count, page: z.number().int().min(1), pageSize: z.number().int().min(1) });
}
export type Page<T> = Omit<z.output<ReturnType<typeof pageOf<z.ZodUnknown>>>, 'items'> & { items: T[] };

/** The one error body every failing request gets. */
export interface ErrorBody {
  error: {
    status: number;
    code: string;
    message: string;
    fields?: { path: string; message: string }[];
    errorId?: string;
  };
}

/** Builds a `sort` query schema from the allowed keys: `name` ascending, `-name` descending. */
export function sortSchema<const K extends string>(keys: readonly K[], fallback: K | `-${K}`) {
  type Sort = K | `-${K}`;
  const allowed: string[] = [...keys, ...keys.map((k) => `-${k}`)];
  // An enum, so the OpenAPI document lists the values a client may send.
  return (z.enum(allowed as [Sort, ...Sort[]], { error: `must be one of ${allowed.join(', ')}` }) as z.ZodType<Sort, Sort>)
    .default(fallback)
    .transform((v) => ({ key: v.replace(/^-/, '') as K, dir: v.startsWith('-') ? ('DESC' as const) : ('ASC' as const) }));
}

/** Trimmed text of at most `max` characters. */
export const text = (max: number) => z.string().trim().max(max);
/** A calendar date, `YYYY-MM-DD`. */
export const isoDate = z.iso.date();
