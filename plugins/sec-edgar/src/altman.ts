import { signal, toIso, type NormalizedSignal, type SignalLevel } from '@bulwark/plugin-sdk';

import type { CompanyFacts, Fact, Submissions } from './parse.js';

/**
 * Altman Z / Z″ from EDGAR companyfacts (feeds.md §6 "Altman Z-score from EDGAR").
 *
 * Period selection: the fiscal year is the latest balance-sheet `end` reported in an annual form
 * (10-K, 20-F, 40-F and their amendments). Each input is the fact at exactly that `end` (instants:
 * no `start`; durations: a ~365-day `start`–`end` span), and among those the latest `filed` wins, so
 * a 10-K/A restatement beats the original and `fy`/`fp` (which describe the filing) are never used.
 */

export type ModelChoice = 'auto' | 'z' | 'z-double-prime';
export type AltmanModel = 'altman-z' | 'altman-z-double-prime';
export type Band = 'safe' | 'grey' | 'distress';

export interface InputValue {
  value: number;
  /** Source concept, `taxonomy:Concept`, or an expression for derived inputs. */
  concept: string;
  accn: string | null;
  end: string | null;
  filed: string | null;
  /** Set when a fallback or proxy was used instead of the primary concept. */
  approximation?: string;
  /** For derived inputs: the facts they were computed from. */
  components?: { concept: string; value: number; accn: string; filed: string }[];
}

export type InputKey =
  | 'currentAssets'
  | 'currentLiabilities'
  | 'totalAssets'
  | 'retainedEarnings'
  | 'ebit'
  | 'totalLiabilities'
  | 'sales'
  | 'bookEquity'
  | 'marketValueOfEquity';

const LABELS: Record<InputKey, string> = {
  currentAssets: 'current assets',
  currentLiabilities: 'current liabilities',
  totalAssets: 'total assets',
  retainedEarnings: 'retained earnings',
  ebit: 'EBIT',
  totalLiabilities: 'total liabilities',
  sales: 'sales',
  bookEquity: 'book value of equity',
  marketValueOfEquity: 'market value of equity',
};

const REQUIRED: Record<AltmanModel, InputKey[]> = {
  'altman-z': [
    'currentAssets',
    'currentLiabilities',
    'totalAssets',
    'retainedEarnings',
    'ebit',
    'totalLiabilities',
    'sales',
    'marketValueOfEquity',
  ],
  'altman-z-double-prime': [
    'currentAssets',
    'currentLiabilities',
    'totalAssets',
    'retainedEarnings',
    'ebit',
    'totalLiabilities',
    'bookEquity',
  ],
};

/** Concept names per taxonomy, in order of preference (the fallbacks of the feeds.md table). */
interface ConceptMap {
  taxonomy: 'us-gaap' | 'ifrs-full';
  currentAssets: string[];
  currentLiabilities: string[];
  assets: string;
  liabilitiesAndEquity: string;
  retainedEarnings: string[];
  operatingIncome: string;
  pretaxIncome: string[];
  interestExpense: string[];
  liabilities: string;
  /** Subtracted from liabilities-and-equity to derive total liabilities (first one present). */
  equityForLiabilities: string[];
  temporaryEquity: string[];
  sales: string[];
  /** Summed when none of `sales` is reported. */
  salesParts: string[];
  bookEquity: string[];
  /** Concepts whose presence explains a missing retained earnings (LPs). */
  partnersCapital: string[];
}

