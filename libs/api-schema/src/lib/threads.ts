import { z } from 'zod';

import { count, entityId, timestamp, uuidSchema } from './common.js';

/**
 * Who sees a comment: `vendor` — both sides (the organization's people and the vendor's contacts);
 * `internal` — the organization's people only, never a vendor contact (enforced by the API).
 */
export const THREAD_AUDIENCES = ['vendor', 'internal'] as const;
export type ThreadAudience = (typeof THREAD_AUDIENCES)[number];

/** A registered kind of object a thread hangs on (`breach`, `negotiation`, later `finding`, `evidence`…). */
export const threadTargetTypeSchema = z.string().regex(/^[a-z][a-z_]{1,39}$/, 'must be a target type such as breach or negotiation');

/** `POST /api/threads/:targetType/:targetId`: a new comment. */
export const threadCommentSchema = z.strictObject({
  body: z.string().trim().min(1, 'write a comment').max(5000),
  audience: z.enum(THREAD_AUDIENCES),
  /** Users of the organization who can see the comment; each is notified once. */
  mentions: z.array(uuidSchema).max(20).default([]),
  /** Evidence items attached (ids from the evidence vault; stored as given). */
  evidenceIds: z.array(uuidSchema).max(10).default([]),
  /** Web links (status pages, incident reports). */
  links: z
    .array(z.url({ protocol: /^https?$/ }))
    .max(10)
    .default([]),
});

export const threadCommentViewSchema = z.object({
  id: entityId,
  targetId: entityId,
  audience: z.enum(THREAD_AUDIENCES),
  /** `customer`: a person of the organization; `vendor`: one of the vendor's contacts. */
  authorSide: z.enum(['customer', 'vendor']),
  authorId: entityId.nullable(),
  authorName: z.string().nullable(),
  body: z.string(),
  mentions: z.array(z.object({ id: entityId, name: z.string().nullable() })),
  evidenceIds: z.array(entityId),
  /** Web links (status pages, incident reports; a breach comment's `evidenceLinks`). */
  links: z.array(z.string()),
  createdAt: timestamp,
});
export type ThreadCommentView = z.output<typeof threadCommentViewSchema>;

/** `GET /api/threads/:targetType/:targetId`: the comments the caller may see, oldest first, and how many. */
export const threadViewSchema = z.object({
  targetType: z.string(),
  targetId: entityId,
  title: z.string(),
  /** The vendor the target belongs to (whose evidence a comment may attach); null for an internal-only target. */
  vendorId: entityId.nullable(),
  /** Portal path of the target. */
  link: z.string(),
  /** Whether the caller may post (an auditor reads; a closed target takes no more comments). */
  canPost: z.boolean(),
  /** Why no comment can be posted, when the target is closed. */
  closedReason: z.string().nullable(),
  /** The audiences the caller may write to (vendor contacts: only `vendor`). */
  audiences: z.array(z.enum(THREAD_AUDIENCES)),
  /** The comments the caller may see (vendor contacts: never an internal one, nor its count). */
  total: count,
  comments: z.array(threadCommentViewSchema),
});
export type ThreadView = z.output<typeof threadViewSchema>;

export const threadPeopleQuery = z.strictObject({
  /** Only people who may see a comment of this audience (default `vendor`). */
  audience: z.enum(THREAD_AUDIENCES).default('vendor'),
});

/** `GET /api/threads/:targetType/:targetId/people`: whom a comment may mention. */
export const threadPersonSchema = z.object({
  id: entityId,
  name: z.string(),
  side: z.enum(['customer', 'vendor']),
});
export const threadPeopleSchema = z.array(threadPersonSchema);
export type ThreadPerson = z.output<typeof threadPersonSchema>;
