import { Init1763840000000 } from './1763840000000-Init.js';
import { Signals1763850000000 } from './1763850000000-Signals.js';
import { Contracts1763860000000 } from './1763860000000-Contracts.js';
import { Negotiations1763870000000 } from './1763870000000-Negotiations.js';
import { Breaches1763880000000 } from './1763880000000-Breaches.js';
import { NotificationsDocuments1763890000000 } from './1763890000000-NotificationsDocuments.js';
import { UserAdministration1763900000000 } from './1763900000000-UserAdministration.js';
import { SignalLifecycle1763910000000 } from './1763910000000-SignalLifecycle.js';
import { BreachNotices1763920000010 } from './1763920000010-BreachNotices.js';
import { SignalRawRef1763940000010 } from './1763940000010-SignalRawRef.js';
import { MailDeliveries1763960000010 } from './1763960000010-MailDeliveries.js';
import { JobOutbox1764150000000 } from './1764150000000-JobOutbox.js';
import { AuditLogAppendOnly1764200000000 } from './1764200000000-AuditLogAppendOnly.js';
import { OneOpenInvitation1764300000000 } from './1764300000000-OneOpenInvitation.js';
import { ServiceFees1764400000000 } from './1764400000000-ServiceFees.js';
import { VendorSharedSummary1764430000000 } from './1764430000000-VendorSharedSummary.js';
import { ReminderLedger1764440000000 } from './1764440000000-ReminderLedger.js';
import { EvidenceVault1764500000000 } from './1764500000000-EvidenceVault.js';
import { Findings1764510000000 } from './1764510000000-Findings.js';
import { Threads1764520000000 } from './1764520000000-Threads.js';
import { ContractDocumentsAsEvidence1764600000000 } from './1764600000000-ContractDocumentsAsEvidence.js';
import { QuestionnaireTemplates1764610000000 } from './1764610000000-QuestionnaireTemplates.js';
import { AuditRequests1764630000000 } from './1764630000000-AuditRequests.js';
import { QuestionnaireRequests1764640000000 } from './1764640000000-QuestionnaireRequests.js';
import { QuestionnaireCampaigns1764700000000 } from './1764700000000-QuestionnaireCampaigns.js';
import { OrganizationHolidays1764720000000 } from './1764720000000-OrganizationHolidays.js';

/** Every migration, in order. Listed as classes (not globs) so they load the same under tsc and vitest. */
export const MIGRATIONS = [
  Init1763840000000,
  Signals1763850000000,
  Contracts1763860000000,
  Negotiations1763870000000,
  Breaches1763880000000,
  NotificationsDocuments1763890000000,
  UserAdministration1763900000000,
  SignalLifecycle1763910000000,
  BreachNotices1763920000010,
  SignalRawRef1763940000010,
  MailDeliveries1763960000010,
  JobOutbox1764150000000,
  AuditLogAppendOnly1764200000000,
  OneOpenInvitation1764300000000,
  ServiceFees1764400000000,
  VendorSharedSummary1764430000000,
  ReminderLedger1764440000000,
  EvidenceVault1764500000000,
  Findings1764510000000,
  Threads1764520000000,
  ContractDocumentsAsEvidence1764600000000,
  QuestionnaireTemplates1764610000000,
  AuditRequests1764630000000,
  QuestionnaireRequests1764640000000,
  QuestionnaireCampaigns1764700000000,
  OrganizationHolidays1764720000000,
];