export const US_GAAP: ConceptMap = {
  taxonomy: 'us-gaap',
  currentAssets: ['AssetsCurrent'],
  currentLiabilities: ['LiabilitiesCurrent'],
  assets: 'Assets',
  liabilitiesAndEquity: 'LiabilitiesAndStockholdersEquity',
  retainedEarnings: ['RetainedEarningsAccumulatedDeficit'],
  operatingIncome: 'OperatingIncomeLoss',
  pretaxIncome: [
    'IncomeLossFromContinuingOperationsBeforeIncomeTaxesExtraordinaryItemsNoncontrollingInterest',
    'IncomeLossFromContinuingOperationsBeforeIncomeTaxesMinorityInterestAndIncomeLossFromEquityMethodInvestments',
  ],
  interestExpense: ['InterestExpense', 'InterestExpenseNonoperating'],
  liabilities: 'Liabilities',
  equityForLiabilities: ['StockholdersEquityIncludingPortionAttributableToNoncontrollingInterest', 'StockholdersEquity'],
  temporaryEquity: ['TemporaryEquityCarryingAmountAttributableToParent'],
  sales: [
    'Revenues',
    'RevenueFromContractWithCustomerExcludingAssessedTax',
    'RevenueFromContractWithCustomerIncludingAssessedTax',
    'SalesRevenueNet',
  ],
  salesParts: ['SalesRevenueGoodsNet', 'SalesRevenueServicesNet'],
  bookEquity: ['StockholdersEquity', 'StockholdersEquityIncludingPortionAttributableToNoncontrollingInterest'],
  partnersCapital: ['PartnersCapital', 'PartnersCapitalIncludingPortionAttributableToNoncontrollingInterest'],
};

/** IFRS equivalents (ifrs-full taxonomy, used by 20-F/40-F filers). */
export const IFRS: ConceptMap = {
  taxonomy: 'ifrs-full',
  currentAssets: ['CurrentAssets'],
  currentLiabilities: ['CurrentLiabilities'],
  assets: 'Assets',
  liabilitiesAndEquity: 'EquityAndLiabilities',
  retainedEarnings: ['RetainedEarnings'],
  operatingIncome: 'ProfitLossFromOperatingActivities',
  pretaxIncome: ['ProfitLossBeforeTax'],
  interestExpense: ['FinanceCosts', 'InterestExpense'],
  liabilities: 'Liabilities',
  equityForLiabilities: ['Equity'],
  temporaryEquity: [],
  sales: ['Revenue', 'RevenueFromContractsWithCustomers'],
  salesParts: [],
  bookEquity: ['EquityAttributableToOwnersOfParent', 'Equity'],
  partnersCapital: [],
};

const ANNUAL_FORMS = new Set(['10-K', '10-K/A', '10-KT', '10-KT/A', '20-F', '20-F/A', '40-F', '40-F/A']);
const DAY = 86_400_000;
/** A fiscal year of 52/53 weeks or 12 months: 364–371 days between start and end. */
const MIN_ANNUAL_DAYS = 350;
const MAX_ANNUAL_DAYS = 380;

function isAnnualDuration(f: Fact): boolean {
  if (!f.start) return false;
  const days = (Date.parse(f.end) - Date.parse(f.start)) / DAY;
  return days >= MIN_ANNUAL_DAYS && days <= MAX_ANNUAL_DAYS;
}

/** Latest `filed` wins; then a fact with a `frame`; then the greater accession number. */
function latestFiled(list: Fact[]): Fact | null {
  const rank = (f: Fact) => `${f.filed}|${f.frame ? 1 : 0}|${f.accn}`;
  return list.reduce<Fact | null>((best, f) => (!best || rank(f) > rank(best) ? f : best), null);
}

/** Facts of one taxonomy in one currency, restricted to annual forms. */
export class FactBook {
  constructor(
    private readonly facts: CompanyFacts,
    readonly map: ConceptMap,
    readonly currency: string,
  ) {}

  private list(concept: string, unit = this.currency): Fact[] {
    return (this.facts.facts[this.map.taxonomy]?.[concept]?.[unit] ?? []).filter((f) => ANNUAL_FORMS.has(f.form));
  }

  has(concept: string): boolean {
    return !!this.facts.facts[this.map.taxonomy]?.[concept];
  }

  instant(concept: string, end: string): Fact | null {
    return latestFiled(this.list(concept).filter((f) => !f.start && f.end === end));
  }

  annual(concept: string, end: string): Fact | null {
    return latestFiled(this.list(concept).filter((f) => f.end === end && isAnnualDuration(f)));
  }

  /** The latest balance-sheet date of an annual filing, or null. */
  latestPeriodEnd(): string | null {
    const m = this.map;
    let end: string | null = null;
    for (const c of [m.assets, m.liabilitiesAndEquity, ...m.currentAssets, ...m.currentLiabilities, ...m.bookEquity]) {
      for (const f of this.list(c)) if (!f.start && /^\d{4}-\d{2}-\d{2}$/.test(f.end) && (!end || f.end > end)) end = f.end;
    }
    return end;
  }
}

