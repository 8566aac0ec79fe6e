import '@bulwark/platform';

/** What a vendor's health signals did: new, corrected or resolved states were stored (or a source's signals were closed). */
export interface VendorHealthChanged {
  organizationId: string;
  vendorId: string;
  /** How the change arrived. */
  cause: 'poll' | 'webhook' | 'upload' | 'source_deleted';
}

declare module '@bulwark/platform' {
  interface DomainEventMap {
    /** Emitted by signals after an ingestion changed or resolved any of the vendor's signals, once committed. */
    'signals.vendor-health-changed': VendorHealthChanged;
  }
}
