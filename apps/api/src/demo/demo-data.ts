import type { z } from 'zod';

import type {
  clausesSchema,
  CreateSystemInput,
  Criticality,
  EvidenceConfidentiality,
  EvidenceKind,
  FindingSeverity,
  FindingSource,
  Lifecycle,
  ServiceKind,
  slaTermsSchema,
  TierIntake,
} from '@bulwark/api-schema';

export interface DemoVendor {
  name: string;
  legalName: string;
  website: string;
  country: string;
  lifecycle: Lifecycle;
  /** LEIs and CIKs are the real ones; DUNS numbers are illustrative (9 digits, fictional). */
  identifiers?: { lei?: string; cik?: string; companyNumber?: string; duns?: string };
  intake: TierIntake;
  /** Internal notes: never shown to the vendor's contacts. */
  description: string;
  /** What the vendor's contacts see on their home page. */
  sharedSummary?: string;
  services: {
    name: string;
    kind: ServiceKind;
    regions: string[];
    description?: string;
    models?: { model: string; version: string; deprecationDate?: string }[];
  }[];
  contacts?: { name: string; email: string; title: string; isPrimary?: boolean }[];
  override?: { tier: 'critical' | 'high' | 'medium' | 'low'; reason: string };
}
export type DemoService = DemoVendor['services'][number];

const ai = (
  servedCriticality: Criticality,
  substitutability: TierIntake['substitutability'],
  dataSensitivity: TierIntake['dataSensitivity'] = 'confidential',
): TierIntake => ({
  servedCriticality,
  dataSensitivity,
  aiModelProvider: true,
  substitutability,
  financialHealth: 'unknown',
});
const plain = (
  servedCriticality: Criticality,
  substitutability: TierIntake['substitutability'],
  dataSensitivity: TierIntake['dataSensitivity'],
  financialHealth: TierIntake['financialHealth'] = 'healthy',
): TierIntake => ({
  servedCriticality,
  dataSensitivity,
  aiModelProvider: false,
  substitutability,
  financialHealth,
});

/** A realistic supplier portfolio of a mid-size financial services firm running several AI systems. */
export const DEMO_VENDORS: DemoVendor[] = [
  {
    name: 'Amazon Web Services',
    legalName: 'Amazon Web Services, Inc.',
    website: 'https://aws.amazon.com',
    country: 'US',
    lifecycle: 'active',
    identifiers: { cik: '1018724', duns: '128749231' },
    intake: plain('critical', 'difficult', 'restricted'),
    description: 'Primary cloud provider: storage, compute and managed foundation models.',
    sharedSummary: 'Cloud infrastructure agreement: storage, compute and managed foundation models.',
    services: [
      {
        name: 'Amazon S3',
        kind: 'cloud_infrastructure',
        regions: ['us-east-1', 'eu-west-1'],
        description: 'Object storage for feature stores and model artefacts.',
      },
      { name: 'Amazon EC2', kind: 'cloud_infrastructure', regions: ['us-east-1', 'eu-west-1'], description: 'Compute for batch scoring.' },
      {
        name: 'Amazon Bedrock',
        kind: 'ai_model_api',
        regions: ['us-east-1'],
        description: 'Managed foundation models.',
        models: [
          { model: 'anthropic.claude-3-5-sonnet', version: '20241022-v2:0', deprecationDate: '2026-03-01' },
          { model: 'amazon.titan-embed-text', version: 'v2:0' },
        ],
      },
    ],
    contacts: [{ name: 'Dana Whitfield', email: 'dana.whitfield@aws.example', title: 'Technical Account Manager', isPrimary: true }],
  },
  {
    name: 'Microsoft Azure',
    legalName: 'Microsoft Corporation',
    website: 'https://azure.microsoft.com',
    country: 'US',
    lifecycle: 'active',
    identifiers: { cik: '789019', duns: '081466849' },
    intake: ai('high', 'difficult', 'confidential'),
    description: 'Secondary cloud; hosts Azure OpenAI deployments.',
    services: [
      {
        name: 'Azure OpenAI Service',
        kind: 'ai_model_api',
        regions: ['eastus', 'westeurope'],
        models: [
          { model: 'gpt-4o', version: '2024-08-06' },
          { model: 'gpt-35-turbo', version: '0125', deprecationDate: '2025-11-14' },
        ],
      },
      { name: 'Azure Kubernetes Service', kind: 'cloud_infrastructure', regions: ['eastus', 'westus2'] },
    ],
  },
  {
    name: 'Google Cloud',
    legalName: 'Google LLC',
    website: 'https://cloud.google.com',
    country: 'US',
    lifecycle: 'active',
    identifiers: { cik: '1652044' },
    intake: ai('medium', 'moderate', 'confidential'),
    description: 'Used for the knowledge-search prototype and as a storage fallback.',
    services: [
      {
        name: 'Vertex AI',
        kind: 'ai_model_api',
        regions: ['us-central1'],
        models: [
          { model: 'gemini-1.5-pro', version: '002', deprecationDate: '2025-09-24' },
          { model: 'gemini-2.5-flash', version: '001' },
        ],
      },
      { name: 'Cloud Storage', kind: 'cloud_infrastructure', regions: ['us-central1', 'europe-west4'] },
      { name: 'Compute Engine', kind: 'cloud_infrastructure', regions: ['us-central1'] },
    ],
  },
  {
    name: 'OpenAI',
    legalName: 'OpenAI OpCo, LLC',
    website: 'https://openai.com',
    country: 'US',
    lifecycle: 'active',
    intake: ai('critical', 'difficult', 'restricted'),
    description: 'LLM provider behind the customer support assistant.',
    sharedSummary: 'API platform agreement for chat completions and embeddings.',
    services: [
      {
        name: 'OpenAI API',
        kind: 'ai_model_api',
        regions: [],
        description: 'Chat completions and embeddings.',
        models: [
          { model: 'gpt-4o', version: '2024-11-20' },
          { model: 'gpt-4o-mini', version: '2024-07-18' },
          { model: 'text-embedding-3-large', version: '1' },
        ],
      },
    ],
    contacts: [{ name: 'Priya Raman', email: 'priya.raman@openai.example', title: 'Enterprise Account Director', isPrimary: true }],
  },
  {
    name: 'Anthropic',
    legalName: 'Anthropic, PBC',
    website: 'https://www.anthropic.com',
    country: 'US',
    lifecycle: 'active',
    intake: ai('high', 'moderate', 'confidential'),
    description: 'Alternative LLM provider; primary for internal knowledge search.',
    services: [
      {
        name: 'Claude API',
        kind: 'ai_model_api',
        regions: ['us-east-1'],
        models: [
          { model: 'claude-sonnet-4', version: '20250514' },
          { model: 'claude-3-5-haiku', version: '20241022' },
        ],
      },
    ],
  },
  {
    name: 'Cohere',
    legalName: 'Cohere Inc.',
    website: 'https://cohere.com',
    country: 'CA',
    lifecycle: 'onboarding',
    intake: ai('medium', 'easy', 'internal'),
    description: 'Re-ranking model under evaluation for search.',
    services: [
      { name: 'Cohere Rerank API', kind: 'ai_model_api', regions: ['us-central1'], models: [{ model: 'rerank-v3.5', version: '3.5' }] },
    ],
  },
  {
    name: 'Snowflake',
    legalName: 'Snowflake Inc.',
    website: 'https://www.snowflake.com',
    country: 'US',
    lifecycle: 'active',
    identifiers: { cik: '1640147', duns: '079502146' },
    intake: plain('critical', 'none', 'restricted'),
    description: 'Data warehouse holding the credit model training data.',
    services: [{ name: 'Snowflake Data Cloud', kind: 'data_provider', regions: ['us-east-1'] }],
  },
  {
    name: 'Bloomberg',
    legalName: 'Bloomberg Finance L.P.',
    website: 'https://www.bloomberg.com/professional',
    country: 'US',
    lifecycle: 'active',
    identifiers: { lei: '5493001KJTIIGC8Y1R12', duns: '167380351' },
    intake: plain('critical', 'difficult', 'internal'),
    description: 'Market and reference data feeding the credit risk model.',
    sharedSummary: 'Market data licence: real-time and reference data.',
    services: [{ name: 'Bloomberg Data License', kind: 'data_provider', regions: ['us-east-1', 'eu-west-2'] }],
    contacts: [{ name: 'Marcus Lee', email: 'marcus.lee@bloomberg.example', title: 'Data License Specialist', isPrimary: true }],
  },
  {
    name: 'LSEG',
    legalName: 'London Stock Exchange Group plc',
    website: 'https://www.lseg.com',
    country: 'GB',
    lifecycle: 'active',
    identifiers: { companyNumber: '05369106', duns: '219740467' },
    intake: plain('critical', 'difficult', 'confidential'),
    description: 'Sanctions and PEP screening data (World-Check).',
    services: [{ name: 'World-Check One', kind: 'data_provider', regions: ['eu-west-2'] }],
  },
  {
    name: 'Salesforce',
    legalName: 'Salesforce, Inc.',
    website: 'https://www.salesforce.com',
    country: 'US',
    lifecycle: 'active',
    identifiers: { cik: '1108524' },
    intake: plain('high', 'difficult', 'confidential'),
    description: 'CRM and case management for customer support.',
    services: [{ name: 'Service Cloud', kind: 'saas', regions: ['us-east-1'] }],
  },
  {
    name: 'Datadog',
    legalName: 'Datadog, Inc.',
    website: 'https://www.datadoghq.com',
    country: 'US',
    lifecycle: 'active',
    identifiers: { cik: '1561550' },
    intake: plain('medium', 'moderate', 'internal'),
    description: 'Observability for the model serving stack.',
    services: [{ name: 'Datadog Observability', kind: 'saas', regions: ['us-east-1'] }],
  },
  {
    name: 'Twilio',
    legalName: 'Twilio Inc.',
    website: 'https://www.twilio.com',
    country: 'US',
    lifecycle: 'active',
    identifiers: { cik: '1447669' },
    intake: plain('medium', 'moderate', 'confidential'),
    description: 'SMS and voice notifications to customers.',
    services: [{ name: 'Twilio Messaging', kind: 'saas', regions: ['us-east-1'] }],
    override: { tier: 'high', reason: 'Regulatory customer notifications depend on it; treat as high until a second SMS route is live.' },
  },
  {
    name: 'Okta',
    legalName: 'Okta, Inc.',
    website: 'https://www.okta.com',
    country: 'US',
    lifecycle: 'active',
    identifiers: { cik: '1660134' },
    intake: plain('high', 'difficult', 'restricted'),
    description: 'Workforce identity for every internal system.',
    services: [{ name: 'Okta Workforce Identity', kind: 'saas', regions: ['us-east-1', 'us-west-2'] }],
  },
  {
    name: 'Pinecone',
    legalName: 'Pinecone Systems, Inc.',
    website: 'https://www.pinecone.io',
    country: 'US',
    lifecycle: 'active',
    intake: plain('critical', 'difficult', 'confidential', 'watch'),
    description: 'Vector database for retrieval-augmented generation.',
    services: [{ name: 'Pinecone Serverless', kind: 'data_provider', regions: ['us-east-1'] }],
  },
  {
    name: 'Equinix',
    legalName: 'Equinix, Inc.',
    website: 'https://www.equinix.com',
    country: 'US',
    lifecycle: 'active',
    identifiers: { cik: '1101239' },
    intake: plain('medium', 'difficult', 'internal'),
    description: 'Colocation data centres used by our market-data providers; no direct contract with us.',
    services: [
      { name: 'Equinix NY5 colocation', kind: 'cloud_infrastructure', regions: ['us-east'], description: 'Secaucus, NJ data centre.' },
    ],
  },
  {
    name: 'Northwind Labelling',
    legalName: 'Northwind Data Services Ltd',
    website: 'https://northwind-labelling.example',
    country: 'GB',
    lifecycle: 'prospect',
    intake: plain('low', 'easy', 'internal', 'unknown'),
    description: 'Prospective data-labelling partner for model evaluation sets.',
    services: [{ name: 'Evaluation set labelling', kind: 'professional_service', regions: [] }],
  },
];