/** Picks the taxonomy and currency: us-gaap in USD, else ifrs-full in its reporting currency. */
export function openFactBook(facts: CompanyFacts): FactBook | null {
  const gaap = facts.facts['us-gaap'];
  const core = (m: ConceptMap) => [m.assets, m.liabilitiesAndEquity, ...m.currentAssets, ...m.currentLiabilities];
  if (gaap && core(US_GAAP).some((c) => gaap[c]?.['USD']?.length)) return new FactBook(facts, US_GAAP, 'USD');
  const ifrs = facts.facts['ifrs-full'];
  if (ifrs) {
    // Reporting currency: the currency unit of the most recent annual total-assets fact.
    let best: { unit: string; end: string } | null = null;
    for (const c of core(IFRS)) {
      for (const [unit, list] of Object.entries(ifrs[c] ?? {})) {
        if (!/^[A-Z]{3}$/.test(unit)) continue;
        for (const f of list) if (ANNUAL_FORMS.has(f.form) && !f.start && (!best || f.end > best.end)) best = { unit, end: f.end };
      }
    }
    if (best) return new FactBook(facts, IFRS, best.unit);
  }
  return null;
}

function fromFact(book: FactBook, concept: string, f: Fact, approximation?: string): InputValue {
  const v: InputValue = { value: f.val, concept: `${book.map.taxonomy}:${concept}`, accn: f.accn, end: f.end, filed: f.filed };
  if (approximation) v.approximation = approximation;
  return v;
}

function derived(
  book: FactBook,
  expression: string,
  parts: { concept: string; fact: Fact; sign: 1 | -1 }[],
  end: string,
  approximation: string,
): InputValue {
  const latest = parts.reduce((a, b) => (b.fact.filed > a.fact.filed ? b : a));
  return {
    value: parts.reduce((s, p) => s + p.sign * p.fact.val, 0),
    concept: expression,
    accn: latest.fact.accn,
    end,
    filed: latest.fact.filed,
    approximation,
    components: parts.map((p) => ({
      concept: `${book.map.taxonomy}:${p.concept}`,
      value: p.fact.val,
      accn: p.fact.accn,
      filed: p.fact.filed,
    })),
  };
}

function firstInstant(book: FactBook, concepts: string[], end: string): { concept: string; fact: Fact } | null {
  for (const c of concepts) {
    const f = book.instant(c, end);
    if (f) return { concept: c, fact: f };
  }
  return null;
}

function firstAnnual(book: FactBook, concepts: string[], end: string): { concept: string; fact: Fact } | null {
  for (const c of concepts) {
    const f = book.annual(c, end);
    if (f) return { concept: c, fact: f };
  }
  return null;
}

export interface ResolvedInputs {
  inputs: Partial<Record<InputKey, InputValue>>;
  /** Why an input could not be found, by key. */
  missing: Partial<Record<InputKey, string>>;
}

