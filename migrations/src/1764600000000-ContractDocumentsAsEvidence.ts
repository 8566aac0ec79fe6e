import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The media types the evidence vault accepts (libs/domain/evidence media-type.ts), as a SQL list. */
const VAULT_TYPES = [
  'application/pdf',
  'image/png',
  'image/jpeg',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  'application/zip',
  'text/plain',
  'text/csv',
]
  .map((t) => `'${t}'`)
  .join(', ');

/**
 * Contract documents become evidence of kind `contract` (docs/adr/0014-contract-documents-are-evidence.md).
 * Each `contract_documents` row becomes, under its own id:
 *
 * - an evidence item of the contract's vendor, titled after the file name without its extension, confidential,
 *   owned by the uploader when that is still a member of staff (else the vendor's internal owner), created
 *   when the file was uploaded, no validity dates;
 * - its revision 1: the same file name, size, SHA-256 (storage is content-addressed by it, so the revision
 *   reads the very blob the document did: nothing is copied and the download's hash check still holds),
 *   uploader and time; the declared content type when the vault accepts that type, else
 *   `application/octet-stream` (these files were never judged by their content); scan `not_scanned`;
 * - a link of that revision to the contract, made by the uploader at the upload time.
 *
 * No audit entries are written (the log's MAC key is not the migration's): the uploads' own
 * `contract.document_uploaded` entries stay the record. Then `contract_documents` is dropped; the agreements
 * area reads the vault, so no view is kept.
 *
 * Safe to run again on the same data (one transaction, every insert skips what exists): a document already in
 * the vault (a contract-kind revision with its SHA-256 linked to its contract, as `down` leaves them) is not
 * copied twice, and the table is dropped only once every row is accounted for.
 */
export class ContractDocumentsAsEvidence1764600000000 implements MigrationInterface {
  name = 'ContractDocumentsAsEvidence1764600000000';

  async up(q: QueryRunner): Promise<void> {
    await inOneTransaction(q, () => this.move(q));
  }

  private async move(q: QueryRunner): Promise<void> {
    const [{ present }] = (await q.query(`SELECT to_regclass('contract_documents') IS NOT NULL AS present`)) as [{ present: boolean }];
    if (!present) return;
    // The documents still to move: not yet a contract-kind revision of that file linked to that contract.
    await q.query(`DROP TABLE IF EXISTS pg_temp.contract_documents_to_move`);
    await q.query(`
      CREATE TEMPORARY TABLE contract_documents_to_move AS
      SELECT d.id, d.organization_id, d.contract_id, c.vendor_id, d.file_name, d.content_type, d.size_bytes, d.sha256,
             d.uploaded_by, d.uploaded_at,
             CASE WHEN u.active AND u.role <> 'vendor_contact' THEN u.id ELSE v.owner_id END AS owner_id
        FROM contract_documents d
        JOIN contracts c ON c.id = d.contract_id
        JOIN vendors v ON v.id = c.vendor_id
        LEFT JOIN users u ON u.id = d.uploaded_by
       WHERE NOT EXISTS (
               SELECT 1 FROM evidence_links l
                 JOIN evidence_revisions r ON r.id = l.revision_id
                 JOIN evidence_items e ON e.id = l.evidence_id
                WHERE l.target_type = 'contract' AND l.target_id = d.contract_id AND e.kind = 'contract' AND r.sha256 = d.sha256)
         AND NOT EXISTS (SELECT 1 FROM evidence_items e WHERE e.id = d.id)
         AND NOT EXISTS (SELECT 1 FROM evidence_revisions r WHERE r.id = d.id)`);
    await q.query(`
      INSERT INTO evidence_items (id, organization_id, vendor_id, title, kind, confidentiality, owner_id, current_revision_id, valid_until,
                                  integrity, created_at, updated_at, version)
      SELECT id, organization_id, vendor_id,
             left(coalesce(nullif(btrim(regexp_replace(file_name, '\\.[A-Za-z0-9]{1,10}$', '')), ''), file_name), 200),
             'contract', 'confidential', owner_id, NULL, NULL, 'ok', uploaded_at, uploaded_at, 1
        FROM contract_documents_to_move
      ON CONFLICT (id) DO NOTHING`);
    await q.query(`
      INSERT INTO evidence_revisions (id, organization_id, evidence_id, vendor_id, number, file_name, media_type, size_bytes, sha256, scan,
                                      integrity, effective_date, valid_from, valid_until, uploaded_by, uploaded_at)
      SELECT id, organization_id, id, vendor_id, 1, file_name,
             CASE WHEN lower(content_type) IN (${VAULT_TYPES}) THEN lower(content_type) ELSE 'application/octet-stream' END,
             size_bytes, sha256, 'not_scanned', 'ok', NULL, NULL, NULL, uploaded_by, uploaded_at
        FROM contract_documents_to_move
      ON CONFLICT (id) DO NOTHING`);
    await q.query(`
      UPDATE evidence_items e SET current_revision_id = m.id FROM contract_documents_to_move m WHERE e.id = m.id AND e.current_revision_id IS NULL`);
    await q.query(`
      INSERT INTO evidence_links (organization_id, evidence_id, revision_id, vendor_id, target_type, target_id, created_by, created_at)
      SELECT organization_id, id, id, vendor_id, 'contract', contract_id, uploaded_by, uploaded_at
        FROM contract_documents_to_move
      ON CONFLICT (revision_id, target_type, target_id) DO NOTHING`);
    // Nothing is dropped that the vault does not hold: every document is now a contract-kind revision of its file linked to its contract.
    const [{ missing }] = (await q.query(`
      SELECT count(*)::int AS missing FROM contract_documents d
       WHERE NOT EXISTS (
               SELECT 1 FROM evidence_links l
                 JOIN evidence_revisions r ON r.id = l.revision_id
                 JOIN evidence_items e ON e.id = l.evidence_id
                WHERE l.target_type = 'contract' AND l.target_id = d.contract_id AND e.kind = 'contract' AND r.sha256 = d.sha256)`)) as [
      { missing: number },
    ];
    if (missing > 0)
      throw new Error(
        `${missing} contract document(s) could not be moved into the evidence vault (their id is taken by other evidence); contract_documents was kept`,
      );
    await q.query(`DROP TABLE contract_documents_to_move`);
    await q.query(`DROP TABLE contract_documents`);
  }

