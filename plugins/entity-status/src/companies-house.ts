import { z } from 'zod';

import { FeedParseError, SEVERITY, signal, toIso, type NormalizedSignal, type SignalLevel } from '@bulwark/plugin-sdk';

/** UK Companies House public data API, feeds.md §7. Only the fields used are validated. */
const optString = z.string().nullable().optional();

export const companyProfileSchema = z.object({
  company_name: z.string(),
  company_number: z.string(),
  company_status: optString,
  company_status_detail: optString,
  type: optString,
  date_of_creation: optString,
  date_of_cessation: optString,
  has_insolvency_history: z.boolean().nullable().optional(),
  accounts: z
    .object({
      overdue: z.boolean().nullable().optional(),
      next_due: optString,
      next_accounts: z.object({ due_on: optString, overdue: z.boolean().nullable().optional() }).nullable().optional(),
      last_accounts: z.object({ made_up_to: optString, type: optString }).nullable().optional(),
    })
    .nullable()
    .optional(),
  confirmation_statement: z
    .object({
      last_made_up_to: optString,
      next_due: optString,
      overdue: z.boolean().nullable().optional(),
    })
    .nullable()
    .optional(),
});
export type CompanyProfile = z.infer<typeof companyProfileSchema>;

export const insolvencySchema = z.object({
  status: z.unknown().optional(),
  cases: z.array(
    z.object({
      type: z.string(),
      // An integer in the spec, but sometimes a string.
      number: z.union([z.number(), z.string()]).nullable().optional(),
      dates: z
        .array(z.object({ type: z.string(), date: z.string() }))
        .nullable()
        .optional(),
      practitioners: z
        .array(z.object({ name: z.string(), role: optString, appointed_on: optString, ceased_to_act_on: optString }))
        .nullable()
        .optional(),
    }),
  ),
});
export type Insolvency = z.infer<typeof insolvencySchema>;

export function parseCompanyProfile(raw: unknown): CompanyProfile {
  const parsed = companyProfileSchema.safeParse(raw);
  if (!parsed.success)
    throw new FeedParseError(`Companies House company profile: unexpected shape (${z.prettifyError(parsed.error).slice(0, 500)})`);
  return parsed.data;
}

export function parseInsolvency(raw: unknown): Insolvency {
  const parsed = insolvencySchema.safeParse(raw);
  if (!parsed.success)
    throw new FeedParseError(`Companies House insolvency: unexpected shape (${z.prettifyError(parsed.error).slice(0, 500)})`);
  return parsed.data;
}

/** feeds.md §8 (Companies House), by `company_status`. */
const STATUS_LEVEL: Record<string, SignalLevel> = {
  active: 'operational',
  // Normal states of overseas entities and some other register types.
  registered: 'operational',
  open: 'operational',
  'voluntary-arrangement': 'partial_outage',
  receivership: 'partial_outage',
  liquidation: 'major_outage',
  administration: 'major_outage',
  'insolvency-proceedings': 'major_outage',
  dissolved: 'major_outage',
  removed: 'major_outage',
  // Not in the table: closed (an overseas company's UK establishment closed) is as final as dissolved;
  // converted-closed means the company continues in another legal form.
  closed: 'major_outage',
  'converted-closed': 'info',
};
/** States after which the company no longer exists: a solvent wind-down does not soften them. */
const TERMINAL = new Set(['dissolved', 'removed', 'closed', 'converted-closed']);

/**
 * An ongoing insolvency case, by type: the register's `company_status` can lag behind a case (a winding-up
 * petition, a CVA just instrumented), so a case still open raises the level on its own. A members'
 * voluntary liquidation is a solvent wind-down (handled below) and raises nothing here.
 */
const CASE_LEVEL: Record<string, SignalLevel> = {
  'compulsory-liquidation': 'major_outage',
  'creditors-voluntary-liquidation': 'major_outage',
  'in-administration': 'major_outage',
  'administration-order': 'major_outage',
  'corporate-voluntary-arrangement': 'partial_outage',
  'corporate-voluntary-arrangement-moratorium': 'partial_outage',
  'receiver-manager': 'partial_outage',
  'administrative-receiver': 'partial_outage',
  receivership: 'partial_outage',
  'foreign-insolvency': 'partial_outage',
};
/** Case date types that mean the case is over. */
const CASE_ENDED = new Set([
  'case-end-on',
  'concluded-winding-up-on',
  'administration-discharged-on',
  'administration-ended-on',
  'voluntary-arrangement-ended-on',
  'moratorium-ended-on',
  'dissolved-on',
]);
const caseOngoing = (c: Insolvency['cases'][number]) => !(c.dates ?? []).some((d) => CASE_ENDED.has(d.type));

const worst = (a: SignalLevel, b: SignalLevel): SignalLevel => ((SEVERITY[b] ?? -1) > (SEVERITY[a] ?? -1) ? b : a);

export const companyUrl = (number: string) => `https://find-and-update.company-information.service.gov.uk/company/${number}`;

export interface CompanyAssessment {
  level: SignalLevel;
  reasons: string[];
}

