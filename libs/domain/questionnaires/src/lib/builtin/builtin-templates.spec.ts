import { describe, expect, it } from 'vitest';

import {
  ISO22301_CLAUSES,
  ISO42001_ANNEX_A,
  ISO42001_CLAUSES,
  questionCount,
  templateDocumentSchema,
  validateForPublish,
  visibleQuestions,
} from '@bulwark/api-schema';

import { contentHash } from '../content-hash.js';
import { AI_SUPPLIER_DR_TEMPLATE } from './ai-supplier-dr.js';
import { BUILTIN_TEMPLATES } from './builtin-templates.js';

/** The 38 Annex A control ids of ISO/IEC 42001:2023 (the reference list the template is mapped against). */
const ANNEX_A_IDS = [
  'A.2.2', 'A.2.3', 'A.2.4', 'A.3.2', 'A.3.3', 'A.4.2', 'A.4.3', 'A.4.4', 'A.4.5', 'A.4.6', 'A.5.2', 'A.5.3', 'A.5.4',
  'A.5.5', 'A.6.1.2', 'A.6.1.3', 'A.6.2.2', 'A.6.2.3', 'A.6.2.4', 'A.6.2.5', 'A.6.2.6', 'A.6.2.7', 'A.6.2.8', 'A.7.2',
  'A.7.3', 'A.7.4', 'A.7.5', 'A.7.6', 'A.8.2', 'A.8.3', 'A.8.4', 'A.8.5', 'A.9.2', 'A.9.3', 'A.9.4', 'A.10.2', 'A.10.3',
  'A.10.4',
]; // prettier-ignore

const doc = templateDocumentSchema.parse(AI_SUPPLIER_DR_TEMPLATE);
const questions = doc.sections.flatMap((s) => s.questions);

describe('the built-in template "AI supplier disaster recovery"', () => {
  it('is a valid, publishable document of 30 to 50 questions', () => {
    expect(questionCount(doc)).toBeGreaterThanOrEqual(30);
    expect(questionCount(doc)).toBeLessThanOrEqual(50);
    expect(validateForPublish(doc)).toEqual([]);
    expect(BUILTIN_TEMPLATES.map((t) => t.key)).toEqual(['ai-supplier-dr']);
    expect(contentHash(doc)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('maps every question to Annex A controls that exist and to ISO 22301 clauses', () => {
    expect(Object.keys(ISO42001_ANNEX_A).sort()).toEqual([...ANNEX_A_IDS].sort());
    for (const q of questions) {
      const annexA = q.controls.filter((c) => c.framework === 'iso42001-annex-a');
      const bc = q.controls.filter((c) => c.framework === 'iso22301');
      expect(annexA.length, `${q.key} maps to Annex A`).toBeGreaterThan(0);
      expect(bc.length, `${q.key} maps to ISO 22301`).toBeGreaterThan(0);
      for (const c of annexA) expect(ANNEX_A_IDS, `${q.key}: ${c.id}`).toContain(c.id);
      for (const c of bc) expect(Object.keys(ISO22301_CLAUSES), `${q.key}: ${c.id}`).toContain(c.id);
      for (const c of q.controls.filter((x) => x.framework === 'iso42001')) expect(Object.keys(ISO42001_CLAUSES)).toContain(c.id);
    }
  });

  it('covers the topics of the seed curriculum', () => {
    const text = questions
      .map((q) => `${q.key} ${q.text}`)
      .join('\n')
      .toLowerCase();
    for (const topic of [
      'replicat',
      'encrypt',
      'access',
      'sha-256',
      'rto',
      'rpo',
      'roll back',
      're-valid|recovered model',
      'lineage',
      'joint recovery tests',
      'exercise',
      'notify',
      'escalation',
      'sub-processor',
      'retiring a model|changing or retiring',
      'train',
      'exit',
    ])
      expect(text, topic).toMatch(new RegExp(topic));
  });

  it('asks model questions only of model providers, data questions only of suppliers holding our data', () => {
    const none = visibleQuestions(doc, { 'scope.model_provider': 'no', 'scope.processes_customer_data': 'no' });
    const all = visibleQuestions(doc, {
      'scope.model_provider': 'yes',
      'scope.processes_customer_data': 'yes',
      'model.rollback': 'yes',
      'testing.last_full_test': 'within_6_months',
    });
    const model = doc.sections.find((s) => s.key === 'model')!.questions.map((q) => q.key);
    for (const k of model) expect(none.has(k), k).toBe(false);
    for (const k of model) expect(all.has(k), k).toBe(true);
    expect(none.has('data.training_use')).toBe(false);
    expect(all.has('data.training_use')).toBe(true);
    expect(none.has('testing.dr_test_report')).toBe(false);
    expect(all.has('testing.dr_test_report')).toBe(true);
    expect(all.size).toBe(questionCount(doc));
  });

  it('asks for evidence: a DR test report, SOC 2 and ISO certificates', () => {
    const kinds = questions.filter((q) => q.type === 'evidence').flatMap((q) => q.evidenceKinds ?? []);
    expect(kinds).toEqual(expect.arrayContaining(['dr_test_report', 'soc2_type2', 'iso27001_certificate', 'iso22301_certificate']));
    expect(questions.some((q) => q.options?.some((o) => o.na))).toBe(true);
  });
});
