import { createHash } from 'node:crypto';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { MIGRATIONS } from '@bulwark/migrations';
import { Reminders, STORAGE, type Storage } from '@bulwark/platform';

import { auth, bootApp, login, seedOrgs, type TestApp } from '../support/app';
import { TINY_PDF } from '../support/evidence';

let t: TestApp;
let ds: DataSource;
let procurement: string;
let bloombergId: string;
let contractId: string;
const pdf = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(200_000, 7), Buffer.from('\n%%EOF')]);
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const day = (days: number) => new Date(Date.now() + days * 86400_000).toISOString().slice(0, 10);

/** A download as bytes, whatever its content type. */
const fetchFile = (path: string, token: string) =>
  t.http
    .get(path)
    .set(auth(token))
    .buffer(true)
    .parse((r, cb) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => cb(null, Buffer.concat(chunks)));
    });

const uploadDocument = (contract: string, name: string, body: Buffer | string, type = 'application/pdf', token = procurement) =>
  t.http
    .post(`/api/contracts/${contract}/documents?name=${encodeURIComponent(name)}`)
    .set(auth(token))
    .set('content-type', type)
    .send(body);

const contractEvidenceCount = async () =>
  (await ds.query(`SELECT count(*)::int AS n FROM evidence_items WHERE kind = 'contract'`))[0].n as number;

async function newContract(vendorId: string, title: string): Promise<string> {
  const c = await t.http
    .post('/api/contracts')
    .set(auth(procurement))
    .send({ vendorId, title, status: 'active', effectiveDate: day(-400), expiryDate: day(100), renewalNoticeDays: 90 });
  expect(c.status).toBe(201);
  return c.body.id as string;
}

beforeAll(async () => {
  t = await bootApp({ FILE_MAX_MB: '1' });
  await seedOrgs(t, false);
  ds = t.app.get(DataSource);
  procurement = await login(t, 'procurement@demo.bulwark.test');
  [{ id: bloombergId }] = await ds.query(`SELECT id FROM vendors WHERE name = 'Bloomberg'`);
  contractId = await newContract(bloombergId, 'Bloomberg Data License');
});
afterAll(async () => t?.close());