/** Resolves every input (including each fallback of the feeds.md table) at one period end. */
export function resolveInputs(book: FactBook, end: string, mve: { configured?: number; facts: CompanyFacts }): ResolvedInputs {
  const m = book.map;
  const t = m.taxonomy;
  const inputs: ResolvedInputs['inputs'] = {};
  const missing: ResolvedInputs['missing'] = {};

  const ca = firstInstant(book, m.currentAssets, end);
  if (ca) inputs.currentAssets = fromFact(book, ca.concept, ca.fact);
  else missing.currentAssets = `${m.currentAssets.map((c) => `${t}:${c}`).join(' / ')} not reported (unclassified balance sheet?)`;

  const cl = firstInstant(book, m.currentLiabilities, end);
  if (cl) inputs.currentLiabilities = fromFact(book, cl.concept, cl.fact);
  else
    missing.currentLiabilities = `${m.currentLiabilities.map((c) => `${t}:${c}`).join(' / ')} not reported (unclassified balance sheet?)`;

  const lse = book.instant(m.liabilitiesAndEquity, end);
  const assets = book.instant(m.assets, end);
  if (assets) inputs.totalAssets = fromFact(book, m.assets, assets);
  else if (lse)
    inputs.totalAssets = fromFact(
      book,
      m.liabilitiesAndEquity,
      lse,
      `${t}:${m.assets} not reported; ${t}:${m.liabilitiesAndEquity} used (equal by definition)`,
    );
  else missing.totalAssets = `neither ${t}:${m.assets} nor ${t}:${m.liabilitiesAndEquity} reported`;

  const re = firstInstant(book, m.retainedEarnings, end);
  if (re) inputs.retainedEarnings = fromFact(book, re.concept, re.fact);
  else {
    const lp = m.partnersCapital.find((c) => book.has(c));
    missing.retainedEarnings =
      `${m.retainedEarnings.map((c) => `${t}:${c}`).join(' / ')} not reported` +
      (lp ? ` (the filer reports ${t}:${lp}, as partnerships do: no retained earnings)` : '');
  }

  const op = book.annual(m.operatingIncome, end);
  if (op) inputs.ebit = fromFact(book, m.operatingIncome, op);
  else {
    const pretax = firstAnnual(book, m.pretaxIncome, end);
    const interest = firstAnnual(book, m.interestExpense, end);
    if (pretax && interest) {
      inputs.ebit = derived(
        book,
        `${t}:${pretax.concept} + ${t}:${interest.concept}`,
        [
          { concept: pretax.concept, fact: pretax.fact, sign: 1 },
          { concept: interest.concept, fact: interest.fact, sign: 1 },
        ],
        end,
        `${t}:${m.operatingIncome} not reported; EBIT derived as pre-tax income + interest expense`,
      );
    } else if (pretax) {
      inputs.ebit = derived(
        book,
        `${t}:${pretax.concept}`,
        [{ concept: pretax.concept, fact: pretax.fact, sign: 1 }],
        end,
        `${t}:${m.operatingIncome} and interest expense not reported; pre-tax income used as EBIT (understates EBIT by any interest expense)`,
      );
    } else
      missing.ebit = `neither ${t}:${m.operatingIncome} nor pre-tax income (${m.pretaxIncome.map((c) => `${t}:${c}`).join(' / ')}) reported for a ~365-day period`;
  }

  const liabilities = book.instant(m.liabilities, end);
  if (liabilities) inputs.totalLiabilities = fromFact(book, m.liabilities, liabilities);
  else {
    const eq = firstInstant(book, m.equityForLiabilities, end);
    if (lse && eq) {
      const temp = firstInstant(book, m.temporaryEquity, end);
      const parts: { concept: string; fact: Fact; sign: 1 | -1 }[] = [
        { concept: m.liabilitiesAndEquity, fact: lse, sign: 1 },
        { concept: eq.concept, fact: eq.fact, sign: -1 },
      ];
      if (temp) parts.push({ concept: temp.concept, fact: temp.fact, sign: -1 });
      inputs.totalLiabilities = derived(
        book,
        parts.map((p, i) => `${i ? (p.sign < 0 ? '− ' : '+ ') : ''}${t}:${p.concept}`).join(' '),
        parts,
        end,
        `${t}:${m.liabilities} not reported; derived from liabilities and equity minus equity${temp ? ' minus temporary equity' : ''}`,
      );
    } else
      missing.totalLiabilities = `${t}:${m.liabilities} not reported and cannot be derived (needs ${t}:${m.liabilitiesAndEquity} and ${m.equityForLiabilities.map((c) => `${t}:${c}`).join(' or ')})`;
  }

  const sales = firstAnnual(book, m.sales, end);
  if (sales) inputs.sales = fromFact(book, sales.concept, sales.fact);
  else {
    const parts = m.salesParts.flatMap((c) => {
      const f = book.annual(c, end);
      return f ? [{ concept: c, fact: f, sign: 1 as const }] : [];
    });
    if (parts.length)
      inputs.sales = derived(
        book,
        parts.map((p) => `${t}:${p.concept}`).join(' + '),
        parts,
        end,
        `no total revenue concept reported; sales summed from ${parts.map((p) => `${t}:${p.concept}`).join(' + ')}`,
      );
    else
      missing.sales = `no revenue concept (${[...m.sales, ...m.salesParts].map((c) => `${t}:${c}`).join(', ')}) reported for a ~365-day period`;
  }

  const bve = firstInstant(book, m.bookEquity, end);
  if (bve)
    inputs.bookEquity = fromFact(
      book,
      bve.concept,
      bve.fact,
      bve.concept === m.bookEquity[0] ? undefined : `${t}:${m.bookEquity[0]} not reported; ${t}:${bve.concept} used`,
    );
  else missing.bookEquity = `${m.bookEquity.map((c) => `${t}:${c}`).join(' / ')} not reported`;

  if (mve.configured !== undefined) {
    inputs.marketValueOfEquity = { value: mve.configured, concept: 'config:marketValueOfEquity', accn: null, end: null, filed: null };
  } else {
    // Public float is stated on the annual report's cover as of the last day of Q2 of the fiscal year.
    const floor = new Date(Date.parse(end) - 366 * DAY).toISOString().slice(0, 10);
    const floats = (mve.facts.facts['dei']?.['EntityPublicFloat']?.['USD'] ?? []).filter(
      (f) => ANNUAL_FORMS.has(f.form) && f.end <= end && f.end > floor,
    );
    const latestEnd = floats.reduce<string | null>((a, f) => (!a || f.end > a ? f.end : a), null);
    const pf = latestFiled(floats.filter((f) => f.end === latestEnd));
    if (pf) {
      inputs.marketValueOfEquity = {
        value: pf.val,
        concept: 'dei:EntityPublicFloat',
        accn: pf.accn,
        end: pf.end,
        filed: pf.filed,
        approximation: `public float as of ${pf.end} used as a proxy for market value of equity (it excludes affiliates' holdings, so it understates MVE); set marketValueOfEquity for an exact Z`,
      };
    } else missing.marketValueOfEquity = 'not configured (marketValueOfEquity) and no dei:EntityPublicFloat on the annual report';
  }
  if (inputs.marketValueOfEquity && book.currency !== 'USD') {
    missing.marketValueOfEquity = `market value of equity is in USD but the statements are in ${book.currency}`;
    delete inputs.marketValueOfEquity;
  }
  return { inputs, missing };
}

