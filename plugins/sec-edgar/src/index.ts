import { z } from 'zod';

import {
  baseUrl,
  definePlugin,
  fromResponse,
  HttpError,
  parseFeedJson,
  PermanentPluginError,
  type HttpClient,
  type HttpResponse,
} from '@bulwark/plugin-sdk';

import { ALTMAN_MODELS, altmanSignal, chooseModel, notApplicableScore, unknownScore } from './altman.js';
import { parseCompanyFacts, parseSubmissions } from './parse.js';

export { ALTMAN_MODELS, altmanSignal, chooseModel, computeScore, openFactBook, resolveInputs } from './altman.js';
export { parseCompanyFacts, parseSubmissions } from './parse.js';

export const configSchema = z.object({
  baseUrl: baseUrl('https://data.sec.gov'),
  cik: z
    .string()
    .trim()
    .regex(/^\d{1,10}$/, 'A CIK is 1 to 10 digits')
    .describe('SEC Central Index Key of the filer (1–10 digits, e.g. 1835632 or 0001835632); look it up at sec.gov/edgar/search.'),
  model: z
    .enum(['auto', 'z', 'z-double-prime'])
    .default('auto')
    .describe(
      'Altman model: auto picks Z for manufacturers (SIC 2000–3999) and Z″ for other companies; financial companies (SIC 6000–6799) get no score.',
    ),
  marketValueOfEquity: z
    .number()
    .positive()
    .optional()
    .describe(
      'Market value of equity in USD (share price × shares outstanding, from market data). Needed for an exact Z; without it the public float from the annual report is used as a flagged proxy.',
    ),
});
export type SecEdgarConfig = z.infer<typeof configSchema>;

/** Companyfacts of large filers run to tens of megabytes. */
const COMPANYFACTS_MAX_BYTES = 60 * 1024 * 1024;

/** GET with conditional headers; a 404 resolves to null; other 4xx become PermanentPluginError. */
async function fetchOrNull(http: HttpClient, url: string, what: string, maxBytes?: number): Promise<HttpResponse | null> {
  try {
    return await http.get(url, { conditional: true, headers: { accept: 'application/json' }, ...(maxBytes ? { maxBytes } : {}) });
  } catch (err) {
    if (err instanceof HttpError && err.status === 404) return null;
    if (err instanceof HttpError && err.permanent) {
      const hint =
        err.status === 403 ? ' (the SEC refuses requests without a declared User-Agent, and throttles clients over 10 requests/s)' : '';
      throw new PermanentPluginError(`SEC EDGAR ${what}: ${err.message}${hint}`);
    }
    throw err;
  }
}

export const secEdgarPlugin = definePlugin({
  id: 'sec-edgar',
  kind: 'financial',
  displayName: 'SEC EDGAR (Altman Z)',
  version: '1.0.0',
  description:
    'Altman Z-score (manufacturers) or Z″-score (other companies) from the latest annual report (10-K, 20-F) in SEC EDGAR XBRL companyfacts, with every input traced to its concept and accession number. Financial companies are not scored.',
  configSchema,
  defaultSchedule: { everySeconds: 86_400 },
  // A poll makes two requests (submissions, companyfacts); the SEC allows 10 per second per client.
  rateLimit: { max: 5, perSeconds: 1 },
  scoreModels: ALTMAN_MODELS,
  create(ctx) {
    const { config, http } = ctx;
    const base = config.baseUrl.replace(/\/+$/, '');
    const cik10 = config.cik.padStart(10, '0');
    const submissionsUrl = `${base}/submissions/CIK${cik10}.json`;
    const factsUrl = `${base}/api/xbrl/companyfacts/CIK${cik10}.json`;

    async function submissions() {
      const res = await fetchOrNull(http, submissionsUrl, 'submissions');
      if (!res) throw new PermanentPluginError(`CIK ${cik10} not found on SEC EDGAR (submissions 404)`);
      return { res, sub: parseSubmissions(parseFeedJson(res.body, 'SEC EDGAR submissions')) };
    }

    return {
      async poll() {
        const { res: subRes, sub } = await submissions();
        const filerUpdated = sub.latestFilingDate ? `${sub.latestFilingDate}T00:00:00.000Z` : null;
        const decision = chooseModel(config.model, sub);
        // A financial company: no model applies, so the (large) companyfacts are not downloaded.
        // Each poll returns the one current score (the latest annual report): earlier fiscal years
        // are then resolved, so they stay as history and stop counting as the current state.
        // Provenance: the SIC code in submissions that rules a model out, the whole submissions body
        // when there are no facts, else the whole companyfacts document (the score's inputs name
        // their concepts and accession numbers within it).
        if ('notApplicable' in decision)
          return {
            signals: fromResponse([{ ...notApplicableScore(cik10, sub, decision.notApplicable), rawRef: { pointer: '/sic' } }], subRes),
            complete: true,
          };
        const factsRes = await fetchOrNull(http, factsUrl, 'companyfacts', COMPANYFACTS_MAX_BYTES);
        if (!factsRes) {
          return {
            signals: fromResponse(
              [
                unknownScore(
                  cik10,
                  sub.name,
                  null,
                  null,
                  'SEC EDGAR has no XBRL financial data for this filer (companyfacts answered 404): no annual report with financial statements to score.',
                  { updatedAt: filerUpdated },
                ),
              ],
              subRes,
            ),
            complete: true,
          };
        }
        const facts = parseCompanyFacts(parseFeedJson(factsRes.body, 'SEC EDGAR companyfacts'));
        if (facts.cik !== Number(cik10))
          throw new PermanentPluginError(`SEC EDGAR companyfacts answered for CIK ${facts.cik}, not ${Number(cik10)}`);
        const { signal, warnings } = altmanSignal(cik10, sub, facts, config.model, config.marketValueOfEquity);
        return {
          signals: fromResponse([signal], factsRes),
          complete: true,
          ...(warnings.length ? { warnings } : {}),
          ...(subRes.notModified && factsRes.notModified ? { notModified: true } : {}),
        };
      },
      async selfTest() {
        try {
          const { sub } = await submissions();
          const sic = sub.sic === null ? 'no SIC code' : `SIC ${sub.sic}${sub.sicDescription ? ` ${sub.sicDescription}` : ''}`;
          return { ok: true, message: `SEC EDGAR filer ${sub.name} (CIK ${cik10}, ${sic})` };
        } catch (err) {
          return { ok: false, message: (err as Error).message };
        }
      },
    };
  },
});