/** service → the service it runs on (fourth party). */
export const DEMO_LINKS: [string, string, string][] = [
  ['OpenAI API', 'Azure Kubernetes Service', 'OpenAI models are served from Microsoft Azure.'],
  ['Claude API', 'Amazon EC2', 'Anthropic serves Claude from AWS.'],
  ['Cohere Rerank API', 'Compute Engine', 'Hosted on Google Cloud.'],
  ['Snowflake Data Cloud', 'Amazon S3', 'Our Snowflake account is deployed on AWS us-east-1.'],
  ['Service Cloud', 'Amazon EC2', 'Salesforce Hyperforce on AWS.'],
  ['Datadog Observability', 'Amazon EC2', 'US1 site on AWS.'],
  ['Okta Workforce Identity', 'Amazon EC2', 'Okta cells run on AWS.'],
  ['Pinecone Serverless', 'Amazon S3', 'Serverless indexes on AWS.'],
  ['Bloomberg Data License', 'Equinix NY5 colocation', 'Bloomberg distribution runs from Equinix NY5.'],
  ['World-Check One', 'Equinix NY5 colocation', 'LSEG data distribution point in NY5.'],
];

export const DEMO_SYSTEMS: CreateSystemInput[] = [
  {
    name: 'Customer Support Assistant',
    description: 'LLM assistant answering customer chats, grounded on the knowledge base.',
    ownerName: 'Head of Customer Operations',
    riskClass: 'high',
    isAiSystem: true,
    criticality: 'critical',
    requiredRtoMinutes: 60,
    requiredRpoMinutes: 15,
  },
  {
    name: 'Credit Risk Scoring',
    description: 'Gradient-boosted model scoring retail credit applications.',
    ownerName: 'Chief Risk Officer',
    riskClass: 'high',
    isAiSystem: true,
    criticality: 'critical',
    requiredRtoMinutes: 240,
    requiredRpoMinutes: 60,
  },
  {
    name: 'Fraud Detection Pipeline',
    description: 'Real-time transaction fraud scoring.',
    ownerName: 'Head of Fraud',
    riskClass: 'high',
    isAiSystem: true,
    criticality: 'critical',
    requiredRtoMinutes: 15,
    requiredRpoMinutes: 5,
  },
  {
    name: 'Document Intelligence',
    description: 'Extraction of data from loan documents.',
    ownerName: 'Head of Lending Operations',
    riskClass: 'limited',
    isAiSystem: true,
    criticality: 'high',
    requiredRtoMinutes: 480,
    requiredRpoMinutes: 240,
  },
  {
    name: 'Sanctions Screening',
    description: 'Screening of customers and payments against sanctions lists.',
    ownerName: 'MLRO',
    riskClass: 'high',
    isAiSystem: false,
    criticality: 'critical',
    requiredRtoMinutes: 120,
    requiredRpoMinutes: 60,
  },
  {
    name: 'Internal Knowledge Search',
    description: 'Semantic search over policies and procedures for staff.',
    ownerName: 'CIO',
    riskClass: 'minimal',
    isAiSystem: true,
    criticality: 'medium',
    requiredRtoMinutes: 1440,
    requiredRpoMinutes: 1440,
  },
  {
    name: 'Complaints Triage',
    description: 'LLM classification of customer complaints by regulatory category, with a drafted first response for the case handler.',
    ownerName: 'Head of Customer Operations',
    riskClass: 'limited',
    isAiSystem: true,
    criticality: 'high',
    requiredRtoMinutes: 480,
    requiredRpoMinutes: 60,
  },
  {
    name: 'Customer Notifications',
    description: 'Statutory and service notifications by SMS and e-mail.',
    ownerName: 'Head of Digital',
    riskClass: 'limited',
    isAiSystem: false,
    criticality: 'high',
    requiredRtoMinutes: 60,
    requiredRpoMinutes: 0,
  },
];