export const round = (v: number, digits: number) => {
  const f = 10 ** digits;
  return Math.round((v + Math.sign(v) * Number.EPSILON) * f) / f;
};

/** The two Altman models: their short label and zone thresholds (safe above `safe`, distress below `distress`, grey in between). */
export const ALTMAN_MODELS = [
  { key: 'altman-z', label: 'Altman Z', zones: { distress: 1.81, safe: 2.99 } },
  { key: 'altman-z-double-prime', label: 'Altman Z″', zones: { distress: 1.1, safe: 2.6 } },
] as const satisfies readonly { key: AltmanModel; label: string; zones: { distress: number; safe: number } }[];

function zoneOf(model: AltmanModel, value: number): Band {
  const { zones } = ALTMAN_MODELS.find((m) => m.key === model)!;
  return value > zones.safe ? 'safe' : value >= zones.distress ? 'grey' : 'distress';
}

export interface Computed {
  value: number;
  band: Band;
  ratios: Record<string, number>;
}

/** Z = 1.2X1 + 1.4X2 + 3.3X3 + 0.6X4 + 1.0X5; Z″ = 6.56X1 + 3.26X2 + 6.72X3 + 1.05X4 (X4 = BVE/TL). */
export function computeScore(model: AltmanModel, i: Record<InputKey, number>): Computed {
  const x1 = (i.currentAssets - i.currentLiabilities) / i.totalAssets;
  const x2 = i.retainedEarnings / i.totalAssets;
  const x3 = i.ebit / i.totalAssets;
  if (model === 'altman-z') {
    const x4 = i.marketValueOfEquity / i.totalLiabilities;
    const x5 = i.sales / i.totalAssets;
    const value = round(1.2 * x1 + 1.4 * x2 + 3.3 * x3 + 0.6 * x4 + 1.0 * x5, 2);
    return {
      value,
      band: zoneOf(model, value),
      ratios: { x1: round(x1, 4), x2: round(x2, 4), x3: round(x3, 4), x4: round(x4, 4), x5: round(x5, 4) },
    };
  }
  const x4 = i.bookEquity / i.totalLiabilities;
  const value = round(6.56 * x1 + 3.26 * x2 + 6.72 * x3 + 1.05 * x4, 2);
  return { value, band: zoneOf(model, value), ratios: { x1: round(x1, 4), x2: round(x2, 4), x3: round(x3, 4), x4: round(x4, 4) } };
}