describe('contract documents are evidence of kind contract', () => {
  let documentId: string;
  let evidenceId: string;

  it('uploads through the evidence intake: a contract-kind item of the vendor, linked to the contract, audited in one go', async () => {
    const res = await uploadDocument(contractId, 'Bloomberg MSA 2024.pdf', pdf);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      title: 'Bloomberg MSA 2024',
      fileName: 'Bloomberg MSA 2024.pdf',
      contentType: 'application/pdf',
      sizeBytes: pdf.length,
      sha256: sha(pdf),
      scan: 'not_scanned',
      integrity: 'ok',
      uploadedBy: { name: expect.any(String) },
    });
    documentId = res.body.id;
    evidenceId = res.body.evidenceId;
    const item = await t.http.get(`/api/evidence/${evidenceId}`).set(auth(procurement));
    expect(item.status).toBe(200);
    expect(item.body).toMatchObject({
      vendorId: bloombergId,
      kind: 'contract',
      title: 'Bloomberg MSA 2024',
      confidentiality: 'confidential',
      owner: { name: expect.any(String) },
      current: { id: documentId, sha256: sha(pdf) },
      links: [{ targetType: 'contract', targetId: contractId, targetLabel: 'Bloomberg Data License', revisionId: documentId }],
    });
    const entries = await ds.query(`SELECT action, diff FROM audit_log WHERE entity_type = 'evidence' AND entity_id = $1 ORDER BY seq`, [
      evidenceId,
    ]);
    expect(entries.map((e: { action: string }) => e.action)).toEqual(['evidence.uploaded', 'evidence.linked']);
    expect(entries[0].diff.revision.sha256).toBe(sha(pdf));
    expect(entries[1].diff).toMatchObject({ targetType: 'contract', targetId: contractId, revisionId: documentId });
    const vault = await t.http.get(`/api/evidence?targetType=contract&targetId=${contractId}`).set(auth(procurement));
    expect(vault.body.items.map((i: { id: string }) => i.id)).toEqual([evidenceId]);
  });

  it('downloads through the evidence download after verifying the hash; vendor contacts read only their own vendor’s', async () => {
    const list = await t.http.get(`/api/contracts/${contractId}/documents`).set(auth(procurement));
    expect(list.body.map((d: { id: string }) => d.id)).toEqual([documentId]);
    const res = await fetchFile(`/api/contracts/${contractId}/documents/${documentId}`, procurement);
    expect(res.status).toBe(200);
    expect(res.headers['content-disposition']).toBe(`attachment; filename*=UTF-8''Bloomberg%20MSA%202024.pdf`);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(sha(res.body as Buffer)).toBe(sha(pdf));
    const bloomberg = await login(t, 'contact@bloomberg.demo.bulwark.test');
    const own = await t.http.get(`/api/contracts/${contractId}/documents`).set(auth(bloomberg));
    expect(own.status).toBe(200);
    expect(own.body.map((d: { id: string }) => d.id)).toEqual([documentId]);
    expect(sha((await fetchFile(`/api/contracts/${contractId}/documents/${documentId}`, bloomberg)).body as Buffer)).toBe(sha(pdf));
    const openai = await login(t, 'contact@openai.demo.bulwark.test');
    expect((await t.http.get(`/api/contracts/${contractId}/documents`).set(auth(openai))).status).toBe(404);
    expect((await t.http.get(`/api/contracts/${contractId}/documents/${documentId}`).set(auth(openai))).status).toBe(404);
    // A document id of another contract is not this contract's.
    const other = await newContract(bloombergId, 'Bloomberg Terminal Agreement');
    expect((await t.http.get(`/api/contracts/${other}/documents/${documentId}`).set(auth(procurement))).status).toBe(404);
  });

  it('lists only contract-kind evidence: other evidence linked to the contract stays in the vault', async () => {
    const manager = await login(t, 'manager@demo.bulwark.test');
    const soc2 = await t.http
      .post('/api/evidence')
      .set(auth(manager))
      .field('vendorId', bloombergId)
      .field('kind', 'soc2_type2')
      .field('title', 'Bloomberg SOC 2')
      .attach('file', TINY_PDF, { filename: 'soc2.pdf', contentType: 'application/pdf' });
    expect(soc2.status).toBe(201);
    expect(
      (await t.http.post(`/api/evidence/${soc2.body.id}/links`).set(auth(manager)).send({ targetType: 'contract', targetId: contractId }))
        .status,
    ).toBe(201);
    const docs = await t.http.get(`/api/contracts/${contractId}/documents`).set(auth(procurement));
    expect(docs.body.map((d: { id: string }) => d.id)).toEqual([documentId]);
    expect((await t.http.get(`/api/contracts/${contractId}/documents/${soc2.body.current.id}`).set(auth(procurement))).status).toBe(404);
  });

  it('keeps contract documents to procurement and admins, through these routes and through the vault', async () => {
    const admin = await login(t, 'admin@demo.bulwark.test');
    const manager = await login(t, 'manager@demo.bulwark.test');
    const contact = await login(t, 'contact@bloomberg.demo.bulwark.test');
    const byAdmin = await uploadDocument(contractId, 'Annex A.txt', 'Annex A: service levels\n', 'text/plain', admin);
    expect(byAdmin.status).toBe(201);
    expect(byAdmin.body).toMatchObject({ title: 'Annex A', contentType: 'text/plain' });
    for (const token of [manager, contact])
      expect((await uploadDocument(contractId, 'x.pdf', TINY_PDF, 'application/pdf', token)).status).toBe(403);
    const before = await contractEvidenceCount();
    for (const token of [manager, contact]) {
      const viaVault = await t.http
        .post('/api/evidence')
        .set(auth(token))
        .field('vendorId', bloombergId)
        .field('kind', 'contract')
        .field('title', 'Our own contract copy')
        .attach('file', TINY_PDF, { filename: 'contract.pdf', contentType: 'application/pdf' });
      expect(viaVault.status).toBe(403);
      expect(viaVault.body.error).toMatchObject({ code: 'evidence.kind_not_writable', fields: [{ path: 'kind' }] });
      const revision = await t.http.post(`/api/evidence/${evidenceId}/revisions`).set(auth(token)).attach('file', TINY_PDF, 'v2.pdf');
      expect(revision.status).toBe(403);
      const other = await newContract(bloombergId, `Side letter ${token.slice(-4)}`);
      expect(
        (await t.http.post(`/api/evidence/${evidenceId}/links`).set(auth(token)).send({ targetType: 'contract', targetId: other })).status,
      ).toBe(403);
      const item = await t.http.get(`/api/evidence/${evidenceId}`).set(auth(token));
      expect((await t.http.delete(`/api/evidence/${evidenceId}/links/${item.body.links[0].id}`).set(auth(token))).status).toBe(403);
    }
    expect(await contractEvidenceCount()).toBe(before);
    expect((await t.http.get(`/api/contracts/${contractId}/documents`).set(auth(procurement))).body).toHaveLength(2);
  });

  it('refuses a file over the limit, an empty one, markup, a multipart form or a missing name, keeping nothing', async () => {
    const before = await contractEvidenceCount();
    const big = await uploadDocument(contractId, 'big.pdf', Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(1024 * 1024 + 10, 7)]));
    expect(big.status).toBe(413);
    expect((await uploadDocument(contractId, 'empty.txt', '', 'text/plain')).status).toBe(400);
    const html = await uploadDocument(contractId, 'msa.pdf', '<html><script>alert(1)</script></html>', 'application/pdf');
    expect(html.status).toBe(422);
    expect(html.body.error).toMatchObject({ code: 'evidence.type_not_allowed', fields: [{ path: 'file' }] });
    const form = await t.http
      .post(`/api/contracts/${contractId}/documents?name=msa.pdf`)
      .set(auth(procurement))
      .attach('file', TINY_PDF, 'msa.pdf');
    expect(form.status).toBe(400);
    expect(form.body.error.code).toBe('document.raw_body_required');
    const noName = await t.http
      .post(`/api/contracts/${contractId}/documents`)
      .set(auth(procurement))
      .set('content-type', 'application/pdf')
      .send(pdf);
    expect(noName.status).toBe(422);
    expect(noName.body.error.fields[0].path).toBe('query.name');
    expect(await contractEvidenceCount()).toBe(before);
    expect(readdirSync(join(t.dataDir, 'files', 'tmp'))).toEqual([]);
  });

  it('refuses to serve a file that no longer matches its hash and flags the evidence', async () => {
    const dir = join(t.dataDir, 'files', sha(pdf).slice(0, 2), sha(pdf).slice(2, 4));
    expect(readdirSync(dir)).toEqual([sha(pdf)]);
    writeFileSync(join(dir, sha(pdf)), 'tampered');
    const res = await t.http.get(`/api/contracts/${contractId}/documents/${documentId}`).set(auth(procurement));
    expect(res.status).toBe(500);
    expect(res.body.error).toMatchObject({ code: 'file.integrity', errorId: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    const [doc] = (await t.http.get(`/api/contracts/${contractId}/documents`).set(auth(procurement))).body.filter(
      (d: { id: string }) => d.id === documentId,
    );
    expect(doc.integrity).toBe('failed');
    expect((await t.http.get(`/api/evidence/${evidenceId}`).set(auth(procurement))).body.integrity).toBe('failed');
  });
});

