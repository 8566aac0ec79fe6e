import '@bulwark/platform';

declare module '@bulwark/platform' {
  interface DomainEventMap {
    /** An SLA or a version of its terms was created (by the API or a signed-off negotiation), once committed. */
    'slas.terms-changed': { organizationId: string; vendorId: string; slaId: string };
  }
}
