import { createHash } from 'node:crypto';
import { readdirSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import type { Response } from 'supertest';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { Reminders } from '@bulwark/platform';

import { auth, bootApp, login, seedOrgs, type TestApp } from '../support/app';

const DAY = 86_400_000;
const dateIn = (days: number) => new Date(Date.now() + days * DAY).toISOString().slice(0, 10);
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

const pdf = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(50_000, 7), Buffer.from('\n%%EOF')]);
const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(100, 1)]);

/** A ZIP whose local headers name these entries (stored, not compressed): enough for the magic-byte check. */
function zipOf(names: string[]): Buffer {
  const parts = names.map((n) => {
    const h = Buffer.alloc(30);
    h.writeUInt32LE(0x04034b50, 0);
    h.writeUInt16LE(Buffer.byteLength(n), 26);
    return Buffer.concat([h, Buffer.from(n), Buffer.from('x')]);
  });
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  return Buffer.concat([...parts, end]);
}

const binary = (
  r: NodeJS.ReadableStream & { on: (e: string, f: (c?: Buffer) => void) => void },
  cb: (e: Error | null, b: Buffer) => void,
) => {
  const chunks: Buffer[] = [];
  r.on('data', (c?: Buffer) => chunks.push(c!));
  r.on('end', () => cb(null, Buffer.concat(chunks)));
};

interface Upload {
  vendorId: string;
  kind?: string;
  title?: string;
  validUntil?: string;
  validFrom?: string;
  effectiveDate?: string;
  file: Buffer;
  fileName: string;
  contentType?: string;
}

function upload(t: TestApp, token: string, u: Upload): Promise<Response> {
  const r = t.http
    .post('/api/evidence')
    .set(auth(token))
    .field('vendorId', u.vendorId)
    .field('kind', u.kind ?? 'iso27001_certificate')
    .field('title', u.title ?? 'ISO 27001 certificate');
  if (u.validUntil) r.field('validUntil', u.validUntil);
  if (u.validFrom) r.field('validFrom', u.validFrom);
  if (u.effectiveDate) r.field('effectiveDate', u.effectiveDate);
  // `filepath` (not `filename`, which form-data cuts to its base name) sends the name exactly as given, `../` included.
  return r.attach('file', u.file, { filepath: u.fileName, contentType: u.contentType ?? 'application/octet-stream' } as never);
}