describe('migration of the old contract documents into the vault', () => {
  const migration = MIGRATIONS.map((M) => new M()).find((m) => m.name === 'ContractDocumentsAsEvidence1764600000000')!;
  const oldPdf = Buffer.concat([
    Buffer.from('%PDF-1.4\n'),
    Buffer.from('Signed master agreement, 2023\n'.repeat(500)),
    Buffer.from('%%EOF\n'),
  ]);
  const oldBin = Buffer.from([0x00, 0x01, 0x02, 0xfe, 0xff, 0x10, 0x20, 0x30]);
  const ids = { pdf: '4e0a6f1c-3a57-4c1e-9a63-6f0b1d2c3e4f', bin: '7b1c2d3e-4f50-4a61-8b72-9c8d7e6f5a4b' };
  let oldContract: string;

  async function run(step: 'up' | 'down'): Promise<void> {
    const qr = ds.createQueryRunner();
    try {
      await migration[step](qr);
    } finally {
      await qr.release();
    }
  }

  it('restores the table from the vault (down), then turns old rows and their stored files into evidence (up) that download with their hash', async () => {
    oldContract = await newContract(bloombergId, 'Bloomberg Enterprise Agreement 2023');
    const [{ id: procurementId }] = await ds.query(`SELECT id FROM users WHERE email = 'procurement@demo.bulwark.test'`);
    const [{ owner_id: vendorOwner }] = await ds.query(`SELECT owner_id FROM vendors WHERE id = $1`, [bloombergId]);
    const [{ id: contactId }] = await ds.query(`SELECT id FROM users WHERE email = 'contact@bloomberg.demo.bulwark.test'`);

    await run('down');
    // The documents uploaded above are back in the old table, under their revision ids.
    const restored = await ds.query(`SELECT id, file_name, sha256 FROM contract_documents WHERE contract_id = $1 ORDER BY file_name`, [
      contractId,
    ]);
    expect(restored.map((r: { file_name: string }) => r.file_name)).toEqual(['Annex A.txt', 'Bloomberg MSA 2024.pdf']);

    // What the previous release stored: the files by their SHA-256, the rows in the old schema.
    const storage = t.app.get<Storage>(STORAGE);
    for (const file of [oldPdf, oldBin]) expect((await storage.put(Readable.from(file), 1024 * 1024)).sha256).toBe(sha(file));
    const uploadedAt = new Date(Date.now() - 300 * 86400_000).toISOString();
    await ds.query(
      `INSERT INTO contract_documents (id, organization_id, contract_id, vendor_id, file_name, content_type, size_bytes, sha256, uploaded_by, uploaded_at)
       SELECT $1, organization_id, id, vendor_id, 'Enterprise Agreement (signed).PDF', 'Application/PDF', $2, $3, $4, $5 FROM contracts WHERE id = $6`,
      [ids.pdf, oldPdf.length, sha(oldPdf), procurementId, uploadedAt, oldContract],
    );
    await ds.query(
      `INSERT INTO contract_documents (id, organization_id, contract_id, vendor_id, file_name, content_type, size_bytes, sha256, uploaded_by, uploaded_at)
       SELECT $1, organization_id, id, vendor_id, 'pricing.bin', 'application/x-custom', $2, $3, $4, $5 FROM contracts WHERE id = $6`,
      [ids.bin, oldBin.length, sha(oldBin), contactId, uploadedAt, oldContract],
    );
    const itemsBefore = await contractEvidenceCount();

    await run('up');
    expect((await ds.query(`SELECT to_regclass('contract_documents') AS t`))[0].t).toBeNull();
    // The documents that were in the vault already are not copied again; the two old rows are new items.
    expect(await contractEvidenceCount()).toBe(itemsBefore + 2);
    expect((await t.http.get(`/api/contracts/${contractId}/documents`).set(auth(procurement))).body).toHaveLength(2);

    const docs = await t.http.get(`/api/contracts/${oldContract}/documents`).set(auth(procurement));
    expect(docs.status).toBe(200);
    const byId = new Map(docs.body.map((d: { id: string }) => [d.id, d]));
    expect([...byId.keys()].sort()).toEqual([ids.pdf, ids.bin].sort());
    expect(byId.get(ids.pdf)).toMatchObject({
      evidenceId: ids.pdf,
      title: 'Enterprise Agreement (signed)',
      fileName: 'Enterprise Agreement (signed).PDF',
      contentType: 'application/pdf',
      sizeBytes: oldPdf.length,
      sha256: sha(oldPdf),
      scan: 'not_scanned',
      integrity: 'ok',
      uploadedBy: { id: procurementId },
      uploadedAt: new Date(uploadedAt).toISOString(),
    });
    expect(byId.get(ids.bin)).toMatchObject({ title: 'pricing', contentType: 'application/octet-stream', uploadedBy: { id: contactId } });

    // The vault holds them as contract-kind evidence of the contract's vendor, owned by a member of staff.
    const pdfItem = (await t.http.get(`/api/evidence/${ids.pdf}`).set(auth(procurement))).body;
    expect(pdfItem).toMatchObject({
      vendorId: bloombergId,
      kind: 'contract',
      confidentiality: 'confidential',
      status: 'no_expiry',
      owner: { id: procurementId },
      createdAt: new Date(uploadedAt).toISOString(),
      revisions: [{ number: 1, superseded: false }],
      links: [{ targetType: 'contract', targetId: oldContract, revisionId: ids.pdf }],
    });
    const binItem = (await t.http.get(`/api/evidence/${ids.bin}`).set(auth(procurement))).body;
    expect(binItem.owner?.id ?? null).toBe(vendorOwner);

    // Downloaded through the API: the same bytes, checked against the same hash, for staff and the vendor's contact.
    const contact = await login(t, 'contact@bloomberg.demo.bulwark.test');
    for (const [id, bytes] of [
      [ids.pdf, oldPdf],
      [ids.bin, oldBin],
    ] as const) {
      for (const token of [procurement, contact]) {
        const res = await fetchFile(`/api/contracts/${oldContract}/documents/${id}`, token);
        expect(res.status).toBe(200);
        expect(res.headers['digest']).toBe(`sha-256=${Buffer.from(sha(bytes), 'hex').toString('base64')}`);
        expect(sha(res.body as Buffer)).toBe(sha(bytes));
      }
      const viaVault = await fetchFile(`/api/evidence/${id}/revisions/${id}/download`, procurement);
      expect(sha(viaVault.body as Buffer)).toBe(sha(bytes));
    }
    expect((await fetchFile(`/api/contracts/${oldContract}/documents/${ids.bin}`, procurement)).headers['content-type']).toBe(
      'application/octet-stream',
    );
  });

  it('runs down and up again without duplicating anything', async () => {
    const snapshot = async () =>
      (
        await ds.query(
          `SELECT e.id, r.sha256, l.target_id FROM evidence_items e JOIN evidence_revisions r ON r.evidence_id = e.id
             JOIN evidence_links l ON l.revision_id = r.id WHERE e.kind = 'contract' ORDER BY e.id, l.target_id`,
        )
      ).map((r: { id: string; sha256: string; target_id: string }) => `${r.id} ${r.sha256} ${r.target_id}`);
    const before = await snapshot();
    await run('down');
    const rows = (await ds.query(`SELECT count(*)::int AS n FROM contract_documents`))[0].n;
    expect(rows).toBe(before.length);
    await run('up');
    expect(await snapshot()).toEqual(before);
    expect((await ds.query(`SELECT to_regclass('contract_documents') AS t`))[0].t).toBeNull();
  });
});

