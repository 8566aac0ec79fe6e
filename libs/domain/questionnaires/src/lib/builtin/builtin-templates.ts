import type { TemplateDocumentInput } from '@bulwark/api-schema';

import { AI_SUPPLIER_DR_REVISION, AI_SUPPLIER_DR_TEMPLATE } from './ai-supplier-dr.js';

/** A template Bulwark ships: seeded (published as version 1) for every organization that does not have it yet. */
export interface BuiltInTemplate {
  /** Stable id of the shipped template (`questionnaire_templates.builtin_key`). */
  key: string;
  /** Revision of the shipped content, kept as the seeded version's provenance. */
  revision: string;
  document: TemplateDocumentInput;
}

export const BUILTIN_TEMPLATES: readonly BuiltInTemplate[] = [
  { key: 'ai-supplier-dr', revision: AI_SUPPLIER_DR_REVISION, document: AI_SUPPLIER_DR_TEMPLATE },
];
