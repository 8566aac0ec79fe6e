import { z } from 'zod';

import { FeedParseError } from '@bulwark/plugin-sdk';

/**
 * Wire formats of data.sec.gov (feeds.md §6). Only the parts the Altman computation relies on are
 * validated; unknown keys are ignored.
 */

/** One XBRL fact: `start` only on duration facts; `fy`/`fp` describe the filing, not the period. */
export const factSchema = z.object({
  start: z.string().optional(),
  end: z.string(),
  val: z.number(),
  accn: z.string(),
  fy: z.number().nullable().optional(),
  fp: z.string().nullable().optional(),
  form: z.string(),
  filed: z.string(),
  frame: z.string().optional(),
});
export type Fact = z.infer<typeof factSchema>;

const conceptSchema = z.object({
  label: z.string().nullable().optional(),
  units: z.record(z.string(), z.array(z.unknown())),
});

export const companyFactsSchema = z.object({
  // The live API sends an integer; some recordings hold the zero-padded string.
  cik: z.union([z.number(), z.string()]),
  entityName: z.string(),
  facts: z.record(z.string(), z.record(z.string(), conceptSchema)),
});

export interface CompanyFacts {
  cik: number;
  entityName: string;
  /** taxonomy → concept → unit → facts. Malformed single facts are dropped, not fatal. */
  facts: Record<string, Record<string, Record<string, Fact[]>>>;
}

export const submissionsSchema = z.object({
  cik: z.union([z.string(), z.number()]),
  name: z.string(),
  entityType: z.string().nullable().optional(),
  sic: z.string().nullable().optional(),
  sicDescription: z.string().nullable().optional(),
  fiscalYearEnd: z.string().nullable().optional(),
  filings: z
    .object({
      recent: z
        .object({
          filingDate: z.array(z.string()).optional(),
          form: z.array(z.string()).optional(),
        })
        .optional(),
    })
    .optional(),
});

export interface Submissions {
  cik: string;
  name: string;
  entityType: string | null;
  /** Four-digit SIC code, or null when the filer has none (`""`). */
  sic: number | null;
  sicDescription: string | null;
  /** Latest filing date in `filings.recent` (YYYY-MM-DD), if any. */
  latestFilingDate: string | null;
}

export function parseCompanyFacts(raw: unknown): CompanyFacts {
  const parsed = companyFactsSchema.safeParse(raw);
  if (!parsed.success) throw new FeedParseError(`companyfacts: unexpected shape (${z.prettifyError(parsed.error).slice(0, 500)})`);
  const cik = Number(parsed.data.cik);
  if (!Number.isInteger(cik) || cik <= 0) throw new FeedParseError(`companyfacts: bad cik ${String(parsed.data.cik)}`);
  const facts: CompanyFacts['facts'] = {};
  for (const [taxonomy, concepts] of Object.entries(parsed.data.facts)) {
    const t: Record<string, Record<string, Fact[]>> = (facts[taxonomy] = {});
    for (const [name, concept] of Object.entries(concepts)) {
      const units: Record<string, Fact[]> = (t[name] = {});
      for (const [unit, list] of Object.entries(concept.units)) {
        units[unit] = list.flatMap((f) => {
          const r = factSchema.safeParse(f);
          return r.success && Number.isFinite(r.data.val) ? [r.data] : [];
        });
      }
    }
  }
  return { cik, entityName: parsed.data.entityName, facts };
}

export function parseSubmissions(raw: unknown): Submissions {
  const parsed = submissionsSchema.safeParse(raw);
  if (!parsed.success) throw new FeedParseError(`submissions: unexpected shape (${z.prettifyError(parsed.error).slice(0, 500)})`);
  const d = parsed.data;
  const sicText = (d.sic ?? '').trim();
  const sic = /^\d{3,4}$/.test(sicText) ? Number(sicText) : null;
  const dates = (d.filings?.recent?.filingDate ?? []).filter((x) => /^\d{4}-\d{2}-\d{2}$/.test(x)).sort();
  return {
    cik: String(d.cik).padStart(10, '0'),
    name: d.name,
    entityType: d.entityType ?? null,
    sic,
    sicDescription: d.sicDescription?.trim() || null,
    latestFilingDate: dates.at(-1) ?? null,
  };
}