const BAND_LEVEL: Record<Band, SignalLevel> = { safe: 'operational', grey: 'degraded', distress: 'major_outage' };

export type ModelDecision = { model: AltmanModel; why: string } | { notApplicable: string };

/** Z for manufacturers (SIC 2000–3999), Z″ for others; neither for financial companies (SIC 6000–6799). */
export function chooseModel(choice: ModelChoice, sub: Submissions): ModelDecision {
  const sicText = sub.sic === null ? 'no SIC code' : `SIC ${sub.sic}${sub.sicDescription ? ` ${sub.sicDescription}` : ''}`;
  if (sub.sic !== null && sub.sic >= 6000 && sub.sic <= 6799)
    return {
      notApplicable: `financial company (${sicText}): Altman Z-scores do not apply to banks, insurers and other financial companies`,
    };
  if (choice === 'z') return { model: 'altman-z', why: `Z chosen in the configuration (${sicText})` };
  if (choice === 'z-double-prime') return { model: 'altman-z-double-prime', why: `Z″ chosen in the configuration (${sicText})` };
  if (sub.sic !== null && sub.sic >= 2000 && sub.sic <= 3999) return { model: 'altman-z', why: `manufacturer (${sicText})` };
  return {
    model: 'altman-z-double-prime',
    why: sub.sic === null ? 'no SIC code reported: Z″ (non-manufacturer model)' : `non-manufacturer (${sicText})`,
  };
}

const MODEL_NAME: Record<AltmanModel, string> = { 'altman-z': 'Altman Z-score', 'altman-z-double-prime': 'Altman Z″-score' };
const FORMULA: Record<AltmanModel, string> = {
  'altman-z': 'Z = 1.2·X1 + 1.4·X2 + 3.3·X3 + 0.6·X4 + 1.0·X5 (X4 = MVE/TL); safe > 2.99, grey 1.81–2.99, distress < 1.81',
  'altman-z-double-prime': 'Z″ = 6.56·X1 + 3.26·X2 + 6.72·X3 + 1.05·X4 (X4 = BVE/TL); safe > 2.60, grey 1.10–2.60, distress < 1.10',
};

export const companyUrl = (cik10: string) => `https://www.sec.gov/cgi-bin/browse-edgar?action=getcompany&CIK=${cik10}&type=10-K`;
export const filingUrl = (cik10: string, accn: string) =>
  `https://www.sec.gov/Archives/edgar/data/${Number(cik10)}/${accn.replace(/-/g, '')}/`;

export interface AltmanResult {
  signal: NormalizedSignal;
  warnings: string[];
}

/** An `unknown` financial_score signal: never a made-up score. */
export function unknownScore(
  cik10: string,
  name: string,
  periodEnd: string | null,
  model: AltmanModel | null,
  reason: string,
  extra: { inputs?: Record<string, unknown>; updatedAt?: string | null } = {},
): NormalizedSignal {
  return signal({
    externalId: `altman:${cik10}:${periodEnd ?? 'none'}`,
    signalType: 'financial_score',
    level: 'unknown',
    lifecycle: 'open',
    title: `${name}: ${model ? MODEL_NAME[model] : 'Altman score'} unavailable`,
    detail: reason,
    updatedAt: extra.updatedAt ?? null,
    asOf: periodEnd,
    url: companyUrl(cik10),
    score: { model: model ?? 'altman-z', value: null, band: null, inputs: extra.inputs ?? {} },
  });
}

/** A financial company: no Altman model applies, so the companyfacts are not even fetched. */
export function notApplicableScore(cik10: string, sub: Submissions, reason: string): NormalizedSignal {
  return {
    ...unknownScore(cik10, sub.name, null, null, `Not scored: ${reason}.`, {
      updatedAt: sub.latestFilingDate ? toIso(`${sub.latestFilingDate}T00:00:00Z`) : null,
    }),
    externalId: `altman:${cik10}:not-applicable`,
  };
}

