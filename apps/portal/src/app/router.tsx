import { createBrowserRouter, Navigate } from 'react-router';

import { ContractDetailPage } from '../features/agreements/pages/ContractDetailPage';
import { ContractsPage } from '../features/agreements/pages/ContractsPage';
import { AuditLogPage } from '../features/audit/pages/AuditLogPage';
import { AuditPage, AuditsPage, NewAuditPage, VendorAuditPage, VendorAuditsPage } from '../features/audits/pages/AuditsPage';
import { ExpiringEvidencePage } from '../features/evidence/pages/ExpiringEvidencePage';
import { VendorEvidencePage } from '../features/evidence/pages/VendorEvidencePage';
import { FindingPage, FindingsPage, VendorFindingPage, VendorFindingsPage } from '../features/findings/pages/FindingsPage';
import { AccountPage } from '../features/identity/pages/AccountPage';
import { InvitePage } from '../features/identity/pages/InvitePage';
import { LoginPage } from '../features/identity/pages/LoginPage';
import { OrganizationPage } from '../features/identity/pages/OrganizationPage';
import { UsersPage } from '../features/identity/pages/UsersPage';
import { InboxPage } from '../features/inbox/pages/InboxPage';
import { ConcentrationPage } from '../features/inventory/pages/ConcentrationPage';
import { ImportPage } from '../features/inventory/pages/ImportPage';
import { NewVendorPage } from '../features/inventory/pages/NewVendorPage';
import { SystemDetailPage } from '../features/inventory/pages/SystemDetailPage';
import { SystemsPage } from '../features/inventory/pages/SystemsPage';
import { VendorDetailPage } from '../features/inventory/pages/VendorDetailPage';
import { VendorHomePage } from '../features/inventory/pages/VendorHomePage';
import { VendorsPage } from '../features/inventory/pages/VendorsPage';
import { CampaignPage } from '../features/questionnaires/pages/CampaignPage';
import { CampaignsPage } from '../features/questionnaires/pages/CampaignsPage';
import { NewCampaignPage } from '../features/questionnaires/pages/NewCampaignPage';
import { RequestReviewPage } from '../features/questionnaires/pages/RequestReviewPage';
import { RequestsPage } from '../features/questionnaires/pages/RequestsPage';
import { TemplateBuilderPage } from '../features/questionnaires/pages/TemplateBuilderPage';
import { TemplatePage } from '../features/questionnaires/pages/TemplatePage';
import { TemplatesPage } from '../features/questionnaires/pages/TemplatesPage';
import { VendorRequestPage } from '../features/questionnaires/pages/VendorRequestPage';
import { CommitmentChainPage } from '../features/resilience/pages/CommitmentChainPage';
import { LiveStatusPage } from '../features/signals/pages/LiveStatusPage';
import { BreachesPage, BreachPage, VendorBreachPage } from '../features/slas/pages/BreachesPage';
import { NegotiationPage, NegotiationsPage, VendorNegotiationPage } from '../features/slas/pages/NegotiationsPage';
import { SlaPage, VendorSlaPage } from '../features/slas/pages/SlaPage';
import { SlaPortfolioPage } from '../features/slas/pages/SlaPortfolioPage';
import { CatchAll, InternalRoot, RequirePermission, VendorRoot } from './guards';
import { RouteError } from './RouteError';

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
      { path: 'findings', element: <VendorFindingsPage /> },
      { path: 'findings/:id', element: <VendorFindingPage /> },
      { path: 'evidence', element: <VendorEvidencePage /> },
      { path: 'questionnaire-requests/:id', element: <VendorRequestPage /> },
      { path: 'audits', element: <VendorAuditsPage /> },
      { path: 'audits/:id', element: <VendorAuditPage /> },
    ],
  },
  {
    path: '/',
    element: <InternalRoot />,
    errorElement: <RouteError />,
    children: [
      { index: true, element: <Navigate to="/vendors" replace /> },
      { path: 'inbox', element: <InboxPage /> },
      { path: 'vendors', element: <VendorsPage /> },
      {
        path: 'vendors/new',
        element: (
          <RequirePermission permission="inventory.write">
            <NewVendorPage />
          </RequirePermission>
        ),
      },
      { path: 'vendors/:id', element: <VendorDetailPage /> },
      { path: 'vendors/:id/:tab', element: <VendorDetailPage /> },
      { path: 'systems', element: <SystemsPage /> },
      { path: 'systems/:id', element: <SystemDetailPage /> },
      // The map pulls in React Flow: load it only when visited.
      { path: 'map', lazy: () => import('../features/inventory/pages/MapPage').then((m) => ({ Component: m.MapPage })) },
      { path: 'concentration', element: <ConcentrationPage /> },
      { path: 'signals', element: <LiveStatusPage /> },
      { path: 'contracts', element: <ContractsPage /> },
      { path: 'contracts/:id', element: <ContractDetailPage /> },
      { path: 'evidence', element: <ExpiringEvidencePage /> },
      { path: 'slas/:id', element: <SlaPage /> },
      { path: 'negotiations', element: <NegotiationsPage /> },
      { path: 'negotiations/:id', element: <NegotiationPage /> },
      { path: 'breaches', element: <BreachesPage /> },
      { path: 'breaches/:id', element: <BreachPage /> },
      { path: 'findings', element: <FindingsPage /> },
      { path: 'findings/:id', element: <FindingPage /> },
      { path: 'questionnaires', element: <TemplatesPage /> },
      { path: 'questionnaires/:id', element: <TemplatePage /> },
      { path: 'questionnaires/:id/edit', element: <TemplateBuilderPage /> },
      { path: 'questionnaire-requests', element: <RequestsPage /> },
      { path: 'questionnaire-requests/:id', element: <RequestReviewPage /> },
      { path: 'questionnaire-campaigns', element: <CampaignsPage /> },
      {
        path: 'questionnaire-campaigns/new',
        element: (
          <RequirePermission permission="questionnaire_campaign.write">
            <NewCampaignPage />
          </RequirePermission>
        ),
      },
      { path: 'questionnaire-campaigns/:id', element: <CampaignPage /> },
      { path: 'audits', element: <AuditsPage /> },
      {
        path: 'audits/new',
        element: (
          <RequirePermission permission="audit_request.write">
            <NewAuditPage />
          </RequirePermission>
        ),
      },
      { path: 'audits/:id', element: <AuditPage /> },
      { path: 'sla-portfolio', element: <SlaPortfolioPage /> },
      { path: 'commitment-chain', element: <CommitmentChainPage /> },
      {
        path: 'import',
        element: (
          <RequirePermission permission="inventory.write">
            <ImportPage />
          </RequirePermission>
        ),
      },
      {
        path: 'audit-log',
        element: (
          <RequirePermission permission="audit.read">
            <AuditLogPage />
          </RequirePermission>
        ),
      },
      {
        path: 'admin/organization',
        element: (
          <RequirePermission permission="organization.write">
            <OrganizationPage />
          </RequirePermission>
        ),
      },
      {
        path: 'admin/users',
        element: (
          <RequirePermission permission="user.write">
            <UsersPage />
          </RequirePermission>
        ),
      },
      { path: 'account', element: <AccountPage /> },
    ],
  },
  { path: '*', element: <CatchAll /> },
]);
