import { createContext, use, type ReactNode } from 'react';

import type { SessionUser } from '@bulwark/api-schema';

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