export interface DemoDependency {
  system: string;
  service: string;
  criticality: Criticality;
  alternative?: string;
  plan?: { steps: string[]; expectedSwitchMinutes?: number; dataPortability: 'full' | 'partial' | 'none' | 'unknown' };
  notes?: string;
}

export const DEMO_DEPENDENCIES: DemoDependency[] = [
  {
    system: 'Customer Support Assistant',
    service: 'OpenAI API',
    criticality: 'critical',
    alternative: 'Claude API',
    plan: {
      steps: ['Flip the LLM_PROVIDER flag to anthropic', 'Re-run the prompt regression suite', 'Notify support leads'],
      expectedSwitchMinutes: 30,
      dataPortability: 'full',
    },
  },
  {
    system: 'Customer Support Assistant',
    service: 'Pinecone Serverless',
    criticality: 'critical',
    notes: 'No second vector store yet; re-indexing takes about 6 hours.',
  },
  { system: 'Customer Support Assistant', service: 'Service Cloud', criticality: 'high' },
  {
    system: 'Credit Risk Scoring',
    service: 'Bloomberg Data License',
    criticality: 'critical',
    notes: 'Single licensed source of market data for the model.',
  },
  { system: 'Credit Risk Scoring', service: 'Snowflake Data Cloud', criticality: 'critical' },
  {
    system: 'Credit Risk Scoring',
    service: 'Amazon EC2',
    criticality: 'high',
    alternative: 'Compute Engine',
    plan: {
      steps: ['Start the standby scoring image on GCP', 'Repoint the scoring DNS record'],
      expectedSwitchMinutes: 120,
      dataPortability: 'partial',
    },
  },
  {
    system: 'Fraud Detection Pipeline',
    service: 'Amazon S3',
    criticality: 'critical',
    alternative: 'Cloud Storage',
    plan: {
      steps: ['Promote the replicated GCS bucket', 'Switch feature-store reads'],
      expectedSwitchMinutes: 45,
      dataPortability: 'full',
    },
  },
  {
    system: 'Fraud Detection Pipeline',
    service: 'Amazon Bedrock',
    criticality: 'critical',
    alternative: 'Azure OpenAI Service',
    plan: { steps: ['Enable the Azure OpenAI route in the gateway'], expectedSwitchMinutes: 20, dataPortability: 'full' },
  },
  { system: 'Fraud Detection Pipeline', service: 'Datadog Observability', criticality: 'medium' },
  { system: 'Document Intelligence', service: 'Azure OpenAI Service', criticality: 'high', alternative: 'OpenAI API' },
  { system: 'Sanctions Screening', service: 'World-Check One', criticality: 'critical' },
  { system: 'Sanctions Screening', service: 'Okta Workforce Identity', criticality: 'high' },
  { system: 'Internal Knowledge Search', service: 'Claude API', criticality: 'medium', alternative: 'Vertex AI' },
  { system: 'Internal Knowledge Search', service: 'Pinecone Serverless', criticality: 'medium' },
  {
    system: 'Complaints Triage',
    service: 'Claude API',
    criticality: 'high',
    alternative: 'Amazon Bedrock',
    plan: {
      steps: ['Route the triage prompts to Claude on Amazon Bedrock', 'Check the category mapping on the last day of complaints'],
      expectedSwitchMinutes: 60,
      dataPortability: 'full',
    },
  },
  {
    system: 'Complaints Triage',
    service: 'Service Cloud',
    criticality: 'high',
    notes: 'Complaints are read from and written back to Service Cloud cases.',
  },
  {
    system: 'Complaints Triage',
    service: 'Snowflake Data Cloud',
    criticality: 'low',
    notes: 'Monthly complaint statistics for the regulatory return.',
  },
  { system: 'Customer Notifications', service: 'Twilio Messaging', criticality: 'high' },
  { system: 'Customer Notifications', service: 'Service Cloud', criticality: 'medium' },
];

// ---- contracts, SLAs and signal history ----

export interface DemoContract {
  vendor: string;
  title: string;
  reference: string;
  /** Effective on the first of the month this many months ago; expires `termMonths` later (the day before). */
  effectiveMonthsAgo: number;
  termMonths: number;
  renewalNoticeDays: number;
  annualValue: number;
  currency: string;
  services: string[];
  /** The fee per year of each covered service (the credit base of the SLA covering it); they add up to `annualValue`. */
  fees: Record<string, number>;
  clauses: z.input<typeof clausesSchema>;
  sla: {
    name: string;
    /** The services whose signals count, and optionally the regions (signals of other regions do not count). */
    services: string[];
    regions?: string[];
    /** Versions in order; the first applies from `fromMonthsAgo` (the first of that month), later ones renegotiate the terms. */
    versions: { fromMonthsAgo: number; terms: z.input<typeof slaTermsSchema> }[];
  };
}

const audit = (scope: string, mode: 'remote' | 'on_site' | 'either' = 'either', noticeDays = 30) => ({
  scope,
  noticeDays,
  auditsPer12Months: 1,
  mode,
  costBearer: 'customer' as const,
  regulatorAccess: true,
});

