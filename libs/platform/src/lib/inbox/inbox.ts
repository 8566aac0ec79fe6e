import { Controller, Get, Injectable, Logger } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { DataSource, type EntityManager } from 'typeorm';

import {
  can,
  inboxCountQuery,
  inboxCountSchema,
  inboxListSchema,
  inboxQuery,
  type InboxCount,
  type InboxItem,
  type InboxList,
  type Input,
  type Permission,
  type WaitingOn,
} from '@bulwark/api-schema';

import { Invalid } from '../errors/domain.exception.js';
import { Allow } from '../tenancy/access.decorators.js';
import { RequestContext, type Actor } from '../tenancy/request-context.js';
import { Returns } from '../validation/returns.decorator.js';
import { ZodQuery } from '../validation/zod.pipe.js';

/** What one source answers: the newest `limit` items of one side, and how many that side has in all. */
export interface InboxPage {
  items: InboxItem[];
  total: number;
}

/**
 * A kind of work that waits on someone (a negotiation round, a disputed breach, a renewal notice, a finding…),
 * registered by the area that owns it. See ADR 0013.
 */
export interface InboxSource {
  /** Stable, shown to clients as the item's `kind`: e.g. `negotiation`. */
  kind: string;
  /** The sides this kind can wait on; a source is never asked for another (renewal notices: only `us`). */
  sides: readonly WaitingOn[];
  /** Who may see this kind at all (the permissions table); other roles never have the source asked. */
  permission: Permission;
  /**
   * ONE query: `who`'s open items of this kind waiting on `waitingOn`, newest `updatedAt` first, at most
   * `limit`, and the total (e.g. `count(*) OVER ()` in the same query). Read through `scoped(m, Entity, alias, who)`
   * so a vendor contact gets only its vendor's rows; the inbox drops any other row anyway.
   */
  items(m: EntityManager, who: Actor, q: { waitingOn: WaitingOn; limit: number }): Promise<InboxPage>;
}

/** Reads a source's rows that carry the window count `total` (`count(*) OVER ()`): the page and the total. */
export function inboxPage<R extends { total: number | string }>(rows: R[], item: (row: R) => InboxItem): InboxPage {
  return { items: rows.map(item), total: rows.length ? Number(rows[0]!.total) : 0 };
}

/**
 * The signed-in user's inbox: everything waiting on them across kinds, newest first. The platform knows
 * no domain; each area registers its sources at start-up (like `Reminders` and `AuditEntityNames`). One
 * request runs one query per source that applies, each bounded by the limit.
 */
@Injectable()
export class Inbox {
  private readonly logger = new Logger('Inbox');
  private readonly sources = new Map<string, InboxSource>();

  constructor(private readonly dataSource: DataSource) {}

  /** Registers a source (in its area's `onModuleInit`). */
  register(source: InboxSource): void {
    if (this.sources.has(source.kind)) throw new Error(`Inbox source ${source.kind} is registered twice`);
    this.sources.set(source.kind, source);
  }

  kinds(): string[] {
    return [...this.sources.keys()];
  }

  /** The side the caller asks about: vendor contacts only ever their own (`vendor`); staff `us` unless they ask. */
  side(who: Actor, asked: WaitingOn | undefined): WaitingOn {
    if (who.role === 'vendor_contact') {
      if (asked === 'us')
        throw new Invalid('inbox.invalid_side', 'Vendor contacts see what waits on their vendor', [
          { path: 'query.waitingOn', message: 'vendor contacts see only what waits on them (vendor)' },
        ]);
      return 'vendor';
    }
    return asked ?? 'us';
  }

  async list(q: Input<typeof inboxQuery>, who: Actor = RequestContext.actor()): Promise<InboxList> {
    const waitingOn = this.side(who, q.waitingOn);
    const pages = await this.ask(who, waitingOn, q.limit);
    const items = pages
      .flatMap((p) => p.items)
      .sort((a, b) => b.updatedAt.localeCompare(a.updatedAt) || a.kind.localeCompare(b.kind) || a.id.localeCompare(b.id))
      .slice(0, q.limit);
    return { waitingOn, items, total: pages.reduce((n, p) => n + p.total, 0), limit: q.limit };
  }

  async count(q: Input<typeof inboxCountQuery>, who: Actor = RequestContext.actor()): Promise<InboxCount> {
    const waitingOn = this.side(who, q.waitingOn);
    const pages = await this.ask(who, waitingOn, 1);
    return { waitingOn, count: pages.reduce((n, p) => n + p.total, 0) };
  }

  private async ask(who: Actor, waitingOn: WaitingOn, limit: number): Promise<InboxPage[]> {
    if (who.role === 'system' || (who.role === 'vendor_contact' && !who.vendorId)) return [];
    const role = who.role;
    const m = this.dataSource.manager;
    const applicable = [...this.sources.values()].filter((s) => s.sides.includes(waitingOn) && can(role, s.permission));
    return Promise.all(
      applicable.map(async (s) => {
        const page = await s.items(m, who, { waitingOn, limit });
        // The tenancy boundary once more: a source that forgot `scoped()` still shows nothing of another vendor.
        const foreign = page.items.filter((i) => i.waitingOn !== waitingOn || (role === 'vendor_contact' && i.vendorId !== who.vendorId));
        if (!foreign.length) return { items: page.items.map((i) => ({ ...i, kind: s.kind })), total: page.total };
        this.logger.error(`inbox source ${s.kind} answered ${foreign.length} item(s) outside the caller's scope; dropped`);
        return {
          items: page.items.filter((i) => !foreign.includes(i)).map((i) => ({ ...i, kind: s.kind })),
          total: page.total - foreign.length,
        };
      }),
    );
  }
}

@ApiTags('inbox')
@Controller('inbox')
export class InboxController {
  constructor(private readonly inbox: Inbox) {}

  /** What waits on the signed-in user's side, across kinds, newest first (at most `limit`; `total` counts all). */
  @Get()
  @Allow('inbox.read')
  @Returns(inboxListSchema)
  list(@ZodQuery(inboxQuery) q: Input<typeof inboxQuery>) {
    return this.inbox.list(q);
  }

  /** How many items wait on the signed-in user's side (the navigation badge). */
  @Get('count')
  @Allow('inbox.read')
  @Returns(inboxCountSchema)
  count(@ZodQuery(inboxCountQuery) q: Input<typeof inboxCountQuery>) {
    return this.inbox.count(q);
  }
}