  /**
   * Restores `contract_documents` from the vault: one row per revision of a contract-kind evidence item linked
   * to an existing contract (its id the revision's, or the link's for a revision linked to a second contract),
   * with the revision's file name, media type, size, SHA-256, uploader and time. The evidence stays in the vault
   * (it may have gained revisions, links, comments or finding references the old table cannot hold), so the
   * release before this one shows those files both on the contract and in the vault; running `up` again
   * recognises them and copies nothing twice. What the old table cannot express (titles, owners,
   * confidentiality, validity dates, scan status, superseded revisions not linked to the contract) stays in the
   * vault only.
   */
  async down(q: QueryRunner): Promise<void> {
    await inOneTransaction(q, () => this.restore(q));
  }

  private async restore(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE contract_documents (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
        contract_id uuid NOT NULL REFERENCES contracts(id) ON DELETE CASCADE,
        vendor_id uuid NOT NULL REFERENCES vendors(id) ON DELETE CASCADE,
        file_name text NOT NULL,
        content_type text NOT NULL,
        size_bytes bigint NOT NULL,
        sha256 text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
        uploaded_by uuid REFERENCES users(id) ON DELETE SET NULL,
        uploaded_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX contract_documents_contract ON contract_documents (contract_id)`);
    await q.query(`
      INSERT INTO contract_documents (id, organization_id, contract_id, vendor_id, file_name, content_type, size_bytes, sha256, uploaded_by, uploaded_at)
      SELECT CASE WHEN row_number() OVER (PARTITION BY r.id ORDER BY l.created_at, l.id) = 1 THEN r.id ELSE l.id END,
             l.organization_id, c.id, c.vendor_id, r.file_name, r.media_type, r.size_bytes, r.sha256, r.uploaded_by, r.uploaded_at
        FROM evidence_links l
        JOIN evidence_items e ON e.id = l.evidence_id
        JOIN evidence_revisions r ON r.id = l.revision_id
        JOIN contracts c ON c.id = l.target_id AND c.organization_id = l.organization_id
       WHERE l.target_type = 'contract' AND e.kind = 'contract'`);
  }
}

/** Runs `work` in the migration's transaction, or in one of its own when run without one (`transaction: 'none'`). */
async function inOneTransaction(q: QueryRunner, work: () => Promise<void>): Promise<void> {
  if (q.isTransactionActive) return work();
  await q.startTransaction();
  try {
    await work();
    await q.commitTransaction();
  } catch (err) {
    await q.rollbackTransaction();
    throw err;
  }
}
