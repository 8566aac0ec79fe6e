import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { MIGRATIONS } from '@bulwark/migrations';
import { runMigrations, startEmbeddedPostgres, type EmbeddedPostgres } from '@bulwark/platform';

/**
 * The move of contract documents into the evidence vault on PGlite (embedded mode), with data: the API test
 * (`contract-documents.spec.ts`) runs it on the run's database, PostgreSQL whenever there is one, and downloads
 * the moved files; this one makes sure the same SQL moves rows on PGlite too.
 */
const NAME = 'ContractDocumentsAsEvidence1764600000000';
const at = MIGRATIONS.findIndex((M) => new M().name === NAME);
const migration = new MIGRATIONS[at]!();
const dataDir = mkdtempSync(join(tmpdir(), 'bulwark-pglite-docs-'));
let pg: EmbeddedPostgres;
let ds: DataSource;
const sha = (s: string) => createHash('sha256').update(s).digest('hex');
/** When the documents were uploaded, kept by the move. */
const uploadedAt = new Date(Date.now() - 30 * 86400_000);

async function run(step: 'up' | 'down'): Promise<void> {
  const qr = ds.createQueryRunner();
  try {
    await migration[step](qr);
  } finally {
    await qr.release();
  }
}

beforeAll(async () => {
  pg = await startEmbeddedPostgres({ dataDir: join(dataDir, 'pgdata'), maxConnections: 4 });
  await runMigrations({ url: pg.url, entities: [], migrations: MIGRATIONS.slice(0, at) });
  ds = new DataSource({ type: 'postgres', url: pg.url, entities: [], poolSize: 1 });
  await ds.initialize();
}, 120_000);
afterAll(async () => {
  await ds?.destroy();
  await pg?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('contract documents into the vault, on PGlite', () => {
  it('moves each row into a contract-kind item, its revision and its link, drops the table, and comes back with down', async () => {
    const [org] = await ds.query(`INSERT INTO organizations (name, slug) VALUES ('Docs Org', 'docs-org') RETURNING id`);
    const [staff] = await ds.query(
      `INSERT INTO users (organization_id, email, name, role, password_hash) VALUES ($1, 'p@docs.test', 'Pat Procurement', 'procurement', 'x') RETURNING id`,
      [org.id],
    );
    const [vendor] = await ds.query(
      `INSERT INTO vendors (organization_id, name, slug, lifecycle, owner_id, intake, computed_tier, tier_score, tier)
       VALUES ($1, 'Acme', 'acme', 'active', $2, '{}', 'low', 0, 'low') RETURNING id`,
      [org.id, staff.id],
    );
    const [contract] = await ds.query(
      `INSERT INTO contracts (organization_id, vendor_id, title, status, effective_date, renewal_notice_days, currency, clauses)
       VALUES ($1, $2, 'Acme MSA', 'active', current_date, 30, 'USD', '{}') RETURNING id`,
      [org.id, vendor.id],
    );
    const docs = [
      { id: 'a3c1e9d2-5b4f-4e6a-8c7d-1f2e3d4c5b6a', name: 'Acme MSA.pdf', type: 'application/pdf', body: 'msa', by: staff.id },
      { id: 'b4d2f0e3-6c5a-4f7b-9d8e-2a3f4e5d6c7b', name: 'notes', type: 'text/html', body: 'notes', by: null },
    ];
    for (const d of docs)
      await ds.query(
        `INSERT INTO contract_documents (id, organization_id, contract_id, vendor_id, file_name, content_type, size_bytes, sha256, uploaded_by, uploaded_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
        [d.id, org.id, contract.id, vendor.id, d.name, d.type, d.body.length, sha(d.body), d.by, uploadedAt],
      );

    await run('up');
    expect((await ds.query(`SELECT to_regclass('contract_documents') AS t`))[0].t).toBeNull();
    const moved = await ds.query(
      `SELECT e.id, e.title, e.kind, e.confidentiality, e.owner_id, e.current_revision_id, r.number, r.file_name, r.media_type, r.sha256,
              r.scan, r.uploaded_by, r.uploaded_at, l.target_type, l.target_id
         FROM evidence_items e JOIN evidence_revisions r ON r.evidence_id = e.id JOIN evidence_links l ON l.revision_id = r.id
        ORDER BY e.title`,
    );
    expect(moved).toMatchObject([
      {
        id: docs[0]!.id,
        title: 'Acme MSA',
        kind: 'contract',
        confidentiality: 'confidential',
        owner_id: staff.id,
        current_revision_id: docs[0]!.id,
        number: 1,
        file_name: 'Acme MSA.pdf',
        media_type: 'application/pdf',
        sha256: sha('msa'),
        scan: 'not_scanned',
        uploaded_by: staff.id,
        target_type: 'contract',
        target_id: contract.id,
      },
      // Not a type the vault accepts: served as bytes, never as markup. No uploader left: the vendor's owner owns it.
      { id: docs[1]!.id, title: 'notes', media_type: 'application/octet-stream', owner_id: staff.id, uploaded_by: null },
    ]);
    for (const row of moved) expect(new Date(row.uploaded_at).getTime()).toBe(uploadedAt.getTime());

    await run('down');
    const restored = await ds.query(`SELECT id, file_name, content_type, sha256 FROM contract_documents ORDER BY file_name`);
    expect(restored).toEqual([
      { id: docs[0]!.id, file_name: 'Acme MSA.pdf', content_type: 'application/pdf', sha256: sha('msa') },
      { id: docs[1]!.id, file_name: 'notes', content_type: 'application/octet-stream', sha256: sha('notes') },
    ]);
    await run('up');
    expect((await ds.query(`SELECT count(*)::int AS n FROM evidence_items`))[0].n).toBe(2);
    expect((await ds.query(`SELECT count(*)::int AS n FROM evidence_links`))[0].n).toBe(2);
  });
});
