import { z } from 'zod';

import {
  baseUrl,
  definePlugin,
  HttpError,
  parseFeedJson,
  PermanentPluginError,
  secret,
  type HttpClient,
  type HttpResponse,
  type NormalizedSignal,
} from '@bulwark/plugin-sdk';

import { companySignal, parseCompanyProfile, parseInsolvency } from './companies-house.js';
import { leiSignal, parseLeiDocument } from './gleif.js';

export { assessCompany, companySignal, parseCompanyProfile, parseInsolvency } from './companies-house.js';
export { leiLevel, leiSignal, parseLeiDocument } from './gleif.js';

/** ISO 17442: 18 alphanumerics + 2 check digits, the whole (letters as 10–35) ≡ 1 mod 97. */
export function isValidLei(lei: string): boolean {
  if (!/^[A-Z0-9]{18}[0-9]{2}$/.test(lei)) return false;
  let rem = 0;
  for (const ch of lei) {
    const digits = String(parseInt(ch, 36));
    for (const d of digits) rem = (rem * 10 + Number(d)) % 97;
  }
  return rem === 1;
}

export const configSchema = z
  .object({
    lei: z
      .string()
      .trim()
      .toUpperCase()
      .regex(/^[A-Z0-9]{18}[0-9]{2}$/, 'An LEI is 20 characters: 18 letters or digits and 2 check digits')
      .refine(isValidLei, 'The LEI check digits do not match (ISO 17442)')
      .optional()
      .describe('Legal Entity Identifier (20 characters, e.g. 5493001KJTIIGC8Y1R12), looked up in the GLEIF register.'),
    companyNumber: z
      .string()
      .trim()
      .toUpperCase()
      .regex(/^[A-Z0-9]{8}$/, 'A UK company number is 8 characters, e.g. 00445790 or SC123456')
      .optional()
      .describe('UK Companies House company number (8 characters, with leading zeros or a prefix such as SC, NI, OC).'),
    gleifBaseUrl: baseUrl('https://api.gleif.org'),
    companiesHouseBaseUrl: baseUrl('https://api.company-information.service.gov.uk'),
    companiesHouseApiKey: secret(z.string().trim().min(1))
      .optional()
      .describe('Companies House REST API key (free, from developer.company-information.service.gov.uk); required with a company number.'),
  })
  .refine((c) => !!c.lei || !!c.companyNumber, { message: 'Set an LEI, a UK company number, or both', path: ['lei'] })
  .refine((c) => !c.companyNumber || !!c.companiesHouseApiKey, {
    message: 'A Companies House API key is required to look up a company number',
    path: ['companiesHouseApiKey'],
  });
export type EntityStatusConfig = z.infer<typeof configSchema>;

/** GET; a 404 resolves to null; other permanent failures (4xx but 408/429) become PermanentPluginError. */
async function get(http: HttpClient, url: string, what: string, headers: Record<string, string>): Promise<HttpResponse | null> {
  try {
    return await http.get(url, { conditional: true, headers });
  } catch (err) {
    if (err instanceof HttpError && err.status === 404) return null;
    if (err instanceof HttpError && err.status === 401) throw new PermanentPluginError(`${what}: the API key was rejected (HTTP 401)`);
    if (err instanceof HttpError && err.permanent) throw new PermanentPluginError(`${what}: ${err.message}`);
    throw err;
  }
}

export const entityStatusPlugin = definePlugin({
  id: 'entity-status',
  kind: 'financial',
  displayName: 'Entity status (GLEIF LEI, UK Companies House)',
  version: '1.0.0',
  description:
    'Legal-entity health: the GLEIF LEI registration (issued, lapsed, retired, merged; entity inactive) and the UK Companies House register (company status, overdue filings, insolvency cases such as liquidation or administration).',
  configSchema,
  defaultSchedule: { everySeconds: 86_400 },
  // GLEIF asks for fair use (≈60/min is commonly cited); Companies House allows 600 per 5 minutes per key.
  rateLimit: { max: 60, perSeconds: 60 },
  // Status signals, not scores: named so the portal can label them; no zones.
  scoreModels: [
    { key: 'lei-status', label: 'LEI status' },
    { key: 'companies-house-status', label: 'Companies House status' },
  ],
  create(ctx) {
    const { config, http } = ctx;
    const gleifBase = config.gleifBaseUrl.replace(/\/+$/, '');
    const chBase = config.companiesHouseBaseUrl.replace(/\/+$/, '');
    const chHeaders = {
      accept: 'application/json',
      authorization: `Basic ${Buffer.from(`${config.companiesHouseApiKey ?? ''}:`).toString('base64')}`,
    };

    async function lei(code: string) {
      const res = await get(http, `${gleifBase}/api/v1/lei-records/${code}`, 'GLEIF', { accept: 'application/vnd.api+json' });
      if (!res) throw new PermanentPluginError(`GLEIF: LEI ${code} not found`);
      const rec = parseLeiDocument(parseFeedJson(res.body, 'GLEIF lei-record'), code);
      if (!rec) throw new PermanentPluginError(`GLEIF: LEI ${code} not found in the answer`);
      return { res, rec };
    }

    async function company(number: string) {
      if (!config.companiesHouseApiKey) throw new PermanentPluginError('Companies House: an API key is required');
      const path = `${chBase}/company/${encodeURIComponent(number)}`;
      const res = await get(http, path, 'Companies House', chHeaders);
      if (!res) throw new PermanentPluginError(`Companies House: company ${number} not found`);
      const profile = parseCompanyProfile(parseFeedJson(res.body, 'Companies House company profile'));
      return { res, profile, path };
    }

    return {
      async poll() {
        const signals: NormalizedSignal[] = [];
        const responses: HttpResponse[] = [];
        if (config.lei) {
          const { res, rec } = await lei(config.lei);
          responses.push(res);
          signals.push(leiSignal(rec));
        }
        if (config.companyNumber) {
          const { res, profile, path } = await company(config.companyNumber);
          responses.push(res);
          // 404 on insolvency = no insolvency history.
          const ins = await get(http, `${path}/insolvency`, 'Companies House insolvency', chHeaders);
          if (ins) responses.push(ins);
          signals.push(companySignal(profile, ins ? parseInsolvency(parseFeedJson(ins.body, 'Companies House insolvency')) : null));
        }
        return { signals, complete: true, ...(responses.every((r) => r.notModified) ? { notModified: true } : {}) };
      },
      async selfTest() {
        try {
          const found: string[] = [];
          if (config.lei) found.push(`GLEIF: ${(await lei(config.lei)).rec.attributes.entity.legalName.name}`);
          if (config.companyNumber) found.push(`Companies House: ${(await company(config.companyNumber)).profile.company_name}`);
          return { ok: true, message: found.join('; ') };
        } catch (err) {
          return { ok: false, message: (err as Error).message };
        }
      },
    };
  },
});
