import type { QueryClient } from '@tanstack/react-query';

export const keys = {
  session: ['session'] as const,
  users: ['users'] as const,
  userList: (params: object) => ['users', 'list', params] as const,
  user: (id: string) => ['users', 'detail', id] as const,
  vendors: ['vendors'] as const,
  vendorList: (params: object) => ['vendors', 'list', params] as const,
  vendor: (id: string) => ['vendors', 'detail', id] as const,
  services: ['services'] as const,
  serviceList: (params: object) => ['services', 'list', params] as const,
  allServices: ['services', 'all'] as const,
  systems: ['systems'] as const,
  systemList: (params: object) => ['systems', 'list', params] as const,
  system: (id: string) => ['systems', 'detail', id] as const,
  dependencies: ['dependencies'] as const,
  invitations: (vendorId: string) => ['invitations', vendorId] as const,
  /** Invitations of staff (no vendor): GET /api/invitations?kind=internal. */
  staffInvitations: ['invitations', 'internal'] as const,
  invitationByToken: (token: string) => ['invitation-token', token] as const,
  analysis: ['analysis'] as const,
  dependencyMap: ['analysis', 'dependency-map'] as const,
  spofs: ['analysis', 'spofs'] as const,
  concentration: ['analysis', 'concentration'] as const,
  audit: ['audit-log'] as const,
  auditList: (params: object) => ['audit-log', 'list', params] as const,
  plugins: ['plugins'] as const,
  signals: ['signals'] as const,
  signalSources: (vendorId: string) => ['signals', 'sources', vendorId] as const,
  vendorSignals: (vendorId: string) => ['signals', 'vendor', vendorId] as const,
  signalList: (params: object) => ['signals', 'list', params] as const,
  signal: (id: string) => ['signals', 'detail', id] as const,
  signalHistory: (id: string) => ['signals', 'history', id] as const,
  degraded: ['signals', 'degraded'] as const,
  vendorStatuses: ['signals', 'status'] as const,
  allVendors: ['vendors', 'all'] as const,
  contracts: ['contracts'] as const,
  contractList: (params: object) => ['contracts', 'list', params] as const,
  contract: (id: string) => ['contracts', 'detail', id] as const,
  contractDocuments: (id: string) => ['contracts', 'documents', id] as const,
  /** Every contract's documents: evidence of kind `contract`, so a change in the vault may change them. */
  allContractDocuments: ['contracts', 'documents'] as const,
  slas: ['slas'] as const,
  slaList: (params: object) => ['slas', 'list', params] as const,
  sla: (id: string) => ['slas', 'detail', id] as const,
  attainment: (id: string, from: string, to: string) => ['slas', 'attainment', id, from, to] as const,
  negotiations: ['negotiations'] as const,
  negotiationList: (params: object) => ['negotiations', 'list', params] as const,
  negotiation: (id: string) => ['negotiations', 'detail', id] as const,
  breaches: ['breaches'] as const,
  breachList: (params: object) => ['breaches', 'list', params] as const,
  breach: (id: string) => ['breaches', 'detail', id] as const,
  portfolio: ['breaches', 'portfolio'] as const,
  commitmentChain: ['breaches', 'commitment-chain'] as const,
  notifications: ['notifications'] as const,
  inbox: ['inbox'] as const,
  inboxList: (waitingOn: string) => ['inbox', 'list', waitingOn] as const,
  inboxCount: (waitingOn: string) => ['inbox', 'count', waitingOn] as const,
};

/** Inventory data is cross-linked (tiers, counts, SPOFs, map, signal rollups): refresh all of it after any write. */
export function invalidateInventory(qc: QueryClient): Promise<void> {
  return Promise.all(
    [keys.vendors, keys.services, keys.systems, keys.dependencies, keys.analysis, keys.audit, keys.signals].map((queryKey) =>
      qc.invalidateQueries({ queryKey }),
    ),
  ).then(() => undefined);
}
