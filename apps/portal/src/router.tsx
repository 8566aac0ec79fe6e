import { createBrowserRouter, Navigate } from 'react-router';
import { CatchAll, InternalRoot, RequireRole, VendorRoot } from './auth/guards';
import { AUDIT_READERS, INVENTORY_WRITERS, USER_MANAGERS } from './auth/permissions';
import { RouteError } from './components/RouteError';
import { AccountPage } from './pages/AccountPage';
import { AuditLogPage } from './pages/AuditLogPage';
import { BreachesPage, BreachPage, VendorBreachPage } from './pages/BreachesPage';
import { CommitmentChainPage } from './pages/CommitmentChainPage';
import { ContractDetailPage } from './pages/ContractDetailPage';
import { ContractsPage } from './pages/ContractsPage';
import { ConcentrationPage } from './pages/ConcentrationPage';
import { ImportPage } from './pages/ImportPage';
import { InvitePage } from './pages/InvitePage';
import { LiveStatusPage } from './pages/LiveStatusPage';
import { LoginPage } from './pages/LoginPage';
import { NegotiationPage, NegotiationsPage, VendorNegotiationPage } from './pages/NegotiationsPage';
import { NewVendorPage } from './pages/NewVendorPage';
import { SlaPage, VendorSlaPage } from './pages/SlaPage';
import { SlaPortfolioPage } from './pages/SlaPortfolioPage';
import { SystemDetailPage } from './pages/SystemDetailPage';
import { SystemsPage } from './pages/SystemsPage';
import { UsersPage } from './pages/UsersPage';
import { VendorDetailPage } from './pages/VendorDetailPage';
import { VendorHomePage } from './pages/VendorHomePage';
import { VendorsPage } from './pages/VendorsPage';

export const router = createBrowserRouter([
  { path: '/login', element: <LoginPage />, errorElement: <RouteError /> },
  { path: '/invite/:token', element: <InvitePage />, errorElement: <RouteError /> },
  {
    path: '/vendor-home',
    element: <VendorRoot />,
    errorElement: <RouteError />,
    children: [
      { index: true, element: <VendorHomePage /> },
      { path: 'slas/:id', element: <VendorSlaPage /> },
      { path: 'negotiations/:id', element: <VendorNegotiationPage /> },
      { path: 'breaches/:id', element: <VendorBreachPage /> },
    ],
  },
  {
    path: '/',
    element: <InternalRoot />,
    errorElement: <RouteError />,
    children: [
      { index: true, element: <Navigate to="/vendors" replace /> },
      { path: 'vendors', element: <VendorsPage /> },
      {
        path: 'vendors/new',
        element: (
          <RequireRole roles={INVENTORY_WRITERS}>
            <NewVendorPage />
          </RequireRole>
        ),
      },
      { path: 'vendors/:id', element: <VendorDetailPage /> },
      { path: 'vendors/:id/:tab', element: <VendorDetailPage /> },
      { path: 'systems', element: <SystemsPage /> },
      { path: 'systems/:id', element: <SystemDetailPage /> },
      // The map pulls in React Flow: load it only when visited.
      { path: 'map', lazy: () => import('./pages/MapPage').then((m) => ({ Component: m.MapPage })) },
      { path: 'concentration', element: <ConcentrationPage /> },
      { path: 'signals', element: <LiveStatusPage /> },
      { path: 'contracts', element: <ContractsPage /> },
      { path: 'contracts/:id', element: <ContractDetailPage /> },
      { path: 'slas/:id', element: <SlaPage /> },
      { path: 'negotiations', element: <NegotiationsPage /> },
      { path: 'negotiations/:id', element: <NegotiationPage /> },
      { path: 'breaches', element: <BreachesPage /> },
      { path: 'breaches/:id', element: <BreachPage /> },
      { path: 'sla-portfolio', element: <SlaPortfolioPage /> },
      { path: 'commitment-chain', element: <CommitmentChainPage /> },
      {
        path: 'import',
        element: (
          <RequireRole roles={INVENTORY_WRITERS}>
            <ImportPage />
          </RequireRole>
        ),
      },
      {
        path: 'audit-log',
        element: (
          <RequireRole roles={AUDIT_READERS}>
            <AuditLogPage />
          </RequireRole>
        ),
      },
      {
        path: 'admin/users',
        element: (
          <RequireRole roles={USER_MANAGERS}>
            <UsersPage />
          </RequireRole>
        ),
      },
      { path: 'account', element: <AccountPage /> },
    ],
  },
  { path: '*', element: <CatchAll /> },
]);
