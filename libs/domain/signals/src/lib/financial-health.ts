import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { VendorService } from '@bulwark/inventory';
import { AuditLogService, DomainEvents, Notifier } from '@bulwark/platform';
import { FINANCIAL_SIGNAL_TYPES, SEVERITY, type SignalLevel } from '@bulwark/plugin-sdk';

import { CURRENT_FINANCIAL_KEY, CURRENT_FINANCIAL_ORDER } from './ingestion.js';
import type { SignalSource } from './signal-source.entity.js';

/** Financial level → the tier intake's financial-health answer. */
const FINANCIAL_HEALTH: Partial<Record<SignalLevel, 'distressed' | 'watch' | 'healthy'>> = {
  major_outage: 'distressed',
  partial_outage: 'distressed',
  degraded: 'watch',
  info: 'healthy',
  operational: 'healthy',
};

/** The financial health thresholds: what a vendor's financial signals make of its tier intake. */
@Injectable()
export class FinancialHealth {
  constructor(
    private readonly dataSource: DataSource,
    private readonly vendors: VendorService,
    private readonly audit: AuditLogService,
    private readonly notifier: Notifier,
    private readonly events: DomainEvents,
  ) {}

  /**
   * The vendor's current financial signals set the tier intake's financial health: crossing into
   * watch or distress re-evaluates the tier, is audited, and alerts the vendor's owner by e-mail.
   */
  async applyThreshold(source: SignalSource): Promise<void> {
    // Only the current signals count: per source, type and score model the newest open one (an older
    // period, an earlier pushed rating of the same model is history, even while it is still open).
    const rows: { level: SignalLevel }[] = await this.dataSource.query(
      `SELECT DISTINCT ON (${CURRENT_FINANCIAL_KEY}) s.level
         FROM signals s
        WHERE s.vendor_id = $1 AND s.source_id IS NOT NULL AND s.signal_type = ANY($2::text[])
          AND s.resolved_at IS NULL AND coalesce(s.lifecycle, '') NOT IN ('resolved', 'completed')
        ORDER BY ${CURRENT_FINANCIAL_KEY}, ${CURRENT_FINANCIAL_ORDER}`,
      [source.vendorId, FINANCIAL_SIGNAL_TYPES],
    );
    const known = rows.filter((r) => SEVERITY[r.level] !== null);
    if (!known.length) return;
    const worst = known.reduce((a, b) => ((SEVERITY[b.level] ?? 0) > (SEVERITY[a.level] ?? 0) ? b : a)).level;
    const health = FINANCIAL_HEALTH[worst];
    if (!health) return;
    const vendor = await this.vendors.get(source.vendorId);
    if (vendor.intake.financialHealth === health) return;
    const updated = await this.vendors.update(source.vendorId, { intake: { ...vendor.intake, financialHealth: health } });
    await this.dataSource.transaction(async (m) => {
      await this.audit.append(m, {
        action: 'vendor.financial_alert',
        entityType: 'vendor',
        entityId: source.vendorId,
        diff: {
          financialHealth: { from: vendor.intake.financialHealth, to: health },
          tier: { from: vendor.tier, to: updated.tier },
          sourceId: source.id,
          worstLevel: worst,
        },
      });
      // Other areas react (findings opens one on distress); delivered once this commits.
      await this.events.emit(
        'signals.financial-health-changed',
        {
          organizationId: source.organizationId,
          vendorId: source.vendorId,
          from: vendor.intake.financialHealth,
          to: health,
          sourceId: source.id,
          worstLevel: worst,
        },
        m,
      );
    });
    if (health !== 'healthy' && vendor.ownerId) {
      await this.notifier.notify(
        source.organizationId,
        { userIds: [vendor.ownerId] },
        {
          title: `Financial alert: ${vendor.name} is now "${health}"`,
          body: `A financial signal for ${vendor.name} crossed a threshold: financial health ${vendor.intake.financialHealth} → ${health}. Its tier is now ${updated.tier} (was ${vendor.tier}).`,
          link: `/vendors/${vendor.id}/signals`,
          key: `financial-${source.vendorId}-${health}-${new Date().toISOString().slice(0, 10)}`,
        },
      );
    }
  }
}