export const DEMO_CONTRACTS: DemoContract[] = [
  {
    vendor: 'OpenAI',
    title: 'OpenAI Enterprise Services Agreement (API, Scale Tier)',
    reference: 'OAI-ESA-2025-031',
    effectiveMonthsAgo: 16,
    termMonths: 36,
    renewalNoticeDays: 90,
    annualValue: 360_000,
    currency: 'USD',
    services: ['OpenAI API'],
    fees: { 'OpenAI API': 360_000 },
    clauses: {
      rightToAudit: audit('Model serving, data handling and sub-processors of the API platform', 'remote'),
      breachNotificationHours: 72,
      dataIntegrity: 'Zero data retention for API inputs and outputs; customer data is not used for training.',
      encryption: 'AES-256 at rest, TLS 1.2+ in transit.',
      accessControl: 'SSO with SCIM provisioning; role-based project keys; admin actions in the audit log API.',
      exitAssistance: { months: 3, dataReturnFormat: 'JSONL export of fine-tuning files and batch outputs', included: true },
    },
    sla: {
      name: 'OpenAI API availability',
      services: ['OpenAI API'],
      versions: [
        {
          fromMonthsAgo: 4,
          terms: {
            availabilityTarget: 99.5,
            supportResponseMinutes: { sev1: 240, sev2: 480 },
            credits: [
              { belowPercent: 99.5, creditPercent: 10 },
              { belowPercent: 99, creditPercent: 25 },
            ],
            creditCapPercent: 25,
          },
        },
        // Renegotiated with the Scale Tier commitment: a higher target and a steeper credit schedule.
        {
          fromMonthsAgo: 1,
          terms: {
            availabilityTarget: 99.9,
            supportResponseMinutes: { sev1: 60, sev2: 240 },
            modelSlo: { maxErrorRatePercent: 1, p95LatencyMs: 8000 },
            credits: [
              { belowPercent: 99.9, creditPercent: 10 },
              { belowPercent: 99, creditPercent: 25 },
              { belowPercent: 95, creditPercent: 50 },
            ],
            creditCapPercent: 50,
          },
        },
      ],
    },
  },
  {
    vendor: 'Amazon Web Services',
    title: 'AWS Enterprise Agreement with Enterprise Support',
    reference: 'AWS-EA-2024-0117',
    effectiveMonthsAgo: 22,
    termMonths: 36,
    renewalNoticeDays: 120,
    annualValue: 1_850_000,
    currency: 'USD',
    services: ['Amazon S3', 'Amazon EC2', 'Amazon Bedrock'],
    // Bedrock is most of the growth of the EA; the S3/EC2 SLA credits only the S3 and EC2 fees.
    fees: { 'Amazon S3': 420_000, 'Amazon EC2': 900_000, 'Amazon Bedrock': 530_000 },
    clauses: {
      rightToAudit: audit(
        'AWS Artifact reports (SOC 1/2, ISO 27001) and regulator access under the financial services addendum',
        'remote',
        60,
      ),
      breachNotificationHours: 72,
      dataIntegrity: 'S3 designed for 99.999999999 % durability; versioning and Object Lock on model artefact buckets.',
      encryption: 'SSE-KMS with customer-managed keys; TLS 1.2+ in transit.',
      accessControl: 'IAM Identity Center with MFA; SCPs restrict regions to us-east-1 and eu-west-1.',
      exitAssistance: { months: 6, dataReturnFormat: 'Native S3 objects; EBS snapshots', included: true },
    },
    sla: {
      name: 'S3 and EC2 regional availability',
      services: ['Amazon S3', 'Amazon EC2'],
      regions: ['us-east-1', 'eu-west-1'],
      versions: [
        {
          fromMonthsAgo: 4,
          terms: {
            availabilityTarget: 99.95,
            maintenanceNoticeHours: 168,
            rtoMinutes: 60,
            rpoMinutes: 15,
            supportResponseMinutes: { sev1: 15, sev2: 60, sev3: 720, sev4: 1440 },
            credits: [
              { belowPercent: 99.95, creditPercent: 10 },
              { belowPercent: 99, creditPercent: 30 },
              { belowPercent: 95, creditPercent: 100 },
            ],
            creditCapPercent: 100,
          },
        },
      ],
    },
  },
  {
    vendor: 'Microsoft Azure',
    title: 'Microsoft Enterprise Agreement — Azure and Azure OpenAI',
    reference: 'MS-EA-88412076',
    effectiveMonthsAgo: 10,
    termMonths: 36,
    renewalNoticeDays: 90,
    annualValue: 640_000,
    currency: 'USD',
    services: ['Azure OpenAI Service', 'Azure Kubernetes Service'],
    fees: { 'Azure OpenAI Service': 400_000, 'Azure Kubernetes Service': 240_000 },
    clauses: {
      rightToAudit: audit('Financial Services Amendment: customer and regulator audit of the online services', 'either', 30),
      breachNotificationHours: 72,
      dataIntegrity: 'Prompts and completions are not used to train models; abuse monitoring opt-out approved.',
      encryption: 'Customer-managed keys in Key Vault; TLS 1.2+.',
      accessControl: 'Entra ID with conditional access; private endpoints only.',
      exitAssistance: { months: 3, dataReturnFormat: 'Export of fine-tuned model files and deployment configuration', included: true },
    },
    sla: {
      name: 'Azure OpenAI Service availability',
      services: ['Azure OpenAI Service'],
      regions: ['eastus', 'westeurope'],
      versions: [
        {
          fromMonthsAgo: 4,
          terms: {
            availabilityTarget: 99.9,
            rtoMinutes: 240,
            rpoMinutes: 60,
            credits: [
              { belowPercent: 99.9, creditPercent: 10 },
              { belowPercent: 99, creditPercent: 25 },
            ],
            creditCapPercent: 25,
          },
        },
      ],
    },
  },
  {
    vendor: 'Snowflake',
    title: 'Snowflake Master Subscription Agreement and Capacity Order Form',
    reference: 'SNOW-ORD-2025-4471',
    effectiveMonthsAgo: 8,
    termMonths: 36,
    renewalNoticeDays: 60,
    annualValue: 480_000,
    currency: 'USD',
    services: ['Snowflake Data Cloud'],
    fees: { 'Snowflake Data Cloud': 480_000 },
    clauses: {
      rightToAudit: audit(
        'Security programme, SOC 2 Type II and penetration test summaries; on-site audit at regulator request',
        'either',
        45,
      ),
      breachNotificationHours: 48,
      dataIntegrity: 'Time Travel of 30 days and Fail-safe of 7 days on the credit model databases; database replication to us-west-2.',
      encryption: 'Tri-Secret Secure with a customer-managed key; TLS 1.2+.',
      accessControl: 'SAML SSO, network policies to corporate egress IPs, role hierarchy reviewed quarterly.',
      exitAssistance: { months: 6, dataReturnFormat: 'Parquet unload to a customer S3 bucket', included: true },
    },
    sla: {
      name: 'Snowflake Data Cloud availability',
      services: ['Snowflake Data Cloud'],
      versions: [
        {
          fromMonthsAgo: 4,
          terms: {
            availabilityTarget: 99.9,
            maintenanceNoticeHours: 72,
            rtoMinutes: 240,
            rpoMinutes: 60,
            dataLossLimitMinutes: 60,
            credits: [
              { belowPercent: 99.9, creditPercent: 10 },
              { belowPercent: 99, creditPercent: 25 },
              { belowPercent: 95, creditPercent: 50 },
            ],
            creditCapPercent: 50,
          },
        },
      ],
    },
  },
  {
    vendor: 'Salesforce',
    title: 'Salesforce Master Subscription Agreement — Service Cloud Unlimited',
    reference: 'SFDC-MSA-00921',
    effectiveMonthsAgo: 28,
    termMonths: 36,
    renewalNoticeDays: 90,
    annualValue: 295_000,
    currency: 'USD',
    services: ['Service Cloud'],
    fees: { 'Service Cloud': 295_000 },
    clauses: {
      rightToAudit: audit('Trust and compliance documentation; audit rights under the financial services addendum', 'remote', 30),
      breachNotificationHours: 24,
      dataIntegrity: 'Backup and Restore add-on with daily backups retained 90 days.',
      encryption: 'Shield Platform Encryption for case data; TLS 1.2+.',
      accessControl: 'SSO via Okta; login IP ranges; permission sets reviewed quarterly.',
      exitAssistance: { months: 3, dataReturnFormat: 'Weekly data export (CSV) and metadata API retrieval', included: true },
    },
    sla: {
      name: 'Service Cloud availability',
      services: ['Service Cloud'],
      versions: [
        {
          fromMonthsAgo: 4,
          terms: {
            availabilityTarget: 99.5,
            rtoMinutes: 720,
            rpoMinutes: 240,
            supportResponseMinutes: { sev1: 60, sev2: 120 },
            credits: [
              { belowPercent: 99.5, creditPercent: 5 },
              { belowPercent: 99, creditPercent: 15 },
            ],
            creditCapPercent: 15,
          },
        },
      ],
    },
  },
];

/** A demo vendor's health source: the plugin that reads its real status feed, per covered service. */
export interface DemoHealthSource {
  plugin: 'statuspage' | 'aws-health' | 'azure-status' | 'gcp-status';
  /** The source's settings for one of the vendor's services (validated against the plugin's schema). */
  config: (service: DemoService) => Record<string, unknown>;
  /** The public page an incident of the recorded history links to. */
  incidentUrl: (id: string) => string;
}

/** AWS service codes as the Health Dashboard writes them (`ec2` in `ec2-us-east-1`). */
const AWS_SERVICE_CODES: Record<string, string> = { 'Amazon S3': 's3', 'Amazon EC2': 'ec2', 'Amazon Bedrock': 'bedrock' };
/** Google Cloud product titles as the Service Health dashboard lists them (products.json). */
const GCP_PRODUCTS: Record<string, string> = {
  'Vertex AI': 'Vertex AI Online Prediction',
  'Cloud Storage': 'Google Cloud Storage',
  'Compute Engine': 'Google Compute Engine',
};
/** Azure region display names (the status feed names regions, not codes). */
const AZURE_REGION_NAMES: Record<string, string> = { eastus: 'East US', westus2: 'West US 2', westeurope: 'West Europe' };