describe('evidence vault (no scanner configured)', () => {
  let t: TestApp;
  let ds: DataSource;
  let manager: string;
  let openai: string;
  let bloomberg: string;
  let auditor: string;
  let openaiId: string;
  let bloombergId: string;
  let evidenceId: string;

  const fileCount = async () => (await ds.query(`SELECT count(*)::int AS n FROM evidence_revisions`))[0].n as number;
  const tmpEmpty = () => expect(readdirSync(join(t.dataDir, 'files', 'tmp'))).toEqual([]);

  beforeAll(async () => {
    t = await bootApp({ FILE_MAX_MB: '1' });
    await seedOrgs(t, false);
    ds = t.app.get(DataSource);
    manager = await login(t, 'manager@demo.bulwark.test');
    auditor = await login(t, 'auditor@demo.bulwark.test');
    openai = await login(t, 'contact@openai.demo.bulwark.test');
    bloomberg = await login(t, 'contact@bloomberg.demo.bulwark.test');
    [{ id: openaiId }] = await ds.query(`SELECT id FROM vendors WHERE name = 'OpenAI'`);
    [{ id: bloombergId }] = await ds.query(`SELECT id FROM vendors WHERE name = 'Bloomberg'`);
  });
  afterAll(async () => t?.close());

  it('a vendor contact uploads a certificate with its validity: streamed, hashed, typed from the content, honestly not scanned, audited', async () => {
    const res = await upload(t, openai, {
      vendorId: openaiId,
      title: 'ISO 27001 certificate 2026',
      validFrom: dateIn(-300),
      validUntil: dateIn(200),
      effectiveDate: dateIn(-300),
      file: pdf,
      fileName: 'iso-27001.pdf',
      contentType: 'application/pdf',
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({
      vendorId: openaiId,
      vendorName: 'OpenAI',
      kind: 'iso27001_certificate',
      status: 'valid',
      integrity: 'ok',
      validUntil: dateIn(200),
      owner: null,
      current: {
        number: 1,
        fileName: 'iso-27001.pdf',
        mediaType: 'application/pdf',
        sizeBytes: pdf.length,
        sha256: sha(pdf),
        scan: 'not_scanned',
        validFrom: dateIn(-300),
        superseded: false,
        uploadedBy: { name: expect.any(String) },
      },
    });
    evidenceId = res.body.id;
    const [entry] = await ds.query(`SELECT diff FROM audit_log WHERE action = 'evidence.uploaded' AND entity_id = $1`, [evidenceId]);
    expect(entry.diff.revision.sha256).toBe(sha(pdf));
    // Stored by content hash.
    expect(readdirSync(join(t.dataDir, 'files', sha(pdf).slice(0, 2), sha(pdf).slice(2, 4)))).toEqual([sha(pdf)]);
  });

  it('judges the type by magic bytes, not by the name: a PDF named .png is a PDF; HTML named .pdf, SVG with a script and an undeclared ZIP are refused', async () => {
    const disguised = await upload(t, manager, { vendorId: openaiId, file: pdf, fileName: 'scan.png', contentType: 'image/png' });
    expect(disguised.status).toBe(201);
    expect(disguised.body.current).toMatchObject({ mediaType: 'application/pdf', fileName: 'scan.png.pdf' });
    expect(disguised.body.owner).toMatchObject({ name: expect.any(String) }); // an internal uploader owns it

    const before = await fileCount();
    const refusals: [string, Buffer, string, string][] = [
      ['html.pdf', Buffer.from('<!doctype html><html><script>alert(1)</script></html>'), 'application/pdf', 'HTML'],
      ['logo.svg', Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'), 'image/svg+xml', 'SVG'],
      ['data.xml', Buffer.from('<?xml version="1.0"?><a/>'), 'text/xml', 'XML'],
      ['report.bin', zipOf(['a.txt']), 'application/octet-stream', 'ZIP'],
      ['program.pdf', Buffer.from([0x4d, 0x5a, 0x90, 0x00, 0x03, 0x00, 0x00, 0x00]), 'application/pdf', 'accepted type'],
    ];
    for (const [name, body, type, reason] of refusals) {
      const res = await upload(t, manager, { vendorId: openaiId, file: body, fileName: name, contentType: type });
      expect(res.status, name).toBe(422);
      expect(res.body.error.code, name).toBe('evidence.type_not_allowed');
      expect(res.body.error.fields[0].path).toBe('file');
      expect(res.body.error.fields[0].message).toContain(reason);
    }
    expect(await fileCount()).toBe(before);
    tmpEmpty();

    const accepted: [string, Buffer, string, string][] = [
      ['logs.zip', zipOf(['a.txt', 'b.txt']), 'application/zip', 'application/zip'],
      ['soa.docx', zipOf(['[Content_Types].xml', '_rels/.rels', 'word/document.xml']), 'application/octet-stream', 'wordprocessingml'],
      ['controls.xlsx', zipOf(['[Content_Types].xml', 'xl/workbook.xml']), 'application/octet-stream', 'spreadsheetml'],
      ['uptime.csv', Buffer.from('month,availability\n2026-01,99.95\n'), 'text/csv', 'text/csv'],
      ['notes.txt', Buffer.from('Plain text évidence\n'), 'text/plain', 'text/plain'],
      ['diagram.jpg', Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(50, 2)]), 'image/jpeg', 'image/jpeg'],
      ['diagram.png', png, 'image/png', 'image/png'],
    ];
    for (const [name, body, type, media] of accepted) {
      const res = await upload(t, manager, { vendorId: openaiId, kind: 'other', file: body, fileName: name, contentType: type });
      expect(res.status, `${name}: ${JSON.stringify(res.body)}`).toBe(201);
      expect(res.body.current.mediaType).toContain(media);
    }
  });

  it('sanitizes names (no path parts, no control characters), refuses an empty file (400) and one over FILE_MAX_MB (413), keeping nothing', async () => {
    const traversal = await upload(t, manager, { vendorId: openaiId, file: pdf, fileName: '../../etc/pass\u202ewd.pdf' });
    expect(traversal.status).toBe(201);
    expect(traversal.body.current.fileName).toBe('passwd.pdf');
    const windows = await upload(t, manager, { vendorId: openaiId, file: pdf, fileName: '..\\..\\boot.ini' });
    expect(windows.body.current.fileName).toBe('boot.ini.pdf');
    const [entry] = await ds.query(`SELECT file_name FROM evidence_revisions WHERE id = $1`, [traversal.body.current.id]);
    expect(entry.file_name).toBe('passwd.pdf');

    const before = await fileCount();
    const empty = await upload(t, manager, { vendorId: openaiId, file: Buffer.alloc(0), fileName: 'empty.pdf' });
    expect(empty.status).toBe(400);
    expect(empty.body.error.code).toBe('file.empty');
    const big = await upload(t, manager, {
      vendorId: openaiId,
      file: Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(1024 * 1024 + 10, 1)]),
      fileName: 'big.pdf',
    });
    expect(big.status).toBe(413);
    expect(big.body.error.code).toBe('file.too_large');
    expect(await fileCount()).toBe(before);
    tmpEmpty();
  });

  it('refuses bad form input with the field at fault: unknown kind, missing file, bad dates, unknown fields, not multipart', async () => {
    const kind = await upload(t, manager, { vendorId: openaiId, kind: 'horoscope', file: pdf, fileName: 'a.pdf' });
    expect(kind.status).toBe(422);
    expect(kind.body.error.fields.map((f: { path: string }) => f.path)).toContain('kind');
    const dates = await upload(t, manager, {
      vendorId: openaiId,
      validFrom: dateIn(10),
      validUntil: dateIn(5),
      file: pdf,
      fileName: 'a.pdf',
    });
    expect(dates.status).toBe(422);
    expect(dates.body.error.fields[0].path).toBe('validUntil');
    const noFile = await t.http
      .post('/api/evidence')
      .set(auth(manager))
      .field('vendorId', openaiId)
      .field('kind', 'other')
      .field('title', 'x');
    expect(noFile.status).toBe(422);
    expect(noFile.body.error.fields[0].path).toBe('file');
    const json = await t.http.post('/api/evidence').set(auth(manager)).send({ vendorId: openaiId });
    expect(json.status).toBe(400);
    expect(json.body.error.code).toBe('evidence.multipart_required');
    const unknownVendor = await upload(t, manager, { vendorId: '00000000-0000-4000-8000-000000000000', file: pdf, fileName: 'a.pdf' });
    expect(unknownVendor.status).toBe(422);
    expect(unknownVendor.body.error.fields[0].path).toBe('vendorId');
  });

  it('serves a revision as an attachment with nosniff and its detected type, after verifying its hash', async () => {
    const item = (await t.http.get(`/api/evidence/${evidenceId}`).set(auth(auditor))).body;
    const res = await t.http
      .get(`/api/evidence/${evidenceId}/revisions/${item.current.id}/download`)
      .set(auth(openai))
      .buffer(true)
      .parse(binary as never);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toBe(`attachment; filename*=UTF-8''iso-27001.pdf`);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(sha(res.body as Buffer)).toBe(sha(pdf));
  });

  it('a new revision supersedes the current one; the old one stays downloadable', async () => {
    const renewed = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.from('renewed certificate'), Buffer.from('\n%%EOF')]);
    const res = await t.http
      .post(`/api/evidence/${evidenceId}/revisions`)
      .set(auth(openai))
      .field('validUntil', dateIn(500))
      .attach('file', renewed, { filename: 'iso-27001-2027.pdf', contentType: 'application/pdf' });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.current).toMatchObject({ number: 2, sha256: sha(renewed), superseded: false, validUntil: dateIn(500) });
    expect(res.body.validUntil).toBe(dateIn(500));
    expect(res.body.revisions.map((r: { number: number; superseded: boolean }) => [r.number, r.superseded])).toEqual([
      [2, false],
      [1, true],
    ]);
    const old = res.body.revisions[1];
    const dl = await t.http
      .get(`/api/evidence/${evidenceId}/revisions/${old.id}/download`)
      .set(auth(manager))
      .buffer(true)
      .parse(binary as never);
    expect(dl.status).toBe(200);
    expect(sha(dl.body as Buffer)).toBe(sha(pdf));
    expect(
      (await ds.query(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'evidence.revised' AND entity_id = $1`, [evidenceId]))[0].n,
    ).toBe(1);
    // Auditors read, never write.
    const byAuditor = await t.http
      .post(`/api/evidence/${evidenceId}/revisions`)
      .set(auth(auditor))
      .attach('file', renewed, { filename: 'x.pdf' });
    expect(byAuditor.status).toBe(403);
  });

  it("vendor contacts see and upload only their own vendor's evidence", async () => {
    const item = (await t.http.get(`/api/evidence/${evidenceId}`).set(auth(manager))).body;
    expect((await t.http.get(`/api/evidence/${evidenceId}`).set(auth(bloomberg))).status).toBe(404);
    expect((await t.http.get(`/api/evidence/${evidenceId}/revisions/${item.current.id}/download`).set(auth(bloomberg))).status).toBe(404);
    const list = await t.http.get(`/api/evidence?vendorId=${openaiId}`).set(auth(bloomberg));
    expect(list.status).toBe(200);
    expect(list.body.items).toEqual([]);
    const all = await t.http.get('/api/evidence?pageSize=200').set(auth(openai));
    expect(all.body.items.length).toBeGreaterThan(3);
    expect(new Set(all.body.items.map((i: { vendorId: string }) => i.vendorId))).toEqual(new Set([openaiId]));
    // Search by a word of the title or of a revision's file name, case-insensitive; wildcards are literal.
    const byTitle = await t.http.get(`/api/evidence?search=${encodeURIComponent(item.title.slice(2, 9).toUpperCase())}`).set(auth(openai));
    expect(byTitle.body.items.map((i: { id: string }) => i.id)).toContain(evidenceId);
    const byFile = await t.http.get(`/api/evidence?search=${encodeURIComponent(item.current.fileName)}`).set(auth(openai));
    expect(byFile.body.items.map((i: { id: string }) => i.id)).toContain(evidenceId);
    expect((await t.http.get('/api/evidence?search=%25').set(auth(openai))).body.items).toEqual([]);
    expect((await t.http.get(`/api/evidence?search=${encodeURIComponent(item.title)}`).set(auth(bloomberg))).body.items).toEqual([]);
    const before = await fileCount();
    const foreign = await upload(t, bloomberg, { vendorId: openaiId, file: pdf, fileName: 'a.pdf' });
    expect(foreign.status).toBe(403);
    expect((await t.http.post(`/api/evidence/${evidenceId}/revisions`).set(auth(bloomberg)).attach('file', pdf, 'a.pdf')).status).toBe(404);
    expect(await fileCount()).toBe(before);
    expect((await upload(t, auditor, { vendorId: openaiId, file: pdf, fileName: 'a.pdf' })).status).toBe(403);
  });

  it("links a revision to the vendor's contract (once), refuses another vendor's or a missing target by field, filters by target and unlinks", async () => {
    const procurement = await login(t, 'procurement@demo.bulwark.test');
    const mk = async (vendorId: string) =>
      (
        await t.http
          .post('/api/contracts')
          .set(auth(procurement))
          .send({ vendorId, title: `MSA ${vendorId.slice(0, 4)}`, effectiveDate: '2025-01-01' })
      ).body.id as string;
    const own = await mk(openaiId);
    const other = await mk(bloombergId);
    const linked = await t.http.post(`/api/evidence/${evidenceId}/links`).set(auth(openai)).send({ targetType: 'contract', targetId: own });
    expect(linked.status, JSON.stringify(linked.body)).toBe(201);
    expect(linked.body.links).toMatchObject([
      { targetType: 'contract', targetId: own, targetLabel: expect.stringContaining('MSA'), revisionId: linked.body.current.id },
    ]);
    const again = await t.http.post(`/api/evidence/${evidenceId}/links`).set(auth(openai)).send({ targetType: 'contract', targetId: own });
    expect(again.status).toBe(409);
    // Upload once, link many: the older revision too.
    const older = linked.body.revisions[1].id;
    const second = await t.http
      .post(`/api/evidence/${evidenceId}/links`)
      .set(auth(manager))
      .send({ targetType: 'contract', targetId: own, revisionId: older });
    expect(second.status).toBe(201);
    expect(second.body.links).toHaveLength(2);

    const otherVendors = await t.http
      .post(`/api/evidence/${evidenceId}/links`)
      .set(auth(manager))
      .send({ targetType: 'contract', targetId: other });
    expect(otherVendors.status).toBe(422);
    expect(otherVendors.body.error).toMatchObject({ code: 'evidence.target_other_vendor', fields: [{ path: 'targetId' }] });
    // The contact cannot even see the other vendor's contract: not found, by field.
    const hidden = await t.http
      .post(`/api/evidence/${evidenceId}/links`)
      .set(auth(openai))
      .send({ targetType: 'contract', targetId: other });
    expect(hidden.status).toBe(422);
    expect(hidden.body.error).toMatchObject({ code: 'evidence.target_not_found', fields: [{ path: 'targetId' }] });
    const unsupported = await t.http
      .post(`/api/evidence/${evidenceId}/links`)
      .set(auth(manager))
      .send({ targetType: 'joint_test', targetId: own });
    expect(unsupported.status).toBe(422);
    expect(unsupported.body.error.fields[0].path).toBe('targetType');
    expect(
      (await t.http.post(`/api/evidence/${evidenceId}/links`).set(auth(auditor)).send({ targetType: 'contract', targetId: own })).status,
    ).toBe(403);

    const byTarget = await t.http.get(`/api/evidence?targetType=contract&targetId=${own}`).set(auth(auditor));
    expect(byTarget.body.items.map((i: { id: string }) => i.id)).toEqual([evidenceId]);
    const unlinked = await t.http.delete(`/api/evidence/${evidenceId}/links/${linked.body.links[0].id}`).set(auth(openai));
    expect(unlinked.status).toBe(200);
    expect(unlinked.body.links).toHaveLength(1);
    expect((await t.http.delete(`/api/evidence/${evidenceId}/links/${linked.body.links[0].id}`).set(auth(openai))).status).toBe(404);
    const audit = await ds.query(`SELECT action FROM audit_log WHERE entity_id = $1 AND action LIKE 'evidence.%link%' ORDER BY seq`, [
      evidenceId,
    ]);
    expect(audit.map((a: { action: string }) => a.action)).toEqual(['evidence.linked', 'evidence.linked', 'evidence.unlinked']);
  });

  it('derives expiry status from the clock and filters by it; the sweep reminds once per step', async () => {
    const mk = async (title: string, validUntil?: string) =>
      (
        await upload(t, manager, {
          vendorId: bloombergId,
          kind: 'insurance',
          title,
          validUntil,
          file: Buffer.from(`${title}\n`),
          fileName: `${title}.txt`,
        })
      ).body;
    const expiring = await mk('expiring', dateIn(10));
    const expired = await mk('expired', dateIn(-1));
    const valid = await mk('valid', dateIn(100));
    const none = await mk('none');
    expect([expiring.status, expired.status, valid.status, none.status]).toEqual(['expiring', 'expired', 'valid', 'no_expiry']);
    // Only this test's items (the demo organization has evidence of Bloomberg's of its own).
    const mine = [expiring.id, expired.id, valid.id, none.id];
    const ids = async (q: string) =>
      ((await t.http.get(`/api/evidence?vendorId=${bloombergId}&${q}`).set(auth(manager))).body.items as { id: string }[])
        .map((i) => i.id)
        .filter((id) => mine.includes(id));
    expect(await ids('status=expiring')).toEqual([expiring.id]);
    expect(await ids('status=expired')).toEqual([expired.id]);
    expect(await ids('status=valid')).toEqual([valid.id]);
    expect(await ids('status=no_expiry')).toEqual([none.id]);
    expect(await ids('expiringWithinDays=60')).toEqual([expiring.id]);

    const reminders = t.app.get(Reminders);
    await reminders.sweep();
    const rows = async () =>
      (await ds.query(
        `SELECT subject_id, rule, outcome FROM reminder_ledger WHERE subject_type = 'evidence.expiry' AND subject_id = ANY($1::uuid[]) ORDER BY subject_id, rule`,
        [[expiring.id, expired.id, valid.id, none.id]],
      )) as { subject_id: string; rule: string; outcome: string }[];
    const first = await rows();
    // 10 days ahead: the 30-day step; expired yesterday: the on-the-day step (its earlier steps recorded as skipped).
    expect(first.filter((r) => r.outcome === 'sent').map((r) => [r.subject_id, r.rule])).toEqual(
      [
        [expiring.id, 'due-30d'],
        [expired.id, 'on-due'],
      ].sort((a, b) => a[0]!.localeCompare(b[0]!)),
    );
    const notices = await ds.query(
      `SELECT u.email FROM notifications n JOIN users u ON u.id = n.user_id WHERE n.title LIKE 'Evidence expires%' AND n.title LIKE '%expiring'`,
    );
    expect(notices.map((n: { email: string }) => n.email)).toContain('contact@bloomberg.demo.bulwark.test');
    await reminders.sweep();
    expect(await rows()).toEqual(first);
  });

  it('refuses a file tampered with on disk, with the one integrity error, and flags the revision and its item', async () => {
    const body = Buffer.from('%PDF-1.4 tamper me\n');
    const item = (
      await upload(t, manager, { vendorId: openaiId, title: 'Pen test 2026', kind: 'pen_test', file: body, fileName: 'pentest.pdf' })
    ).body;
    const file = join(t.dataDir, 'files', sha(body).slice(0, 2), sha(body).slice(2, 4), sha(body));
    writeFileSync(file, '%PDF-1.4 altered\n');
    for (let i = 0; i < 2; i++) {
      const res = await t.http.get(`/api/evidence/${item.id}/revisions/${item.current.id}/download`).set(auth(manager));
      expect(res.status).toBe(500);
      expect(res.body.error).toMatchObject({ code: 'file.integrity', errorId: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    }
    const after = await t.http.get(`/api/evidence/${item.id}`).set(auth(openai));
    expect(after.body).toMatchObject({ integrity: 'failed', current: { integrity: 'failed' } });
    const audit = await ds.query(`SELECT diff FROM audit_log WHERE action = 'evidence.integrity_failed' AND entity_id = $1`, [item.id]);
    expect(audit).toHaveLength(1);
    expect(audit[0].diff.sha256).toBe(sha(body));
  });
});

/** The EICAR test string, built so that this file itself is not flagged by a scanner. */
const EICAR = ['X5O!P%@AP[4\\PZX54(P^)7CC)7}$', 'EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*'].join('');

/**
 * A fake clamd: the real INSTREAM protocol (`zINSTREAM\0`, length-prefixed chunks, a zero-length end),
 * with a trivial engine that finds EICAR. Records the bytes it was sent.
 */
function fakeClamd(): Promise<{ server: Server; port: number; scanned: Buffer[] }> {
  const scanned: Buffer[] = [];
  const server = createServer((socket: Socket) => {
    let buf = Buffer.alloc(0);
    let command = false;
    const data: Buffer[] = [];
    socket.on('data', (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      if (!command) {
        const nul = buf.indexOf(0);
        if (nul < 0) return;
        if (buf.subarray(0, nul).toString() !== 'zINSTREAM') return socket.end('UNKNOWN COMMAND\0');
        command = true;
        buf = buf.subarray(nul + 1);
      }
      while (buf.length >= 4) {
        const len = buf.readUInt32BE(0);
        if (len === 0) {
          const all = Buffer.concat(data);
          scanned.push(all);
          socket.end(all.includes(EICAR) ? 'stream: Eicar-Test-Signature FOUND\0' : 'stream: OK\0');
          return;
        }
        if (buf.length < 4 + len) return;
        data.push(buf.subarray(4, 4 + len));
        buf = buf.subarray(4 + len);
      }
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve({ server, port: (server.address() as { port: number }).port, scanned })),
  );
}

describe('evidence vault with a clamd scanner (CLAMAV_URL)', () => {
  let t: TestApp;
  let clamd: Awaited<ReturnType<typeof fakeClamd>>;
  let manager: string;
  let vendorId: string;

  beforeAll(async () => {
    clamd = await fakeClamd();
    t = await bootApp({ CLAMAV_URL: `tcp://127.0.0.1:${clamd.port}` });
    await seedOrgs(t, false);
    manager = await login(t, 'manager@demo.bulwark.test');
    [{ id: vendorId }] = await t.app.get(DataSource).query(`SELECT id FROM vendors WHERE name = 'OpenAI'`);
  });
  afterAll(async () => {
    await t?.close();
    clamd?.server.close();
  });

  it('refuses the EICAR test file (evidence.infected), keeping nothing; a clean file is stored as scanned clean', async () => {
    // What is stored before (the demo organization's evidence): the refused upload adds nothing to it.
    const revisions = async () => (await t.app.get(DataSource).query(`SELECT count(*)::int AS n FROM evidence_revisions`))[0].n as number;
    const stored = () =>
      readdirSync(join(t.dataDir, 'files'), { recursive: true }).filter(
        (d) => !String(d).startsWith('tmp') && !String(d).startsWith('records'),
      );
    const [revisionsBefore, storedBefore] = [await revisions(), stored()];
    const res = await upload(t, manager, { vendorId, file: Buffer.from(`${EICAR}\n`), fileName: 'eicar.txt', contentType: 'text/plain' });
    expect(res.status).toBe(422);
    expect(res.body.error).toMatchObject({
      code: 'evidence.infected',
      fields: [{ path: 'file', message: expect.stringContaining('Eicar-Test-Signature') }],
    });
    expect(clamd.scanned.at(-1)!.toString()).toContain(EICAR);
    expect(await revisions()).toBe(revisionsBefore);
    expect(stored()).toEqual(storedBefore);
    expect(readdirSync(join(t.dataDir, 'files', 'tmp'))).toEqual([]);

    const clean = await upload(t, manager, { vendorId, file: pdf, fileName: 'soc2.pdf', kind: 'soc2_type2' });
    expect(clean.status).toBe(201);
    expect(clean.body.current.scan).toBe('clean');
    expect(sha(clamd.scanned.at(-1)!)).toBe(sha(pdf)); // the whole file went through the scanner
  });

  it('answers 503 when the scanner is down, rather than storing the file unscanned', async () => {
    await new Promise<void>((resolve) => clamd.server.close(() => resolve()));
    const res = await upload(t, manager, { vendorId, file: pdf, fileName: 'soc2.pdf' });
    expect(res.status).toBe(503);
    expect(res.body.error.code).toBe('evidence.scanner_unavailable');
  });
});
