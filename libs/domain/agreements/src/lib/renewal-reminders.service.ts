import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { Notifier } from '@bulwark/platform';

/** Renewal-notice reminders: contracts whose notice date is near, told to procurement and the vendor's owner. */
@Injectable()
export class RenewalReminders {
  constructor(
    private readonly dataSource: DataSource,
    private readonly notifier: Notifier,
  ) {}

  /** Contracts whose renewal-notice date falls within 30 days: procurement and the vendor owner are told once per expiry date. */
  async remindRenewals(today = new Date()): Promise<number> {
    const due: { id: string; organization_id: string; vendor_id: string; title: string; expiry_date: string; notice_date: string }[] =
      await this.dataSource.query(
        `SELECT c.id, c.organization_id, c.vendor_id, c.title, to_char(c.expiry_date, 'YYYY-MM-DD') AS expiry_date, to_char(c.expiry_date - c.renewal_notice_days, 'YYYY-MM-DD') AS notice_date
         FROM contracts c
        WHERE c.status = 'active' AND c.expiry_date IS NOT NULL
          AND c.expiry_date - c.renewal_notice_days <= ($1::date + 30)
          AND c.expiry_date >= $1::date
          AND c.renewal_reminded_for IS DISTINCT FROM c.expiry_date`,
        [today.toISOString().slice(0, 10)],
      );
    for (const c of due) {
      await this.notifier.notify(
        c.organization_id,
        { roles: ['procurement'], vendorOwnerOf: c.vendor_id },
        {
          title: `Renewal notice due ${c.notice_date}: ${c.title}`,
          body: `"${c.title}" expires on ${c.expiry_date}. Notice of non-renewal must be given by ${c.notice_date}.`,
          link: `/contracts/${c.id}`,
          key: `renewal-${c.id}-${c.expiry_date}`,
        },
      );
      await this.dataSource.query(`UPDATE contracts SET renewal_reminded_for = expiry_date WHERE id = $1`, [c.id]);
    }
    return due.length;
  }
}