export function assessCompany(p: CompanyProfile, insolvency: Insolvency | null): CompanyAssessment {
  const status = p.company_status ?? null;
  const reasons: string[] = [];
  let level: SignalLevel = status ? (STATUS_LEVEL[status] ?? 'unknown') : 'unknown';
  reasons.push(
    status ? `company status ${status}${p.company_status_detail ? ` (${p.company_status_detail})` : ''}` : 'company status not reported',
  );

  const cases = insolvency?.cases ?? [];
  const mvlOnly = cases.length > 0 && cases.every((c) => c.type === 'members-voluntary-liquidation');
  if (mvlOnly && status && !TERMINAL.has(status) && level !== 'unknown') {
    level = 'info';
    reasons.push("the only insolvency case is a members' voluntary liquidation (a solvent wind-down)");
  }

  if (status && !TERMINAL.has(status) && level !== 'unknown') {
    for (const c of cases.filter(caseOngoing)) {
      const raised = worst(level, CASE_LEVEL[c.type] ?? level);
      if (raised === level) continue;
      level = raised;
      reasons.push(`an ongoing ${c.type.replace(/-/g, ' ')} case${caseNumber(c.number) ? ` (no. ${caseNumber(c.number)})` : ''}`);
    }
  }

  const accountsOverdue = !!(p.accounts?.overdue || p.accounts?.next_accounts?.overdue);
  const csOverdue = !!p.confirmation_statement?.overdue;
  if (accountsOverdue)
    reasons.push(`accounts overdue (due ${p.accounts?.next_accounts?.due_on ?? p.accounts?.next_due ?? 'date not reported'})`);
  if (csOverdue) reasons.push(`confirmation statement overdue (due ${p.confirmation_statement?.next_due ?? 'date not reported'})`);
  if (p.company_status_detail === 'active-proposal-to-strike-off') reasons.push('proposal to strike the company off the register');
  if ((accountsOverdue || csOverdue || p.company_status_detail === 'active-proposal-to-strike-off') && level !== 'unknown')
    level = worst(level, 'degraded');
  return { level, reasons };
}

const caseNumber = (n: number | string | null | undefined) => (n === null || n === undefined || n === '' ? null : String(n));

/** The latest date the profile and insolvency cases carry: it moves when the state does. */
function latestDate(p: CompanyProfile, insolvency: Insolvency | null): string | null {
  const dates = [
    p.date_of_creation,
    p.date_of_cessation,
    p.accounts?.last_accounts?.made_up_to,
    p.confirmation_statement?.last_made_up_to,
    p.accounts?.overdue || p.accounts?.next_accounts?.overdue ? (p.accounts?.next_accounts?.due_on ?? p.accounts?.next_due) : null,
    p.confirmation_statement?.overdue ? p.confirmation_statement.next_due : null,
    ...(insolvency?.cases ?? []).flatMap((c) => [
      ...(c.dates ?? []).map((d) => d.date),
      ...(c.practitioners ?? []).flatMap((x) => [x.appointed_on, x.ceased_to_act_on]),
    ]),
  ]
    .map((d) => toIso(d ?? null))
    .filter((d): d is string => !!d)
    .sort();
  return dates.at(-1) ?? null;
}

export function companySignal(p: CompanyProfile, insolvency: Insolvency | null): NormalizedSignal {
  const number = p.company_number.toUpperCase();
  const { level, reasons } = assessCompany(p, insolvency);
  const cases = (insolvency?.cases ?? []).map((c) => ({
    type: c.type,
    number: caseNumber(c.number),
    dates: (c.dates ?? []).map((d) => ({ type: d.type, date: d.date })),
    practitioners: (c.practitioners ?? []).map((x) => ({ name: x.name, role: x.role ?? null })),
  }));
  const caseText = cases.map(
    (c) =>
      `${c.type}${c.number ? ` (case ${c.number})` : ''}${c.dates.length ? `: ${c.dates.map((d) => `${d.type} ${d.date}`).join(', ')}` : ''}`,
  );
  const detail = [
    `${p.company_name} (${number}): ${reasons.join('; ')}.`,
    cases.length ? `Insolvency cases: ${caseText.join('; ')}.` : 'No insolvency history.',
    p.date_of_cessation ? `Ceased on ${p.date_of_cessation}.` : '',
  ]
    .filter(Boolean)
    .join(' ');
  const headline = [
    p.company_status ?? 'status unknown',
    ...reasons.filter((r) => /overdue|strike/.test(r)).map((r) => r.replace(/ \(due .*\)$/, '')),
  ].join(', ');
  return signal({
    externalId: `ch:${number}`,
    signalType: 'entity_status',
    level,
    title: `${p.company_name} (${number}): ${headline}`,
    detail,
    updatedAt: latestDate(p, insolvency),
    url: companyUrl(number),
    score: {
      model: 'companies-house-status',
      value: null,
      band: p.company_status ?? null,
      inputs: {
        companyStatus: p.company_status ?? null,
        companyStatusDetail: p.company_status_detail ?? null,
        type: p.type ?? null,
        dateOfCreation: p.date_of_creation ?? null,
        dateOfCessation: p.date_of_cessation ?? null,
        accountsOverdue: !!(p.accounts?.overdue || p.accounts?.next_accounts?.overdue),
        accountsNextDue: p.accounts?.next_accounts?.due_on ?? p.accounts?.next_due ?? null,
        lastAccountsMadeUpTo: p.accounts?.last_accounts?.made_up_to ?? null,
        confirmationStatementOverdue: !!p.confirmation_statement?.overdue,
        confirmationStatementNextDue: p.confirmation_statement?.next_due ?? null,
        hasInsolvencyHistory: p.has_insolvency_history ?? cases.length > 0,
        insolvencyCases: cases,
      },
    },
  });
}
