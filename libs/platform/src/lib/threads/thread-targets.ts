import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

import { Invalid } from '../errors/domain.exception.js';
import type { Recipients } from '../notifications/notifier.js';
import type { Actor } from '../tenancy/request-context.js';
import type { ThreadComment } from './thread-comment.entity.js';

/** What a thread needs to know of the object it hangs on. */
export interface ThreadTarget {
  organizationId: string;
  /** The vendor the object belongs to: its contacts see the thread's `vendor` comments. Null: internal only. */
  vendorId: string | null;
  /** Portal path of the object (internal users). */
  link: string;
  /** Portal path for the vendor's contacts, when it differs (`/vendor-home/...`). */
  vendorLink?: string;
  /** How notices name it, e.g. `SLA breach API availability · 2026-08`. */
  title: string;
  /** Set when the object takes no more comments (a decided breach): why. */
  closedReason?: string | null;
  /** The organization's people told of the vendor's comments besides those who took part (default: the vendor's owner). */
  internalRecipients?: Omit<Recipients, 'vendorContactsOf'>;
}

export interface ThreadCommentEvent {
  targetId: string;
  target: ThreadTarget;
  comment: ThreadComment;
  actor: Actor;
}

/** Checks the evidence ids of a comment: each must be an item the caller may see, of `vendorId` (any, when null). */
export type AttachmentCheck = (m: EntityManager, q: { vendorId: string | null; ids: readonly string[] }) => Promise<void>;

/** A kind of object threads hang on, registered by its area. */
export interface ThreadTargetType {
  /** Stable, stored with every comment: `breach`, `negotiation`, `finding`… */
  type: string;
  /**
   * The object, read without scope (the thread checks the caller's organization and vendor against it), or
   * null when there is none. `lock`: the comment's transaction locks the row (for `onComment`).
   */
  resolve(m: EntityManager, targetId: string, opts: { lock: boolean }): Promise<ThreadTarget | null>;
  /**
   * In the comment's transaction, once it is stored: what the comment does to the object (the vendor's first
   * comment on an open breach disputes it). `{ notified: true }` when the area has told both sides itself.
   */
  onComment?(m: EntityManager, event: ThreadCommentEvent): Promise<{ notified?: boolean } | void>;
}

const TYPE = /^[a-z][a-z_]{1,39}$/;

/** The registry of thread target types: each area registers its own at start-up (module constructor). */
@Injectable()
export class ThreadTargets {
  private readonly types = new Map<string, ThreadTargetType>();
  private attachments: AttachmentCheck | null = null;

  /** The evidence area's check of the evidence ids a comment attaches (the platform knows no evidence table). */
  checkAttachmentsWith(check: AttachmentCheck): void {
    if (this.attachments) throw new Error('Thread attachments are checked by one area only');
    this.attachments = check;
  }

  /** Throws a 4xx naming `evidenceIds` unless every id is evidence the caller may see, of the thread's vendor. */
  async assertAttachments(m: EntityManager, target: ThreadTarget, ids: readonly string[]): Promise<void> {
    if (!ids.length) return;
    if (!this.attachments)
      throw new Invalid('thread.attachments_unavailable', 'Evidence cannot be attached here', [
        { path: 'evidenceIds', message: 'no evidence vault is available' },
      ]);
    await this.attachments(m, { vendorId: target.vendorId, ids });
  }

  register(def: ThreadTargetType): void {
    if (!TYPE.test(def.type)) throw new Error(`Not a thread target type: ${def.type}`);
    if (this.types.has(def.type)) throw new Error(`Thread target type ${def.type} is registered twice`);
    this.types.set(def.type, def);
  }

  get(type: string): ThreadTargetType | undefined {
    return this.types.get(type);
  }

  list(): string[] {
    return [...this.types.keys()].sort();
  }
}