/**
 * Each demo vendor's health source, with the plugin that fits its real status feed. The demo sources
 * are created disabled: nothing polls the network until someone enables one. Salesforce has none:
 * its status site (Salesforce Trust, status.salesforce.com) is not a Statuspage and serves its own API
 * (api.status.salesforce.com/v1), which no plugin reads; its incident history is recorded without a
 * live source (see `seed.ts`).
 */
export const DEMO_HEALTH_SOURCES: Record<string, DemoHealthSource> = {
  // An incident.io page: it serves the Statuspage-compatible /api/v2.
  OpenAI: {
    plugin: 'statuspage',
    config: (s) => ({ baseUrl: 'https://status.openai.com', components: [s.name], includeMaintenance: true, recentIncidents: true }),
    incidentUrl: (id) => `https://status.openai.com/incidents/${id}`,
  },
  // An Atlassian Statuspage.
  Snowflake: {
    plugin: 'statuspage',
    config: (s) => ({ baseUrl: 'https://status.snowflake.com', components: [s.name], includeMaintenance: true, recentIncidents: true }),
    incidentUrl: (id) => `https://status.snowflake.com/incidents/${id}`,
  },
  'Amazon Web Services': {
    plugin: 'aws-health',
    config: (s) => ({
      baseUrl: 'https://health.aws.amazon.com',
      rssBaseUrl: 'https://status.aws.amazon.com',
      services: [AWS_SERVICE_CODES[s.name]!],
      regions: s.regions,
      useRssFallback: true,
    }),
    incidentUrl: () => 'https://health.aws.amazon.com/health/status',
  },
  'Microsoft Azure': {
    plugin: 'azure-status',
    config: (s) => ({
      baseUrl: 'https://rssfeed.azure.status.microsoft',
      services: [s.name],
      regions: s.regions.map((r) => AZURE_REGION_NAMES[r] ?? r),
    }),
    incidentUrl: () => 'https://azure.status.microsoft/en-us/status/history/',
  },
  'Google Cloud': {
    plugin: 'gcp-status',
    config: (s) => ({
      baseUrl: 'https://status.cloud.google.com',
      products: [GCP_PRODUCTS[s.name]!],
      locations: s.regions,
      lookbackDays: 30,
    }),
    incidentUrl: (id) => `https://status.cloud.google.com/incidents/${id}`,
  },
};

/** Salesforce Trust: its incidents' public page (no plugin reads its API; see DEMO_HEALTH_SOURCES). */
export const DEMO_UNWATCHED_STATUS_PAGES: Record<string, (id: string) => string> = {
  Salesforce: (id) => `https://status.salesforce.com/incidents/${id}`,
};

/**
 * A demo vendor's financial source and its recent history: for SEC filers, the Altman score of each
 * of the last fiscal years (fiscal year end as MM-DD; the scores oldest first, the last one current);
 * for an LEI, its GLEIF registration. Illustrative values in line with the vendor's tier intake.
 */
export type DemoFinancialSource =
  | { plugin: 'sec-edgar'; filer: string; fiscalYearEnd: string; model: 'altman-z' | 'altman-z-double-prime'; scores: number[] }
  | { plugin: 'sec-edgar'; filer: string; notApplicable: string }
  | { plugin: 'entity-status'; legalName: string; jurisdiction: string; initialRegistrationDate: string };

export const DEMO_FINANCIAL_SOURCES: Record<string, DemoFinancialSource> = {
  'Amazon Web Services': {
    plugin: 'sec-edgar',
    filer: 'AMAZON COM INC',
    fiscalYearEnd: '12-31',
    model: 'altman-z-double-prime',
    scores: [3.42, 3.71, 4.05],
  },
  'Microsoft Azure': {
    plugin: 'sec-edgar',
    filer: 'MICROSOFT CORP',
    fiscalYearEnd: '06-30',
    model: 'altman-z-double-prime',
    scores: [6.12, 6.48, 6.31],
  },
  'Google Cloud': {
    plugin: 'sec-edgar',
    filer: 'Alphabet Inc.',
    fiscalYearEnd: '12-31',
    model: 'altman-z-double-prime',
    scores: [8.91, 9.24, 9.57],
  },
  Snowflake: {
    plugin: 'sec-edgar',
    filer: 'Snowflake Inc.',
    fiscalYearEnd: '01-31',
    model: 'altman-z-double-prime',
    scores: [3.38, 2.97, 2.71],
  },
  Salesforce: {
    plugin: 'sec-edgar',
    filer: 'Salesforce, Inc.',
    fiscalYearEnd: '01-31',
    model: 'altman-z-double-prime',
    scores: [2.83, 3.05, 3.29],
  },
  Datadog: {
    plugin: 'sec-edgar',
    filer: 'Datadog, Inc.',
    fiscalYearEnd: '12-31',
    model: 'altman-z-double-prime',
    scores: [3.9, 4.21, 4.47],
  },
  Twilio: { plugin: 'sec-edgar', filer: 'TWILIO INC', fiscalYearEnd: '12-31', model: 'altman-z-double-prime', scores: [3.05, 3.32, 3.6] },
  Okta: { plugin: 'sec-edgar', filer: 'Okta, Inc.', fiscalYearEnd: '01-31', model: 'altman-z-double-prime', scores: [2.68, 2.94, 3.18] },
  // A REIT (SIC 6798): the plugin scores no financial company.
  Equinix: {
    plugin: 'sec-edgar',
    filer: 'EQUINIX INC',
    notApplicable:
      'financial company (SIC 6798 Real Estate Investment Trusts): Altman Z-scores do not apply to banks, insurers and other financial companies',
  },
  Bloomberg: { plugin: 'entity-status', legalName: 'Bloomberg Finance L.P.', jurisdiction: 'US-DE', initialRegistrationDate: '2012-12-06' },
};

export interface DemoIncident {
  service: string;
  monthsAgo: number;
  day: number;
  /** Start, UTC hour and minute. */
  hour: number;
  minute: number;
  minutes: number;
  level: 'major_outage' | 'partial_outage' | 'degraded' | 'maintenance';
  title: string;
  region?: string;
  /** Maintenance: announced this many days ahead. */
  announcedDaysAhead?: number;
}

/**
 * The recent months' incidents per vendor. Scripted so the attainment is stable: months are
 * calendar months relative to the seeding time, so the same months always breach (OpenAI last
 * month under its renegotiated 99.9 %, AWS three months ago) and the others do not, whatever the
 * month lengths. The current (open) month has only degradations and one short outage early on,
 * so it never reads as breached however early in the month the demo is seeded.
 */
