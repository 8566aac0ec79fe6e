import { Center, Container } from '@mantine/core';
import type { ReactNode } from 'react';
import { matchPath, Navigate, Outlet, useLocation } from 'react-router';

import { can, type Permission } from '@bulwark/api-schema';

import { useSessionQuery } from '../features/identity/api/auth';
import { ErrorAlert, PageLoader } from '../shared/components/feedback';
import { NotFoundPage } from '../shared/components/NotFoundPage';
import { InternalLayout } from './layouts/InternalLayout';
import { VendorLayout } from './layouts/VendorLayout';
import { SessionProvider, useCurrentUser } from './session';

/** Establishes the session; without one, sends the visitor to /login and remembers where they were going. */
function RequireSession({ children }: { children: ReactNode }) {
  const session = useSessionQuery();
  const location = useLocation();
  if (session.isPending) return <PageLoader fullScreen />;
  if (session.isError) {
    return (
      <Container size="sm" py="xl">
        <ErrorAlert error={session.error} onRetry={() => void session.refetch()} />
      </Container>
    );
  }
  if (!session.data) {
    const from = `${location.pathname}${location.search}`;
    return <Navigate to="/login" replace state={{ from }} />;
  }
  return <SessionProvider user={session.data}>{children}</SessionProvider>;
}

function InternalArea() {
  const user = useCurrentUser();
  const location = useLocation();
  if (user.role === 'vendor_contact') {
    // A vendor contact never sees internal pages. Their own vendor lives at /vendor-home;
    // anyone else's vendor page is "not found / not allowed".
    // SLAs of their own vendor are readable in the vendor layout.
    const sla = matchPath('/slas/:id', location.pathname);
    if (sla?.params.id) return <Navigate to={`/vendor-home/slas/${sla.params.id}${location.search}`} replace />;
    // Negotiations and breaches of their own vendor too.
    const shared =
      matchPath('/negotiations/:id', location.pathname) ??
      matchPath('/breaches/:id', location.pathname) ??
      // Findings too (reminders link to /findings/:id whoever receives them).
      matchPath('/findings/:id', location.pathname) ??
      // Questionnaire requests (their reminders link to the organization's path).
      matchPath('/questionnaire-requests/:id', location.pathname) ??
      // And audits (item reminders link to /audits/:id whoever receives them).
      matchPath('/audits/:id', location.pathname);
    if (shared?.params.id) return <Navigate to={`/vendor-home${shared.pathname}${location.search}`} replace />;
    const m = matchPath('/vendors/:id/*', location.pathname) ?? matchPath('/vendors/:id', location.pathname);
    const id = m?.params.id;
    if (id && id !== 'new' && id !== user.vendorId) {
      return (
        <VendorLayout>
          <NotFoundPage />
        </VendorLayout>
      );
    }
    // Their own vendor's evidence (expiry reminders link to /vendors/:id/evidence whoever receives them).
    if (id === user.vendorId && matchPath('/vendors/:id/evidence', location.pathname))
      return <Navigate to="/vendor-home/evidence" replace />;
    return <Navigate to="/vendor-home" replace />;
  }
  return (
    <InternalLayout>
      <Outlet />
    </InternalLayout>
  );
}

function VendorArea() {
  const user = useCurrentUser();
  if (user.role !== 'vendor_contact') return <Navigate to="/vendors" replace />;
  return (
    <VendorLayout>
      <Outlet />
    </VendorLayout>
  );
}

export function InternalRoot() {
  return (
    <RequireSession>
      <InternalArea />
    </RequireSession>
  );
}

export function VendorRoot() {
  return (
    <RequireSession>
      <VendorArea />
    </RequireSession>
  );
}

/** Renders the page only for the roles holding the permission; everyone else sees "not found / not allowed". */
export function RequirePermission({ permission, children }: { permission: Permission; children: ReactNode }) {
  const user = useCurrentUser();
  if (!can(user.role, permission)) return <NotFoundPage />;
  return <>{children}</>;
}

/** For the catch-all route: lays the not-found page out in the right shell when signed in. */
export function CatchAll() {
  const session = useSessionQuery();
  if (session.isPending) return <PageLoader fullScreen />;
  const user = session.data;
  if (!user) {
    return (
      <Center mih="100vh">
        <NotFoundPage />
      </Center>
    );
  }
  return (
    <SessionProvider user={user}>
      {user.role === 'vendor_contact' ? (
        <VendorLayout>
          <NotFoundPage />
        </VendorLayout>
      ) : (
        <InternalLayout>
          <NotFoundPage />
        </InternalLayout>
      )}
    </SessionProvider>
  );
}
