import '@bulwark/platform';

import type { FINANCIAL_HEALTH } from '@bulwark/api-schema';

export type FinancialHealthAnswer = (typeof FINANCIAL_HEALTH)[number];

/** What a vendor's health signals did: new, corrected or resolved states were stored (or a source's signals were closed). */
export interface VendorHealthChanged {
  organizationId: string;
  vendorId: string;
  /** How the change arrived. */
  cause: 'poll' | 'webhook' | 'upload' | 'source_deleted';
}

/** A vendor's financial health (its tier intake's answer) crossed a threshold because of its financial signals. */
export interface VendorFinancialHealthChanged {
  organizationId: string;
  vendorId: string;
  from: FinancialHealthAnswer;
  to: FinancialHealthAnswer;
  /** The financial source whose ingestion made the crossing. */
  sourceId: string;
  /** The worst current financial level that decided it. */
  worstLevel: string;
}

declare module '@bulwark/platform' {
  interface DomainEventMap {
    /** Emitted by signals after an ingestion changed or resolved any of the vendor's signals, once committed. */
    'signals.vendor-health-changed': VendorHealthChanged;
    /** Emitted by signals when a vendor's financial health (watch, distressed, healthy) changed, once committed. */
    'signals.financial-health-changed': VendorFinancialHealthChanged;
  }
}