export const DEMO_INCIDENTS: Record<string, DemoIncident[]> = {
  OpenAI: [
    {
      service: 'OpenAI API',
      monthsAgo: 4,
      day: 3,
      hour: 14,
      minute: 10,
      minutes: 85,
      level: 'partial_outage',
      title: 'Elevated error rates for gpt-4o',
    },
    {
      service: 'OpenAI API',
      monthsAgo: 4,
      day: 19,
      hour: 9,
      minute: 40,
      minutes: 150,
      level: 'degraded',
      title: 'Increased latency for Chat Completions',
    },
    {
      service: 'OpenAI API',
      monthsAgo: 3,
      day: 8,
      hour: 17,
      minute: 5,
      minutes: 38,
      level: 'major_outage',
      title: 'API unavailable for some organizations',
    },
    {
      service: 'OpenAI API',
      monthsAgo: 3,
      day: 22,
      hour: 11,
      minute: 30,
      minutes: 45,
      level: 'degraded',
      title: 'Slow responses from the Embeddings API',
    },
    {
      service: 'OpenAI API',
      monthsAgo: 2,
      day: 11,
      hour: 6,
      minute: 15,
      minutes: 120,
      level: 'partial_outage',
      title: 'Elevated errors on the Assistants and Batch APIs',
    },
    {
      service: 'OpenAI API',
      monthsAgo: 2,
      day: 26,
      hour: 20,
      minute: 0,
      minutes: 200,
      level: 'degraded',
      title: 'Degraded performance for fine-tuning jobs',
    },
    // Last month: a major outage with a partial recovery tail (the overlap counts once), a breach of the renegotiated 99.9 %.
    {
      service: 'OpenAI API',
      monthsAgo: 1,
      day: 14,
      hour: 17,
      minute: 20,
      minutes: 112,
      level: 'major_outage',
      title: 'Elevated error rates across ChatGPT and the API',
    },
    {
      service: 'OpenAI API',
      monthsAgo: 1,
      day: 14,
      hour: 19,
      minute: 0,
      minutes: 60,
      level: 'partial_outage',
      title: 'Recovery: increased error rates for some models',
    },
    {
      service: 'OpenAI API',
      monthsAgo: 0,
      day: 2,
      hour: 13,
      minute: 45,
      minutes: 30,
      level: 'degraded',
      title: 'Increased latency for the Realtime API',
    },
    {
      service: 'OpenAI API',
      monthsAgo: 0,
      day: 5,
      hour: 8,
      minute: 20,
      minutes: 24,
      level: 'degraded',
      title: 'Elevated latency for gpt-4o-mini',
    },
  ],
  'Amazon Web Services': [
    {
      service: 'Amazon S3',
      monthsAgo: 4,
      day: 6,
      hour: 15,
      minute: 30,
      minutes: 28,
      level: 'partial_outage',
      region: 'us-east-1',
      title: 'Increased error rates for S3 PUT requests (N. Virginia)',
    },
    {
      service: 'Amazon EC2',
      monthsAgo: 4,
      day: 21,
      hour: 4,
      minute: 10,
      minutes: 70,
      level: 'degraded',
      region: 'eu-west-1',
      title: 'Increased API latencies (Ireland)',
    },
    // Three months ago: a long partial outage in us-east-1, a breach of 99.95 %.
    {
      service: 'Amazon EC2',
      monthsAgo: 3,
      day: 10,
      hour: 7,
      minute: 50,
      minutes: 190,
      level: 'partial_outage',
      region: 'us-east-1',
      title: 'Instance launch failures and increased error rates (N. Virginia)',
    },
    {
      service: 'Amazon S3',
      monthsAgo: 3,
      day: 10,
      hour: 8,
      minute: 5,
      minutes: 95,
      level: 'degraded',
      region: 'us-east-1',
      title: 'Elevated S3 latencies (N. Virginia)',
    },
    // Out of the SLA's regions: recorded, but it does not count.
    {
      service: 'Amazon EC2',
      monthsAgo: 2,
      day: 16,
      hour: 2,
      minute: 40,
      minutes: 55,
      level: 'major_outage',
      region: 'ap-southeast-2',
      title: 'Connectivity issues in a single Availability Zone (Sydney)',
    },
    {
      service: 'Amazon S3',
      monthsAgo: 2,
      day: 24,
      hour: 12,
      minute: 0,
      minutes: 40,
      level: 'degraded',
      region: 'eu-west-1',
      title: 'Increased replication latency (Ireland)',
    },
    {
      service: 'Amazon S3',
      monthsAgo: 1,
      day: 4,
      hour: 22,
      minute: 15,
      minutes: 22,
      level: 'partial_outage',
      region: 'eu-west-1',
      title: 'Increased GET error rates (Ireland)',
    },
    {
      service: 'Amazon EC2',
      monthsAgo: 0,
      day: 3,
      hour: 10,
      minute: 5,
      minutes: 18,
      level: 'degraded',
      region: 'us-east-1',
      title: 'Delayed CloudWatch metrics for EC2 (N. Virginia)',
    },
  ],
  'Microsoft Azure': [
    {
      service: 'Azure OpenAI Service',
      monthsAgo: 4,
      day: 12,
      hour: 13,
      minute: 0,
      minutes: 60,
      level: 'partial_outage',
      region: 'eastus',
      title: 'Azure OpenAI: elevated 429 and 5xx errors for gpt-4o in East US',
    },
    {
      service: 'Azure OpenAI Service',
      monthsAgo: 3,
      day: 17,
      hour: 16,
      minute: 25,
      minutes: 40,
      level: 'partial_outage',
      region: 'westeurope',
      title: 'Azure OpenAI: intermittent failures for deployments in West Europe',
    },
    {
      service: 'Azure OpenAI Service',
      monthsAgo: 2,
      day: 9,
      hour: 3,
      minute: 45,
      minutes: 26,
      level: 'major_outage',
      region: 'westeurope',
      title: 'Azure OpenAI: service unavailable in West Europe',
    },
    {
      service: 'Azure OpenAI Service',
      monthsAgo: 2,
      day: 23,
      hour: 18,
      minute: 10,
      minutes: 120,
      level: 'degraded',
      region: 'eastus',
      title: 'Azure OpenAI: increased latency in East US',
    },
    {
      service: 'Azure OpenAI Service',
      monthsAgo: 1,
      day: 19,
      hour: 9,
      minute: 0,
      minutes: 35,
      level: 'partial_outage',
      region: 'eastus',
      title: 'Azure OpenAI: content filtering errors in East US',
    },
    {
      service: 'Azure OpenAI Service',
      monthsAgo: 0,
      day: 1,
      hour: 7,
      minute: 30,
      minutes: 15,
      level: 'degraded',
      region: 'westeurope',
      title: 'Azure OpenAI: slow deployment updates in West Europe',
    },
  ],
  Snowflake: [
    {
      service: 'Snowflake Data Cloud',
      monthsAgo: 4,
      day: 15,
      hour: 12,
      minute: 20,
      minutes: 180,
      level: 'degraded',
      region: 'us-east-1',
      title: 'Query execution delays in AWS US East (N. Virginia)',
    },
    {
      service: 'Snowflake Data Cloud',
      monthsAgo: 3,
      day: 5,
      hour: 19,
      minute: 0,
      minutes: 50,
      level: 'partial_outage',
      region: 'us-east-1',
      title: 'Snowpipe ingestion delays in AWS US East (N. Virginia)',
    },
    // Announced a week ahead: excluded from the downtime.
    {
      service: 'Snowflake Data Cloud',
      monthsAgo: 2,
      day: 20,
      hour: 2,
      minute: 0,
      minutes: 120,
      level: 'maintenance',
      region: 'us-east-1',
      title: 'Scheduled maintenance: metadata service upgrade (AWS US East)',
      announcedDaysAhead: 7,
    },
    {
      service: 'Snowflake Data Cloud',
      monthsAgo: 2,
      day: 27,
      hour: 14,
      minute: 30,
      minutes: 30,
      level: 'partial_outage',
      region: 'us-east-1',
      title: 'Intermittent login failures via SSO',
    },
    {
      service: 'Snowflake Data Cloud',
      monthsAgo: 1,
      day: 8,
      hour: 10,
      minute: 10,
      minutes: 21,
      level: 'major_outage',
      region: 'us-east-1',
      title: 'Login and query failures in AWS US East (N. Virginia)',
    },
    {
      service: 'Snowflake Data Cloud',
      monthsAgo: 0,
      day: 4,
      hour: 16,
      minute: 0,
      minutes: 60,
      level: 'degraded',
      region: 'us-east-1',
      title: 'Slow Snowsight page loads',
    },
  ],
  Salesforce: [
    {
      service: 'Service Cloud',
      monthsAgo: 4,
      day: 9,
      hour: 14,
      minute: 0,
      minutes: 95,
      level: 'degraded',
      title: 'Performance degradation on NA instances',
    },
    {
      service: 'Service Cloud',
      monthsAgo: 3,
      day: 13,
      hour: 15,
      minute: 40,
      minutes: 47,
      level: 'major_outage',
      title: 'Service disruption on USA-East instances',
    },
    {
      service: 'Service Cloud',
      monthsAgo: 2,
      day: 6,
      hour: 18,
      minute: 20,
      minutes: 75,
      level: 'partial_outage',
      title: 'Email-to-Case processing failures',
    },
    {
      service: 'Service Cloud',
      monthsAgo: 1,
      day: 25,
      hour: 8,
      minute: 0,
      minutes: 240,
      level: 'degraded',
      title: 'Delays in Omni-Channel routing',
    },
    {
      service: 'Service Cloud',
      monthsAgo: 0,
      day: 6,
      hour: 11,
      minute: 15,
      minutes: 10,
      level: 'partial_outage',
      title: 'Intermittent login errors on some instances',
    },
  ],
};

