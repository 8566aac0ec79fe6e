import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

/** How an area names its records in the audit log: its table, and an SQL expression over the alias `t`. */
export interface AuditEntityLabel {
  table: string;
  /** E.g. `t.name`, or `t.title`; may use subqueries on other tables (`(SELECT …) || ' → ' || …`). */
  label: string;
}

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

/**
 * Names for the records audit entries point at, so the log reads "Vendor OpenAI" instead of an id. The
 * audit log lives in the platform and knows no domain table: each area registers, at start-up, how its
 * entity types are named. Names are read when the log is shown (a renamed record shows its current name;
 * a deleted one has none and shows its id).
 */
@Injectable()
export class AuditEntityNames {
  private readonly labels = new Map<string, AuditEntityLabel>();

  register(entityType: string, label: AuditEntityLabel): void {
    if (!IDENTIFIER.test(label.table)) throw new Error(`Not a table name: ${label.table}`);
    this.labels.set(entityType, label);
  }

  /** `entityType:entityId` → name, for the entries' records that still exist in the organization. */
  async names(
    m: EntityManager,
    organizationId: string,
    refs: { entityType: string; entityId: string | null }[],
  ): Promise<Map<string, string>> {
    const byType = new Map<string, Set<string>>();
    for (const r of refs) {
      if (!r.entityId || !this.labels.has(r.entityType)) continue;
      byType.set(r.entityType, (byType.get(r.entityType) ?? new Set()).add(r.entityId));
    }
    const out = new Map<string, string>();
    await Promise.all(
      [...byType].map(async ([type, ids]) => {
        const { table, label } = this.labels.get(type)!;
        const rows: { id: string; name: string | null }[] = await m.query(
          `SELECT t.id, ${label} AS name FROM ${table} t WHERE t.organization_id = $1 AND t.id = ANY($2::uuid[])`,
          [organizationId, [...ids]],
        );
        for (const row of rows) if (row.name) out.set(`${type}:${row.id}`, row.name);
      }),
    );
    return out;
  }
}
