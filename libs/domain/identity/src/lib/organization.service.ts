import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

import type { AddHolidaysInput, HolidayView, OrganizationView, UpdateOrganizationInput } from '@bulwark/api-schema';
import { AuditLogService, Invalid, NotFound, RequestContext } from '@bulwark/platform';

/**
 * The organization's settings (issue 12): its time zone, in which notice periods are counted (right-to-audit
 * requests), and its public holiday calendar, which business-day notices skip. Admins change them, each change in
 * one transaction with its audit entry; every member of staff reads them. The name is read-only.
 */
@Injectable()
export class OrganizationService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditLogService,
  ) {}

  async get(m: EntityManager = this.dataSource.manager): Promise<OrganizationView> {
    const org = RequestContext.actor().organizationId;
    const [row]: { id: string; name: string; slug: string; time_zone: string; holidays: number }[] = await m.query(
      `SELECT o.id, o.name, o.slug, o.time_zone,
              (SELECT count(*)::int FROM organization_holidays h WHERE h.organization_id = o.id) AS holidays
         FROM organizations o WHERE o.id = $1`,
      [org],
    );
    if (!row) throw new NotFound('organization', org);
    return { id: row.id, name: row.name, slug: row.slug, timeZone: row.time_zone, holidayCount: row.holidays };
  }

  async update(input: UpdateOrganizationInput): Promise<OrganizationView> {
    const org = RequestContext.actor().organizationId;
    return this.dataSource.transaction(async (m) => {
      const [before]: { time_zone: string }[] = await m.query(`SELECT time_zone FROM organizations WHERE id = $1 FOR UPDATE`, [org]);
      if (before && before.time_zone !== input.timeZone) {
        await m.query(`UPDATE organizations SET time_zone = $2 WHERE id = $1`, [org, input.timeZone]);
        await this.audit.append(m, {
          action: 'organization.updated',
          entityType: 'organization',
          entityId: org,
          diff: { timeZone: { from: before.time_zone, to: input.timeZone } },
        });
      }
      return this.get(m);
    });
  }

  async holidays(year?: number): Promise<{ items: HolidayView[] }> {
    const rows: HolidayView[] = await this.dataSource.query(
      `SELECT id, to_char(date, 'YYYY-MM-DD') AS date, name FROM organization_holidays
        WHERE organization_id = $1 AND ($2::int IS NULL OR extract(year FROM date) = $2::int) ORDER BY date`,
      [RequestContext.actor().organizationId, year ?? null],
    );
    return { items: rows };
  }

  /** Adds holidays, all or none: a date the calendar already holds is a 422 naming the row. */
  async addHolidays(input: AddHolidaysInput): Promise<{ items: HolidayView[] }> {
    const actor = RequestContext.actor();
    return this.dataSource.transaction(async (m) => {
      // One writer at a time per organization, so two pastes of the same day cannot both pass the check.
      await m.query(`SELECT id FROM organizations WHERE id = $1 FOR UPDATE`, [actor.organizationId]);
      const taken: { date: string; name: string }[] = await m.query(
        `SELECT to_char(date, 'YYYY-MM-DD') AS date, name FROM organization_holidays WHERE organization_id = $1 AND date = ANY($2::date[])`,
        [actor.organizationId, input.holidays.map((h) => h.date)],
      );
      const errors = input.holidays
        .map((h, i) => ({ h, i, t: taken.find((x) => x.date === h.date) }))
        .filter((x) => x.t)
        .map((x) => ({ path: `holidays.${x.i}.date`, message: `${x.h.date} is already a holiday (${x.t!.name})` }));
      if (errors.length) throw new Invalid('holiday.duplicate', 'Some dates are already holidays of the organization', errors);
      const added: HolidayView[] = [];
      for (const h of input.holidays) {
        const [row]: HolidayView[] = await m.query(
          `INSERT INTO organization_holidays (organization_id, date, name, created_by) VALUES ($1, $2, $3, $4)
           RETURNING id, to_char(date, 'YYYY-MM-DD') AS date, name`,
          [actor.organizationId, h.date, h.name, actor.userId],
        );
        added.push(row!);
      }
      added.sort((a, b) => (a.date < b.date ? -1 : 1));
      await this.audit.append(m, {
        action: 'organization.holidays_added',
        entityType: 'organization',
        entityId: actor.organizationId,
        diff: { holidays: added.map((h) => ({ date: h.date, name: h.name })) },
      });
      return { items: added };
    });
  }

  async removeHoliday(id: string): Promise<void> {
    const org = RequestContext.actor().organizationId;
    await this.dataSource.transaction(async (m) => {
      const [row]: { date: string; name: string }[] = await m.query(
        `SELECT to_char(date, 'YYYY-MM-DD') AS date, name FROM organization_holidays WHERE id = $1 AND organization_id = $2 FOR UPDATE`,
        [id, org],
      );
      if (!row) throw new NotFound('holiday', id);
      await m.query(`DELETE FROM organization_holidays WHERE id = $1 AND organization_id = $2`, [id, org]);
      await this.audit.append(m, {
        action: 'organization.holiday_removed',
        entityType: 'organization',
        entityId: org,
        diff: { holiday: { id, date: row.date, name: row.name } },
      });
    });
  }
}
