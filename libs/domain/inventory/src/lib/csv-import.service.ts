import { Injectable } from '@nestjs/common';
import { parse } from 'csv-parse/sync';
import { DataSource } from 'typeorm';
import type { z } from 'zod';

import {
  createServiceSchema,
  createVendorSchema,
  type CreateServiceInput,
  type CreateVendorInput,
  type ImportResult,
  type ImportRowError,
} from '@bulwark/api-schema';
import { AuditLogService, DomainException, scoped } from '@bulwark/platform';

import { ServiceCatalog } from './service-catalog.service.js';
import { Service } from './service.entity.js';
import { Vendor } from './vendor.entity.js';
import { VendorService } from './vendor.service.js';

export const VENDOR_COLUMNS = [
  'name',
  'legal_name',
  'website',
  'country',
  'lifecycle',
  'lei',
  'cik',
  'company_number',
  'duns',
  'served_criticality',
  'data_sensitivity',
  'ai_model_provider',
  'substitutability',
  'financial_health',
  'description',
] as const;
export const SERVICE_COLUMNS = ['vendor', 'name', 'kind', 'regions', 'description', 'models'] as const;
const MAX_ROWS = 5000;

type Row = Record<string, string>;
const blank = (v: string | undefined) => (v === undefined || v.trim() === '' ? undefined : v.trim());
const orNull = (v: string | undefined) => blank(v) ?? null;
const list = (v: string | undefined) =>
  blank(v)
    ? v!
        .split(';')
        .map((s) => s.trim())
        .filter(Boolean)
    : [];

function bool(v: string | undefined): boolean | string | undefined {
  const t = blank(v)?.toLowerCase();
  if (t === undefined) return undefined;
  if (['yes', 'true', '1', 'y'].includes(t)) return true;
  if (['no', 'false', '0', 'n'].includes(t)) return false;
  return t; // left as text so validation names the field
}

/** The CSV header row is row 1; data starts at row 2 (what a spreadsheet shows). */
function parseCsv(text: string, columns: readonly string[]): { rows: Row[]; errors: ImportRowError[] } {
  let records: Row[];
  try {
    records = parse(text, {
      columns: (h: string[]) => h.map((c) => c.trim().toLowerCase()),
      skip_empty_lines: true,
      trim: true,
      bom: true,
      relax_column_count: false,
    });
  } catch (err) {
    const e = err as { lines?: number; message: string };
    return { rows: [], errors: [{ row: e.lines ?? 0, field: '(file)', message: `Not valid CSV: ${e.message}` }] };
  }
  const errors: ImportRowError[] = [];
  const header = records.length ? Object.keys(records[0]!) : [];
  const unknown = header.filter((h) => !columns.includes(h));
  if (unknown.length) errors.push({ row: 1, field: unknown.join(', '), message: `unknown column(s); expected: ${columns.join(', ')}` });
  if (!records.length) errors.push({ row: 1, field: '(file)', message: 'no data rows' });
  if (records.length > MAX_ROWS) errors.push({ row: MAX_ROWS + 2, field: '(file)', message: `at most ${MAX_ROWS} rows per import` });
  return { rows: records, errors };
}

/**
 * A validation problem in the words of a spreadsheet: what to write in the cell (yes/no, one of the listed
 * values, a number), not the validator's types ("expected boolean, received string").
 */
function cellMessage(i: z.core.$ZodIssue): string {
  if (i.code === 'invalid_type') {
    if (i.expected === 'boolean') return 'write yes or no (true/false and 1/0 work too)';
    if (i.expected === 'number' || i.expected === 'int') return 'write a number';
    if (i.expected === 'string' || i.expected === 'array' || i.expected === 'object') return 'this column is required';
  }
  if (i.code === 'invalid_value' && i.values.length) return `write one of: ${i.values.map(String).join(', ')}`;
  return i.message;
}

function issues(row: number, error: z.ZodError, rename: Record<string, string>): ImportRowError[] {
  return error.issues.map((i) => {
    const path = i.path.map(String).join('.');
    return { row, field: rename[path] ?? path, message: cellMessage(i) };
  });
}

const VENDOR_FIELD_NAMES: Record<string, string> = {
  legalName: 'legal_name',
  'identifiers.lei': 'lei',
  'identifiers.cik': 'cik',
  'identifiers.companyNumber': 'company_number',
  'identifiers.duns': 'duns',
  'intake.servedCriticality': 'served_criticality',
  'intake.dataSensitivity': 'data_sensitivity',
  'intake.aiModelProvider': 'ai_model_provider',
  'intake.substitutability': 'substitutability',
  'intake.financialHealth': 'financial_health',
};

/**
 * Bulk onboarding from CSV. Every row is validated first and every error is reported with its row
 * and column; an import with any error writes nothing. A clean import runs in one transaction.
 */