describe('renewal reminders and in-app notifications', () => {
  it('reminds procurement once when the renewal-notice date is within 30 days', async () => {
    const reminders = t.app.get(Reminders);
    await reminders.sweep();
    await reminders.sweep();
    const ledger = await ds.query(`SELECT rule, outcome FROM reminder_ledger WHERE subject_id = $1`, [contractId]);
    expect(ledger).toEqual([{ rule: 'due-30d', outcome: 'sent' }]);
    const list = await t.http.get('/api/notifications').set(auth(procurement));
    const reminder = list.body.items.find(
      (n: { title: string; link: string }) => n.title.startsWith('Renewal notice due') && n.link === `/contracts/${contractId}`,
    );
    expect(reminder).toMatchObject({ link: `/contracts/${contractId}`, readAt: null });
    expect(list.body.unread).toBeGreaterThanOrEqual(1);
    expect((await t.http.post(`/api/notifications/${reminder.id}/read`).set(auth(procurement))).status).toBe(204);
    const manager = await login(t, 'manager@demo.bulwark.test');
    expect((await t.http.post(`/api/notifications/${reminder.id}/read`).set(auth(manager))).status).toBe(404);
    expect((await t.http.post('/api/notifications/read-all').set(auth(procurement))).status).toBe(204);
    expect((await t.http.get('/api/notifications').set(auth(procurement))).body.unread).toBe(0);
  });
});
