import type { SessionUser } from '@bulwark/api-schema';
import { createContext, use, type ReactNode } from 'react';
import { canCommentOnBreaches, canManageSources, canReadAudit, canResolveBreaches, canStartNegotiations, canWriteContracts, canWriteInventory } from '../features/identity/lib/permissions';

const SessionContext = createContext<SessionUser | null>(null);

export function SessionProvider({ user, children }: { user: SessionUser; children: ReactNode }) {
  return <SessionContext value={user}>{children}</SessionContext>;
}

/** The signed-in user; only valid below a route guard that established the session. */
export function useCurrentUser(): SessionUser {
  const user = use(SessionContext);
  if (!user) throw new Error('useCurrentUser must be used inside a signed-in area');
  return user;
}

export function usePermissions() {
  const user = useCurrentUser();
  return {
    canWrite: canWriteInventory(user.role),
    canAudit: canReadAudit(user.role),
    canManageSources: canManageSources(user.role),
    canWriteContracts: canWriteContracts(user.role),
    canStartNegotiations: canStartNegotiations(user.role),
    canResolveBreaches: canResolveBreaches(user.role),
    canCommentOnBreaches: canCommentOnBreaches(user.role),
  };
}