// ---- evidence vault and findings ----

export interface DemoEvidence {
  vendor: string;
  title: string;
  kind: EvidenceKind;
  fileName: string;
  confidentiality: EvidenceConfidentiality;
  /** The date the evidence speaks for, this many days before the seeding day. */
  effectiveDaysAgo: number;
  /** The last day it is valid, this many days after the seeding day (negative: already expired); null: no expiry. */
  validUntilInDays: number | null;
  /** Linked to the vendor's demo contract. */
  linkToContract?: boolean;
  /** The lines of text of the (small, generated) PDF. */
  lines: string[];
}

/** Evidence items in the vault, each a small generated PDF uploaded through the vault's intake; dates relative to the seeding day. */
export const DEMO_EVIDENCE: DemoEvidence[] = [
  {
    vendor: 'Amazon Web Services',
    title: 'AWS SOC 2 Type II report',
    kind: 'soc2_type2',
    fileName: 'aws-soc2-type2.pdf',
    confidentiality: 'restricted',
    effectiveDaysAgo: 30,
    validUntilInDays: 335,
    linkToContract: true,
    lines: [
      'Amazon Web Services - SOC 2 Type II report (summary)',
      'Trust services criteria: security, availability, confidentiality.',
      'Opinion: unqualified. One exception noted (quarterly access review, Q2).',
      'Demo document generated by Bulwark.',
    ],
  },
  {
    vendor: 'OpenAI',
    title: 'OpenAI ISO/IEC 27001 certificate',
    kind: 'iso27001_certificate',
    fileName: 'openai-iso27001-certificate.pdf',
    confidentiality: 'public',
    effectiveDaysAgo: 345,
    validUntilInDays: 20,
    lines: [
      'OpenAI - ISO/IEC 27001:2022 certificate',
      'Scope: OpenAI API platform and supporting infrastructure.',
      'Demo document generated by Bulwark.',
    ],
  },
  {
    vendor: 'Snowflake',
    title: 'Snowflake penetration test summary',
    kind: 'pen_test',
    fileName: 'snowflake-pentest-summary.pdf',
    confidentiality: 'confidential',
    effectiveDaysAgo: 60,
    validUntilInDays: 305,
    lines: [
      'Snowflake - annual external penetration test (executive summary)',
      'Findings: 0 critical, 0 high, 2 medium, 4 low.',
      'Demo document generated by Bulwark.',
    ],
  },
  {
    // LSEG's, not Bloomberg's: the Bloomberg contact's inbox stays empty in the demo (nothing waits on it).
    vendor: 'LSEG',
    title: 'LSEG cyber insurance certificate',
    kind: 'insurance',
    fileName: 'lseg-insurance-certificate.pdf',
    confidentiality: 'confidential',
    effectiveDaysAgo: 375,
    validUntilInDays: -10,
    lines: ['LSEG - certificate of cyber liability insurance', 'Policy period: twelve months.', 'Demo document generated by Bulwark.'],
  },
  {
    vendor: 'Microsoft Azure',
    title: 'Azure disaster recovery test report',
    kind: 'dr_test_report',
    fileName: 'azure-dr-test-report.pdf',
    confidentiality: 'confidential',
    effectiveDaysAgo: 90,
    validUntilInDays: 275,
    lines: [
      'Microsoft Azure - disaster recovery test report',
      'Region failover West Europe to North Europe: RTO 42 min, RPO 5 min.',
      'Demo document generated by Bulwark.',
    ],
  },
  {
    vendor: 'OpenAI',
    title: 'OpenAI MFA enforcement attestation',
    kind: 'policy',
    fileName: 'openai-mfa-attestation.pdf',
    confidentiality: 'confidential',
    effectiveDaysAgo: 3,
    validUntilInDays: null,
    lines: ['OpenAI - attestation: phishing-resistant MFA enforced for all administrative access', 'Demo document generated by Bulwark.'],
  },
];

/** Where a demo finding is left: each step on the way is taken through the findings service by the side that takes it. */
export type DemoFindingState = 'open' | 'plan_proposed' | 'in_remediation' | 'ready_for_verification' | 'closed' | 'risk_accepted';

export interface DemoFinding {
  vendor: string;
  title: string;
  details: string;
  severity: FindingSeverity;
  source: FindingSource;
  state: DemoFindingState;
  /** The vendor's remediation plan (for every state past `plan_proposed`); the target date this many days after seeding. */
  plan?: { rootCause: string; correctiveAction: string; targetInDays: number };
  /** Titles of the vendor's demo evidence given when the finding is marked ready for verification. */
  evidence?: string[];
  /** The verification note when closed. */
  closingNote?: string;
  /** Requested by the manager, approved by the admin; the acceptance holds through this day of the month after seeding (UTC). */
  riskAcceptance?: { reason: string; expiresOnDayOfNextMonth: number };
}

/** Findings across vendors, one in each state of the remediation workflow and one risk-accepted. */
export const DEMO_FINDINGS: DemoFinding[] = [
  {
    vendor: 'Snowflake',
    title: 'Two medium pen test findings without a retest date',
    details: 'The annual penetration test summary lists two medium findings (session fixation, verbose errors) without a planned retest.',
    severity: 'medium',
    source: 'audit',
    state: 'open',
  },
  {
    vendor: 'Bloomberg',
    title: 'Cyber insurance certificate has expired',
    details: 'The certificate of cyber liability insurance on file expired; the contract requires cover to be evidenced at all times.',
    severity: 'high',
    source: 'contract',
    state: 'plan_proposed',
    plan: {
      rootCause: 'The renewed policy was bound late by the broker.',
      correctiveAction: 'Upload the renewed certificate as soon as the insurer issues it; add the renewal to the compliance calendar.',
      targetInDays: 14,
    },
  },
  {
    vendor: 'Amazon Web Services',
    title: 'SOC 2 exception: quarterly access review missed',
    details: 'The SOC 2 Type II report notes one exception: the Q2 access review of production systems was not performed on time.',
    severity: 'medium',
    source: 'audit',
    state: 'in_remediation',
    plan: {
      rootCause: 'The review owner changed teams and the review was not reassigned.',
      correctiveAction: 'Reassign ownership, automate the quarterly reminder and perform a catch-up review.',
      targetInDays: 45,
    },
  },
  {
    vendor: 'OpenAI',
    title: 'MFA not enforced for all administrative access',
    details: 'The questionnaire answer states MFA is optional for some internal admin consoles.',
    severity: 'high',
    source: 'questionnaire_answer',
    state: 'ready_for_verification',
    plan: {
      rootCause: 'Legacy admin consoles predate the single sign-on rollout.',
      correctiveAction: 'Move every admin console behind SSO with phishing-resistant MFA.',
      targetInDays: 21,
    },
    evidence: ['OpenAI MFA enforcement attestation'],
  },
  {
    vendor: 'Amazon Web Services',
    title: 'No current SOC 2 Type II report on file',
    details: 'The last SOC 2 Type II report on file was older than twelve months.',
    severity: 'high',
    source: 'audit',
    state: 'closed',
    plan: {
      rootCause: 'The new report had not been requested through AWS Artifact.',
      correctiveAction: 'Download the current SOC 2 Type II report from AWS Artifact and upload it to the vault.',
      targetInDays: 7,
    },
    evidence: ['AWS SOC 2 Type II report'],
    closingNote: 'Verified: the current SOC 2 Type II report is on file and covers the last twelve months.',
  },
  {
    vendor: 'Microsoft Azure',
    title: 'Azure OpenAI fallback runs in a single region',
    details: 'The fallback deployment of the Customer Support Assistant on Azure OpenAI has no second region.',
    severity: 'medium',
    source: 'joint_test',
    state: 'risk_accepted',
    riskAcceptance: {
      reason: 'A fallback only; the primary runs on the OpenAI API. A second region is planned with the next budget cycle.',
      expiresOnDayOfNextMonth: 15,
    },
  },
];