@Injectable()
export class CsvImportService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly vendors: VendorService,
    private readonly services: ServiceCatalog,
    private readonly audit: AuditLogService,
  ) {}

  async importVendors(text: string, dryRun: boolean): Promise<ImportResult> {
    const { rows, errors } = parseCsv(text, VENDOR_COLUMNS);
    const inputs: CreateVendorInput[] = [];
    const seen = new Map<string, number>();
    const existing = new Set(
      (await scoped(this.dataSource.manager, Vendor, 'v').select(['v.name']).getMany()).map((v) => v.name.toLowerCase()),
    );
    rows.forEach((r, i) => {
      const row = i + 2;
      const parsed = createVendorSchema.safeParse({
        name: r['name'] ?? '',
        legalName: orNull(r['legal_name']),
        website: orNull(r['website']),
        country: blank(r['country'])?.toUpperCase() ?? null,
        lifecycle: blank(r['lifecycle']),
        identifiers: {
          lei: orNull(r['lei'])?.toUpperCase() ?? null,
          cik: orNull(r['cik']),
          companyNumber: orNull(r['company_number']),
          duns: orNull(r['duns']),
        },
        intake: {
          servedCriticality: blank(r['served_criticality']),
          dataSensitivity: blank(r['data_sensitivity']),
          aiModelProvider: bool(r['ai_model_provider']) ?? false,
          substitutability: blank(r['substitutability']),
          financialHealth: blank(r['financial_health']),
        },
        description: orNull(r['description']),
      });
      if (!parsed.success) return void errors.push(...issues(row, parsed.error, VENDOR_FIELD_NAMES));
      const key = parsed.data.name.toLowerCase();
      if (seen.has(key)) errors.push({ row, field: 'name', message: `duplicate of row ${seen.get(key)}` });
      else if (existing.has(key)) errors.push({ row, field: 'name', message: 'a vendor with this name already exists' });
      seen.set(key, row);
      inputs.push(parsed.data);
    });
    return this.finish('vendors', inputs, errors, dryRun, async (m, input) => void (await this.vendors.insert(m, input)));
  }

  async importServices(text: string, dryRun: boolean): Promise<ImportResult> {
    const { rows, errors } = parseCsv(text, SERVICE_COLUMNS);
    const m = this.dataSource.manager;
    const vendors = await scoped(m, Vendor, 'v').select(['v.id', 'v.name', 'v.slug']).getMany();
    const vendorByKey = new Map<string, string>();
    for (const v of vendors) {
      vendorByKey.set(v.name.toLowerCase(), v.id);
      vendorByKey.set(v.slug, v.id);
    }
    const existing = new Set(
      (await scoped(m, Service, 's').select(['s.vendorId', 's.name']).getMany()).map((s) => `${s.vendorId}|${s.name.toLowerCase()}`),
    );
    const seen = new Map<string, number>();
    const inputs: CreateServiceInput[] = [];
    rows.forEach((r, i) => {
      const row = i + 2;
      const vendorId = vendorByKey.get((r['vendor'] ?? '').trim().toLowerCase());
      if (!vendorId) return void errors.push({ row, field: 'vendor', message: `no vendor named "${r['vendor'] ?? ''}"` });
      const models = list(r['models']).map((m) => {
        const [model, version, deprecationDate] = m.split('@').map((x) => x.trim());
        return { model: model ?? '', version: version ?? '', deprecationDate: deprecationDate || null };
      });
      const parsed = createServiceSchema.safeParse({
        vendorId,
        name: r['name'] ?? '',
        kind: blank(r['kind']),
        regions: list(r['regions']),
        description: orNull(r['description']),
        models,
      });
      if (!parsed.success)
        return void errors.push(
          ...issues(row, parsed.error, {}).map((e) => ({
            ...e,
            field: e.field.startsWith('models') ? 'models' : e.field.startsWith('regions') ? 'regions' : e.field,
          })),
        );
      const key = `${vendorId}|${parsed.data.name.toLowerCase()}`;
      if (seen.has(key)) errors.push({ row, field: 'name', message: `duplicate of row ${seen.get(key)}` });
      else if (existing.has(key)) errors.push({ row, field: 'name', message: 'this vendor already has a service with this name' });
      seen.set(key, row);
      inputs.push(parsed.data);
    });
    return this.finish('services', inputs, errors, dryRun, async (tx, input) => void (await this.services.insert(tx, input)));
  }

  private async finish<T>(
    kind: string,
    inputs: T[],
    errors: ImportRowError[],
    dryRun: boolean,
    insert: (m: import('typeorm').EntityManager, input: T) => Promise<void>,
  ): Promise<ImportResult> {
    errors.sort((a, b) => a.row - b.row);
    if (errors.length) {
      const result: ImportResult = { ok: false, dryRun, created: 0, errors };
      throw new ImportFailed(result);
    }
    if (dryRun) return { ok: true, dryRun, created: 0, errors: [] };
    await this.dataSource.transaction(async (m) => {
      for (const input of inputs) await insert(m, input);
      await this.audit.append(m, { action: `import.${kind}`, entityType: 'import', diff: { rows: inputs.length } });
    });
    return { ok: true, dryRun, created: inputs.length, errors: [] };
  }
}

/** 422 whose body is the ImportResult itself, so clients get the row errors in one shape. */
export class ImportFailed extends DomainException {
  constructor(readonly result: ImportResult) {
    super(
      'import.invalid_rows',
      'invalid',
      `${result.errors.length} problem(s) found; nothing was imported`,
      result.errors.slice(0, 50).map((e) => ({ path: `row ${e.row}: ${e.field}`, message: e.message })),
      undefined,
      result,
    );
  }
}