/** The whole computation: model choice, period, inputs, score, signal. */
export function altmanSignal(
  cik10: string,
  sub: Submissions,
  facts: CompanyFacts,
  choice: ModelChoice,
  marketValueOfEquity: number | undefined,
): AltmanResult {
  const name = facts.entityName || sub.name;
  const decision = chooseModel(choice, sub);
  if ('notApplicable' in decision) return { signal: notApplicableScore(cik10, sub, decision.notApplicable), warnings: [] };
  const { model } = decision;
  const book = openFactBook(facts);
  if (!book) {
    const ifrsOnly = !!facts.facts['ifrs-full'] && !facts.facts['us-gaap'];
    return {
      signal: unknownScore(
        cik10,
        name,
        null,
        model,
        ifrsOnly
          ? 'IFRS filer: not supported yet (no usable ifrs-full balance sheet facts)'
          : 'No us-gaap or ifrs-full balance sheet facts in an annual report (10-K, 20-F, 40-F)',
      ),
      warnings: [],
    };
  }
  const end = book.latestPeriodEnd();
  if (!end)
    return {
      signal: unknownScore(
        cik10,
        name,
        null,
        model,
        `No balance sheet facts from an annual report (10-K, 20-F, 40-F) in ${book.map.taxonomy}`,
      ),
      warnings: [],
    };

  const { inputs, missing } = resolveInputs(book, end, { configured: model === 'altman-z' ? marketValueOfEquity : undefined, facts });
  if (model === 'altman-z-double-prime') {
    // Z″ uses book equity; MVE is neither needed nor shown.
    delete inputs.marketValueOfEquity;
    delete missing.marketValueOfEquity;
  }
  const needed = REQUIRED[model];
  const lacking = needed.filter((k) => !inputs[k]);
  const latestFiledDate = Object.values(inputs).reduce<string | null>((a, v) => (v?.filed && (!a || v.filed > a) ? v.filed : a), null);
  const updatedAt = latestFiledDate ? toIso(`${latestFiledDate}T00:00:00Z`) : null;
  const scoreInputs: Record<string, unknown> = {
    ...inputs,
    taxonomy: book.map.taxonomy,
    currency: book.currency,
    modelChoice: decision.why,
  };

  if (lacking.length) {
    const detail = `Cannot compute the ${MODEL_NAME[model]} for the fiscal year ended ${end} (${decision.why}). Missing: ${lacking.map((k) => `${LABELS[k]} — ${missing[k] ?? 'not reported'}`).join('; ')}.`;
    return {
      signal: unknownScore(cik10, name, end, model, detail, { inputs: { ...scoreInputs, missing: lacking }, updatedAt }),
      warnings: [],
    };
  }
  const values = Object.fromEntries(needed.map((k) => [k, inputs[k]!.value])) as Record<InputKey, number>;
  for (const k of ['totalAssets', 'totalLiabilities'] as const) {
    if (!(values[k] > 0)) {
      const detail = `Cannot compute the ${MODEL_NAME[model]} for the fiscal year ended ${end}: ${LABELS[k]} is ${values[k]} (must be positive).`;
      return { signal: unknownScore(cik10, name, end, model, detail, { inputs: scoreInputs, updatedAt }), warnings: [] };
    }
  }
  const { value, band, ratios } = computeScore(model, values);
  const approximations = needed.flatMap((k) => (inputs[k]!.approximation ? [`${LABELS[k]}: ${inputs[k]!.approximation}`] : []));
  const main = inputs.totalAssets!;
  const detail = [
    `${MODEL_NAME[model]} ${value.toFixed(2)} (${band}) for the fiscal year ended ${end}, from the annual report filed ${main.filed} (accession ${main.accn}); ${decision.why}.`,
    FORMULA[model] + '.',
    `Ratios: ${Object.entries(ratios)
      .map(([k, v]) => `${k.toUpperCase()} = ${v}`)
      .join(', ')}.`,
    approximations.length ? `Approximations: ${approximations.join('; ')}.` : '',
  ]
    .filter(Boolean)
    .join(' ');
  return {
    signal: signal({
      externalId: `altman:${cik10}:${end}`,
      signalType: 'financial_score',
      level: BAND_LEVEL[band],
      lifecycle: 'open',
      title: `${name}: ${MODEL_NAME[model]} ${value.toFixed(2)} (${band})`,
      detail,
      updatedAt,
      asOf: end,
      url: main.accn ? filingUrl(cik10, main.accn) : companyUrl(cik10),
      score: { model, value, band, inputs: { ...scoreInputs, ratios } },
    }),
    warnings: approximations,
  };
}
