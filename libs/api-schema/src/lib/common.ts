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

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

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