/** A demo right-to-audit request, taken to its state by the side that takes each step (see `seedAudits`). */
export interface DemoAudit {
  vendor: string;
  title: string;
  mode: 'remote' | 'on_site';
  auditorKind: 'internal' | 'external_firm' | 'regulator';
  auditorName?: string;
  topics: string[];
  objectives: string;
  state: 'fieldwork' | 'closed' | 'escalated';
  /** The window's first day relative to the seeding day (the request is made within the entitlement, then dated). */
  windowFromDays: number;
  windowDays: number;
  /** For a request outside the contractual entitlement (no clause): the override's reason. */
  override?: string;
  /** Items with their due date relative to the seeding day and how far the vendor got. */
  items: { reference: string; details: string; dueInDays: number; state: 'requested' | 'delivered' | 'accepted'; notApplicable?: string }[];
  /** The report (closed audits), an evidence title of the vendor. */
  report?: string;
  /** A finding raised from the audit (closed audits carry it into remediation). */
  finding?: { title: string; details: string; severity: 'high' | 'medium' | 'low' };
  refusal?: { reason: string; escalation: string };
}

export const DEMO_AUDITS: DemoAudit[] = [
  {
    vendor: 'Amazon Web Services',
    title: 'Last year’s resilience audit of the EU regions',
    mode: 'remote',
    auditorKind: 'external_firm',
    auditorName: 'Northbridge Assurance LLP',
    topics: ['Multi-AZ failover', 'Backup restore', 'Access reviews'],
    objectives: 'Confirm the failover design of the EU regions and the restore drills behind the RTO we rely on.',
    state: 'closed',
    windowFromDays: -400,
    windowDays: 3,
    items: [
      { reference: 'PBC-1', details: 'Failover runbook of eu-west-1 and eu-central-1', dueInDays: -410, state: 'accepted' },
      { reference: 'PBC-2', details: 'Latest restore drill results', dueInDays: -410, state: 'accepted' },
    ],
    report: 'AWS SOC 2 Type II report',
    finding: {
      title: 'Access reviews of the support tooling are not evidenced',
      details: 'The audit found no record of the quarterly access review of the support tooling for two quarters.',
      severity: 'medium',
    },
  },
  {
    vendor: 'Amazon Web Services',
    title: 'Annual resilience audit of the EU regions',
    mode: 'remote',
    auditorKind: 'internal',
    topics: ['Multi-AZ failover', 'Backup restore', 'Change management'],
    objectives: 'Follow up last year’s access-review finding and test the restore evidence of the services our AI systems use.',
    state: 'fieldwork',
    windowFromDays: -2,
    windowDays: 5,
    items: [
      { reference: 'PBC-1', details: 'Failover runbook of eu-west-1 and eu-central-1', dueInDays: -10, state: 'accepted' },
      {
        reference: 'PBC-2',
        details: 'On-site access logs of the data centres',
        dueInDays: -10,
        state: 'accepted',
        notApplicable: 'The audit is remote: no on-site access takes place.',
      },
      { reference: 'PBC-3', details: 'Quarterly access review records of the support tooling', dueInDays: -1, state: 'delivered' },
      { reference: 'PBC-4', details: 'Change-management tickets of the last two S3 incidents', dueInDays: 3, state: 'requested' },
    ],
  },
  {
    vendor: 'Amazon Web Services',
    title: 'Supervisory review of the Bedrock workloads',
    mode: 'remote',
    auditorKind: 'regulator',
    auditorName: 'European Central Bank (joint supervisory team)',
    topics: ['Model hosting isolation', 'Incident reporting to customers'],
    objectives: 'Our supervisor asked to review how the AI model hosting our credit models rely on is isolated and monitored.',
    state: 'escalated',
    windowFromDays: 75,
    windowDays: 2,
    items: [{ reference: 'PBC-1', details: 'Tenant isolation design of Amazon Bedrock', dueInDays: 60, state: 'requested' }],
    refusal: {
      reason: 'We answer regulators through AWS Artifact reports; we do not take part in reviews of individual customers’ workloads.',
      escalation: 'The financial services addendum grants regulator access: procurement to invoke it with the AWS account team.',
    },
  },
];

/** A demo DR questionnaire: the built-in "AI supplier disaster recovery" template sent to a vendor's demo contact. */
export interface DemoQuestionnaire {
  vendor: string;
  /**
   * accepted: answered in full, submitted and accepted (its score stored) about a year ago; in_progress: the named
   * sections answered, the rest still open; sent: waiting, nothing answered yet.
   */
  state: 'accepted' | 'in_progress' | 'sent';
  /** Sent this many days before the seeding day. */
  sentDaysAgo: number;
  /** Due this many days after the seeding day (negative: in the past). */
  dueInDays: number;
  /** For in_progress: the sections whose visible questions are answered. */
  answeredSections?: string[];
  /** The vendor's answer to each question of these keys is the second best it could give (not every practice is in place). */
  weaker?: string[];
  /** Answers of the number and text questions, by key. */
  facts?: Record<string, number | string>;
  message?: string;
}

const AWS_FACTS: Record<string, number | string> = {
  'scope.services': 'Amazon S3, Amazon EC2 and Amazon Bedrock in eu-west-1 (Ireland) and eu-central-1 (Frankfurt), production only.',
  'recovery.rto_hours': 4,
  'recovery.rpo_minutes': 15,
  'model.rollback_minutes': 30,
  'model.change_notice_days': 30,
  'notify.customer_hours': 24,
  'exit.assistance_days': 90,
};

/**
 * AWS: last year's questionnaire accepted with its score (the vendor page's score history), this year's half
 * answered (it waits in the AWS contact's inbox). The other vendors get none: a manager sends the first one to
 * OpenAI in the walkthrough, and the Bloomberg contact's inbox stays empty in the demo.
 */
export const DEMO_QUESTIONNAIRES: DemoQuestionnaire[] = [
  {
    vendor: 'Amazon Web Services',
    state: 'accepted',
    sentDaysAgo: 380,
    dueInDays: -350,
    weaker: ['backup.frequency', 'testing.last_full_test', 'testing.joint_testing', 'subprocessors.change_notice'],
    facts: { ...AWS_FACTS, 'recovery.rto_hours': 8, 'recovery.rpo_minutes': 60 },
    message: 'Our yearly review of the disaster-recovery arrangements behind the services we rely on.',
  },
  {
    vendor: 'Amazon Web Services',
    state: 'in_progress',
    sentDaysAgo: 12,
    dueInDays: 16,
    answeredSections: ['scope', 'backup', 'recovery'],
    facts: AWS_FACTS,
    message: 'This year’s review of the disaster-recovery arrangements behind the services we rely on.',
  },
];
