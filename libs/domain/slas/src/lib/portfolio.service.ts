import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

import type { PortfolioEntry } from '@bulwark/api-schema';
import { scoped } from '@bulwark/platform';

import { Sla } from './sla.entities.js';

/** The SLA portfolio: every SLA's latest figures, breaches and credits, read from the per-window rollup, never recomputed from signals. */
@Injectable()
export class PortfolioService {
  constructor(private readonly dataSource: DataSource) {}

  async portfolio(): Promise<PortfolioEntry[]> {
    const m = this.dataSource.manager;
    const slas = await scoped(m, Sla, 's').select('s.id').getMany();
    if (!slas.length) return [];
    const rows: {
      sla_id: string;
      sla_name: string;
      vendor_id: string;
      vendor_name: string;
      target: string | null;
      last_window: string | null;
      last_availability: string | null;
      breaches: number;
      credits: string | null;
      open_availability: string | null;
    }[] = await m.query(
      `SELECT s.id AS sla_id, s.name AS sla_name, s.vendor_id, v.name AS vendor_name,
              (SELECT a.target FROM sla_attainment a WHERE a.sla_id = s.id ORDER BY a.window_start DESC LIMIT 1) AS target,
              (SELECT a.window_label FROM sla_attainment a WHERE a.sla_id = s.id AND NOT a.open ORDER BY a.window_start DESC LIMIT 1) AS last_window,
              (SELECT a.availability FROM sla_attainment a WHERE a.sla_id = s.id AND NOT a.open ORDER BY a.window_start DESC LIMIT 1) AS last_availability,
              (SELECT count(*)::int FROM sla_attainment a WHERE a.sla_id = s.id AND NOT a.open AND a.breached AND a.window_start > now() - interval '12 months') AS breaches,
              (SELECT sum(a.credit_amount) FROM sla_attainment a WHERE a.sla_id = s.id AND NOT a.open AND a.window_start > now() - interval '12 months') AS credits,
              (SELECT a.availability FROM sla_attainment a WHERE a.sla_id = s.id AND a.open LIMIT 1) AS open_availability
         FROM slas s JOIN vendors v ON v.id = s.vendor_id
        WHERE s.id = ANY($1::uuid[])
        ORDER BY v.name, s.name`,
      [slas.map((s) => s.id)],
    );
    const num = (v: string | null) => (v === null ? null : Number(v));
    return rows.map((r) => ({
      slaId: r.sla_id,
      slaName: r.sla_name,
      vendorId: r.vendor_id,
      vendorName: r.vendor_name,
      target: num(r.target) ?? 0,
      lastWindow: r.last_window,
      lastAvailability: num(r.last_availability),
      breaches12m: r.breaches,
      credits12m: num(r.credits) ?? 0,
      openWindowAvailability: num(r.open_availability),
    }));
  }
}
