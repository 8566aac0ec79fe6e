import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { DEMO_SYSTEMS, DEMO_VENDORS } from '@bulwark/api';
import { hashPassword } from '@bulwark/identity';
import { entryHash, GENESIS_HASH } from '@bulwark/platform';

import { auth, bootApp, login, PASSWORD, seedOrgs, type TestApp } from '../support/app';

let t: TestApp;
let auditor: string;
let manager: string;
let orgId: string;

interface Entry {
  id: string;
  seq: number;
  at: string;
  actorEmail: string | null;
  action: string;
  entityType: string;
  entityId: string | null;
  entityName: string | null;
  diff: Record<string, unknown> | null;
  hash: string;
}

const page = async (query: Record<string, string | number> = {}, token = auditor) => {
  const res = await t.http.get('/api/audit-log').query(query).set(auth(token));
  expect(res.status).toBe(200);
  return res.body as { items: Entry[]; total: number; page: number; pageSize: number };
};
const verify = async (token = auditor) => {
  const res = await t.http.get('/api/audit-log/verify').set(auth(token));
  expect(res.status).toBe(200);
  return res.body as {
    status: string;
    ok: boolean;
    checked: number;
    expected: number | null;
    firstBroken: { seq: number; id: string; reason: string } | null;
    detail: string;
  };
};
const db = () => t.app.get(DataSource);
const passwordHash = hashPassword(PASSWORD);
interface Row {
  id: string;
  organization_id: string;
  seq: string;
  at: Date;
  actor_id: string | null;
  actor_email: string | null;
  action: string;
  entity_type: string;
  entity_id: string | null;
  diff: Record<string, unknown> | null;
  prev_hash: string;
}

/**
 * What the database's owner can do whatever the application refuses: switch the table's triggers off
 * (inside one transaction, so nobody else sees them off) and rewrite it.
 */
async function asDatabaseOwner(work: (q: (sql: string, params?: unknown[]) => Promise<unknown>) => Promise<unknown>): Promise<void> {
  const qr = db().createQueryRunner();
  await qr.connect();
  try {
    await qr.startTransaction();
    await qr.query(`ALTER TABLE audit_log DISABLE TRIGGER USER`);
    await work((sql, params) => qr.query(sql, params));
    await qr.query(`ALTER TABLE audit_log ENABLE TRIGGER USER`);
    await qr.commitTransaction();
  } catch (err) {
    if (qr.isTransactionActive) await qr.rollbackTransaction();
    throw err;
  } finally {
    await qr.release();
  }
}
const LOW_INTAKE = {
  servedCriticality: 'low',
  dataSensitivity: 'public',
  aiModelProvider: false,
  substitutability: 'easy',
  financialHealth: 'healthy',
};

beforeAll(async () => {
  t = await bootApp();
  await seedOrgs(t, true);
  auditor = await login(t, 'auditor@demo.bulwark.test');
  manager = await login(t, 'manager@demo.bulwark.test');
  orgId = (await t.http.get('/api/auth/me').set(auth(auditor))).body.organizationId;
});
afterAll(async () => t?.close());

describe('audit log', () => {
  it('lists entries newest first with paging', async () => {
    const first = await page({ pageSize: 10 });
    expect(first.total).toBeGreaterThan(70);
    expect(first.items).toHaveLength(10);
    expect(first.items[0]!.seq).toBe(first.total);
    const seqs = first.items.map((e) => e.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => b - a));
    const ats = first.items.map((e) => Date.parse(e.at));
    expect(ats).toEqual([...ats].sort((a, b) => b - a));
    const second = await page({ pageSize: 10, page: 2 });
    expect(second.items[0]!.seq).toBe(first.items[9]!.seq - 1);
    // The oldest entry is the demo seed's start, then the first seeded user.
    const last = await page({ pageSize: 1, page: first.total });
    expect(last.items[0]).toMatchObject({
      seq: 1,
      action: 'demo.seed_started',
      entityType: 'organization',
      actorEmail: 'demo-seed@bulwark',
    });
    const user = await page({ pageSize: 1, page: first.total - 1 });
    expect(user.items[0]).toMatchObject({ seq: 2, action: 'user.created', entityType: 'user', actorEmail: 'demo-seed@bulwark' });
  });

  it('filters by entity type, action, entity and date', async () => {
    const vendors = await page({ entityType: 'vendor', pageSize: 200 });
    expect(vendors.items.every((e) => e.entityType === 'vendor')).toBe(true);
    const created = await page({ action: 'vendor.created', pageSize: 200 });
    expect(created.total).toBe(DEMO_VENDORS.length);
    expect(created.items.every((e) => e.action === 'vendor.created' && e.entityType === 'vendor')).toBe(true);
    expect(created.items.map((e) => e.diff?.['name'])).toContain('Bloomberg');
    const services = await page({ entityType: 'service', action: 'service.created' });
    expect(services.total).toBe(DEMO_VENDORS.reduce((n, v) => n + v.services.length, 0));
    const override = await page({ action: 'vendor.tier_overridden' });
    expect(override.total).toBe(1);
    const twilio = override.items[0]!;
    const forEntity = await page({ entityId: twilio.entityId! });
    expect(forEntity.items.map((e) => e.action)).toEqual(['vendor.tier_overridden', 'vendor.created']);
    const future = await page({ from: '2999-01-01' });
    expect(future.total).toBe(0);
    // From the day of the first entry to the day of the latest, inclusive: all of them (one day, unless the run crossed midnight).
    const newest = await page({ pageSize: 1 });
    const oldest = await page({ pageSize: 1, page: newest.total });
    const day = (e: Entry) => e.at.slice(0, 10);
    expect((await page({ from: day(oldest.items[0]!), to: day(newest.items[0]!) })).total).toBe(newest.total);
    const bad = await t.http.get('/api/audit-log').query({ entityId: 'nope' }).set(auth(auditor));
    expect(bad.status).toBe(422);
    expect(bad.body.error.fields[0].path).toBe('query.entityId');
  });

  it("names each entry's record as it is called now, and hides sign-ins on request", async () => {
    const created = await page({ action: 'vendor.created', pageSize: 200 });
    const bloomberg = created.items.find((e) => e.diff?.['name'] === 'Bloomberg')!;
    expect(bloomberg.entityName).toBe('Bloomberg');
    const contracts = await page({ entityType: 'contract', pageSize: 5 });
    expect(contracts.items.length).toBeGreaterThan(0);
    expect(contracts.items.every((e) => typeof e.entityName === 'string' && e.entityName.length > 0)).toBe(true);
    const deps = await page({ entityType: 'dependency', pageSize: 5 });
    expect(deps.items.every((e) => / → /.test(e.entityName ?? ''))).toBe(true);
    // Sign-ins are entries too (the logins of this test file); hideSignIns leaves every auth.* out.
    const all = await page({ pageSize: 200 });
    expect(all.items.some((e) => e.action.startsWith('auth.'))).toBe(true);
    const hidden = await page({ pageSize: 200, hideSignIns: 'true' });
    expect(hidden.items.length).toBeGreaterThan(0);
    expect(hidden.items.some((e) => e.action.startsWith('auth.'))).toBe(false);
    expect(hidden.total).toBeLessThan(all.total);
  });

  it('is confined to the organization and to auditors and admins', async () => {
    const other = await login(t, 'auditor@other.bulwark.test');
    const theirs = await page({ pageSize: 200 }, other);
    const ours = await page({ pageSize: 200 });
    expect(new Set(theirs.items.map((e) => e.id)).size).toBe(theirs.items.length);
    expect(theirs.items.some((e) => ours.items.some((o) => o.id === e.id))).toBe(false);
    expect(theirs.items.every((e) => !e.actorEmail?.includes('demo.bulwark.test'))).toBe(true);
    expect(theirs.items[0]!.seq).toBe(theirs.total);

    const admin = await login(t, 'admin@demo.bulwark.test');
    expect((await t.http.get('/api/audit-log').set(auth(admin))).status).toBe(200);
    for (const email of ['manager@demo.bulwark.test', 'procurement@demo.bulwark.test', 'contact@openai.demo.bulwark.test']) {
      const token = await login(t, email);
      const res = await t.http.get('/api/audit-log').set(auth(token));
      expect(res.status, email).toBe(403);
      expect((await t.http.get('/api/audit-log/export').set(auth(token))).status, email).toBe(403);
      expect((await t.http.get('/api/audit-log/verify').set(auth(token))).status, email).toBe(403);
    }
    expect((await t.http.get('/api/audit-log')).status).toBe(401);
  });

  it('exports CSV with a header row, oldest first, honouring filters', async () => {
    const total = (await page()).total;
    const res = await t.http
      .get('/api/audit-log/export')
      .set(auth(auditor))
      .buffer(true)
      .parse((r, cb) => {
        let data = '';
        r.setEncoding('utf8');
        r.on('data', (c: string) => (data += c));
        r.on('end', () => cb(null, data));
      });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    expect(res.headers['content-disposition']).toMatch(/attachment; filename="audit-log\.csv"/);
    const text = res.body as string;
    const lines = text.trim().split('\n');
    expect(lines[0]).toBe('seq,at,actorEmail,actorId,action,entityType,entityId,diff,hash');
    expect(lines).toHaveLength(total + 1);
    expect(lines[1]!.startsWith('1,')).toBe(true);
    expect(lines.at(-1)!.startsWith(`${total},`)).toBe(true);
    expect(text).not.toMatch(/argon2|passwordHash/);

    const filtered = await t.http
      .get('/api/audit-log/export')
      .query({ action: 'system.created' })
      .set(auth(auditor))
      .buffer(true)
      .parse((r, cb) => {
        let data = '';
        r.on('data', (c: Buffer) => (data += c.toString()));
        r.on('end', () => cb(null, data));
      });
    const rows = (filtered.body as string).trim().split('\n');
    expect(rows).toHaveLength(DEMO_SYSTEMS.length + 1);
    expect(rows.slice(1).every((l) => l.includes(',system.created,internal_system,'))).toBe(true);
  });

  it('records a state change and its entry together, or neither', async () => {
    const before = (await page()).total;
    const v = await t.http.post('/api/vendors').set(auth(manager)).send({ name: 'Atomic Co', intake: LOW_INTAKE });
    expect(v.status).toBe(201);
    const after = await page({ pageSize: 1 });
    expect(after.total).toBe(before + 1);
    expect(after.items[0]).toMatchObject({ action: 'vendor.created', entityId: v.body.id, actorEmail: 'manager@demo.bulwark.test' });

    // A change that fails adds no entry.
    const illegal = await t.http.patch(`/api/vendors/${v.body.id}`).set(auth(manager)).send({ lifecycle: 'terminated', version: 99 });
    expect(illegal.status).toBe(409);
    const dup = await t.http.post('/api/vendors').set(auth(manager)).send({ name: 'Atomic Co', intake: LOW_INTAKE });
    expect(dup.status).toBe(409);
    expect((await page()).total).toBe(before + 1);

    // An entry that cannot be written undoes the change it records.
    const vendorsBefore = (await t.http.get('/api/vendors').query({ pageSize: 1 }).set(auth(manager))).body.total;
    await db().query(
      `CREATE FUNCTION audit_refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'audit log unavailable'; END $$`,
    );
    await db().query(`CREATE TRIGGER audit_refuse BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_refuse()`);
    try {
      const res = await t.http.post('/api/vendors').set(auth(manager)).send({ name: 'Unaudited Co', intake: LOW_INTAKE });
      expect(res.status).toBe(500);
      expect(res.body.error).toMatchObject({ status: 500, code: 'internal' });
      expect(res.body.error.errorId).toMatch(/^[0-9a-f-]{36}$/);
      expect(JSON.stringify(res.body)).not.toMatch(/audit log unavailable|\n\s+at /);
      const rename = await t.http.patch(`/api/vendors/${v.body.id}`).set(auth(manager)).send({ name: 'Renamed Atomic Co' });
      expect(rename.status).toBe(500);
    } finally {
      await db().query(`DROP TRIGGER audit_refuse ON audit_log`);
      await db().query(`DROP FUNCTION audit_refuse()`);
    }
    const vendorsAfter = (await t.http.get('/api/vendors').query({ pageSize: 1 }).set(auth(manager))).body.total;
    expect(vendorsAfter).toBe(vendorsBefore);
    expect((await t.http.get(`/api/vendors/${v.body.id}`).set(auth(manager))).body).toMatchObject({ name: 'Atomic Co', version: 1 });
    expect((await page()).total).toBe(before + 1);
    expect((await verify()).ok).toBe(true);
  });

  it('verifies the hash chain and names the first tampered entry', async () => {
    const total = (await page()).total;
    const ok = await verify();
    expect(ok).toMatchObject({ status: 'ok', ok: true, checked: total, firstBroken: null });

    const [original] = (await db().query(`SELECT id, diff FROM audit_log WHERE seq = 5 AND organization_id = $1`, [orgId])) as {
      id: string;
      diff: unknown;
    }[];
    await asDatabaseOwner((q) => q(`UPDATE audit_log SET diff = '{"x":1}' WHERE seq = 5 AND organization_id = $1`, [orgId]));
    const broken = await verify();
    expect(broken).toMatchObject({ status: 'tampered', ok: false, checked: 4 });
    expect(broken.firstBroken).toEqual({ seq: 5, id: original!.id, reason: 'content does not match its hash' });
    // Another organization's chain is unaffected.
    const other = await login(t, 'auditor@other.bulwark.test');
    expect((await verify(other)).status).toBe('ok');

    // Restoring the content restores the chain.
    await asDatabaseOwner((q) => q(`UPDATE audit_log SET diff = $1::jsonb WHERE id = $2`, [JSON.stringify(original!.diff), original!.id]));
    expect((await verify()).status).toBe('ok');

    // Deleting an entry leaves a gap that is named too.
    await asDatabaseOwner((q) => q(`DELETE FROM audit_log WHERE seq = 7 AND organization_id = $1`, [orgId]));
    const gap = await verify();
    expect(gap).toMatchObject({ status: 'tampered', ok: false });
    expect(gap.firstBroken).toMatchObject({ seq: 8, reason: 'sequence gap: expected 7' });
  });
});

/**
 * Someone with access to the database, up to its owner's rights (the application's own role usually owns the
 * tables it migrated), but not the application's AUDIT_KEY nor its file storage. Each test has an organization
 * of its own, with a few changes made through the API.
 */
describe('audit log against someone with database access', () => {
  let seq = 0;
  const freshOrg = async () => {
    const slug = `attacked-${++seq}`;
    const [{ id }] = (await db().query(`INSERT INTO organizations (name, slug) VALUES ($1, $1) RETURNING id`, [slug])) as { id: string }[];
    await db().query(
      `INSERT INTO users (organization_id, email, name, role, password_hash, active) VALUES ($1, $2, 'Admin', 'admin', $3, true)`,
      [id, `admin@${slug}.test`, await passwordHash],
    );
    const token = await login(t, `admin@${slug}.test`);
    for (let i = 1; i <= 5; i++) {
      const res = await t.http
        .post('/api/vendors')
        .set(auth(token))
        .send({ name: `Vendor ${i}`, intake: LOW_INTAKE });
      expect(res.status).toBe(201);
    }
    const before = await verify(token);
    expect(before).toMatchObject({ ok: true, firstBroken: null });
    expect(before.checked).toBeGreaterThanOrEqual(6);
    return { id, token, count: before.checked };
  };

  it('refuses UPDATE, DELETE and TRUNCATE of audit_log to the application role, and the log stays whole', async () => {
    const org = await freshOrg();
    const refused = /audit_log is append-only/;
    await expect(db().query(`UPDATE audit_log SET action = 'forged' WHERE organization_id = $1 AND seq = 2`, [org.id])).rejects.toThrow(
      refused,
    );
    await expect(db().query(`DELETE FROM audit_log WHERE organization_id = $1 AND seq > 3`, [org.id])).rejects.toThrow(refused);
    await expect(db().query(`DELETE FROM audit_log`)).rejects.toThrow(refused);
    await expect(db().query(`TRUNCATE audit_log`)).rejects.toThrow(refused);
    await expect(db().query(`TRUNCATE organizations CASCADE`)).rejects.toThrow(refused);
    expect(await verify(org.token)).toMatchObject({ status: 'ok', checked: org.count });
    // Appending goes on as before.
    expect((await t.http.post('/api/vendors').set(auth(org.token)).send({ name: 'After', intake: LOW_INTAKE })).status).toBe(201);
    expect(await verify(org.token)).toMatchObject({ status: 'ok', checked: org.count + 1, expected: org.count + 1 });
  });

  it('deleting an organization still takes its audit log with it (and nothing else)', async () => {
    const kept = await freshOrg();
    const org = await freshOrg();
    const others = (
      (await db().query(`SELECT count(*)::int AS n FROM audit_log WHERE organization_id <> $1`, [org.id])) as { n: number }[]
    )[0]!.n;
    await db().query(`DELETE FROM organizations WHERE id = $1`, [org.id]);
    expect(await db().query(`SELECT 1 FROM audit_log WHERE organization_id = $1`, [org.id])).toEqual([]);
    expect(((await db().query(`SELECT count(*)::int AS n FROM audit_log`)) as { n: number }[])[0]!.n).toBe(others);
    expect(await verify(kept.token)).toMatchObject({ status: 'ok', checked: kept.count });
  });

  it('names the deletion of the last entries: truncated, even after the log grows again', async () => {
    const org = await freshOrg();
    await asDatabaseOwner((q) => q(`DELETE FROM audit_log WHERE organization_id = $1 AND seq > $2`, [org.id, org.count - 3]));
    const cut = await verify(org.token);
    expect(cut).toMatchObject({ status: 'truncated', ok: false, checked: org.count - 3, expected: org.count, firstBroken: null });
    expect(cut.detail).toMatch(/entries .* missing/);

    // New entries are appended after the cut (a sign-in, then changes): the anchor does not follow them.
    const token = await login(t, `admin@attacked-${seq}.test`);
    for (let i = 0; i < 4; i++)
      expect(
        (
          await t.http
            .post('/api/vendors')
            .set(auth(token))
            .send({ name: `Later ${i}`, intake: LOW_INTAKE })
        ).status,
      ).toBe(201);
    const regrown = await verify(token);
    expect(regrown).toMatchObject({ status: 'truncated', ok: false, expected: org.count });
    expect(regrown.checked).toBeGreaterThanOrEqual(org.count - 3);
    expect(regrown.firstBroken).toMatchObject({ seq: org.count });
  });

  it('names the deletion of every entry: deleted', async () => {
    const org = await freshOrg();
    await asDatabaseOwner((q) => q(`DELETE FROM audit_log WHERE organization_id = $1`, [org.id]));
    expect(await verify(org.token)).toMatchObject({ status: 'deleted', ok: false, checked: 0, expected: org.count, firstBroken: null });
  });

  it('names an entry edited with the hash chain recomputed after it: tampered, at that entry', async () => {
    const org = await freshOrg();
    const target = 3;
    await asDatabaseOwner(async (q) => {
      const rows = (await q(`SELECT * FROM audit_log WHERE organization_id = $1 AND seq >= $2 ORDER BY seq`, [org.id, target])) as Row[];
      let prev = rows[0]!.prev_hash;
      for (const r of rows) {
        const diff = r.seq === String(target) ? { name: 'Forged Co' } : r.diff;
        const hash = entryHash(prev, {
          organizationId: r.organization_id,
          seq: Number(r.seq),
          at: r.at,
          actorId: r.actor_id,
          actorEmail: r.actor_email,
          action: r.action,
          entityType: r.entity_type,
          entityId: r.entity_id,
          diff,
        });
        await q(`UPDATE audit_log SET diff = $1::jsonb, prev_hash = $2, hash = $3 WHERE id = $4`, [JSON.stringify(diff), prev, hash, r.id]);
        prev = hash;
      }
    });
    const res = await verify(org.token);
    expect(res).toMatchObject({ status: 'tampered', ok: false, checked: target - 1 });
    expect(res.firstBroken).toMatchObject({ seq: target });
    expect(res.firstBroken!.reason).toMatch(/MAC/);

    // Without the key, stripping the MACs to pass the entries off as older than the key does not help either.
    await asDatabaseOwner((q) => q(`UPDATE audit_log SET mac = NULL WHERE organization_id = $1`, [org.id]));
    expect(await verify(org.token)).toMatchObject({ status: 'tampered', ok: false, firstBroken: { seq: org.count } });
  });

  it('seals entries written before the audit key with the first keyed one, so they cannot be rewritten either', async () => {
    // An organization whose log predates the key (this migration): entries with a valid hash chain and no MAC.
    const slug = 'legacy-log';
    const [{ id }] = (await db().query(`INSERT INTO organizations (name, slug) VALUES ($1, $1) RETURNING id`, [slug])) as { id: string }[];
    await db().query(
      `INSERT INTO users (organization_id, email, name, role, password_hash, active) VALUES ($1, $2, 'Admin', 'admin', $3, true)`,
      [id, `admin@${slug}.test`, await passwordHash],
    );
    let prev = GENESIS_HASH;
    const base = { organizationId: id, actorId: null, actorEmail: 'old@legacy.test', entityType: 'vendor', entityId: null };
    for (let seq = 1; seq <= 3; seq++) {
      const e = { ...base, seq, at: new Date(Date.now() - (10 - seq) * 60_000), action: 'vendor.created', diff: { name: `Old ${seq}` } };
      const hash = entryHash(prev, e);
      await db().query(
        `INSERT INTO audit_log (organization_id, seq, at, actor_email, action, entity_type, diff, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        [id, seq, e.at, e.actorEmail, e.action, e.entityType, JSON.stringify(e.diff), prev, hash],
      );
      prev = hash;
    }
    const token = await login(t, `admin@${slug}.test`);
    const sealed = await verify(token);
    expect(sealed).toMatchObject({ status: 'ok', checked: 4, expected: 4 });
    expect(sealed.detail).toMatch(/Entries 1 to 3 predate the audit key/);

    // Rewriting an old entry, hash chain and all, breaks the MAC of the entry that sealed it.
    await asDatabaseOwner(async (q) => {
      const rows = (await q(`SELECT * FROM audit_log WHERE organization_id = $1 AND seq >= 2 ORDER BY seq`, [id])) as Row[];
      let link = rows[0]!.prev_hash;
      for (const r of rows) {
        const diff = r.seq === '2' ? { name: 'Rewritten' } : r.diff;
        const hash = entryHash(link, {
          organizationId: id,
          seq: Number(r.seq),
          at: r.at,
          actorId: r.actor_id,
          actorEmail: r.actor_email,
          action: r.action,
          entityType: r.entity_type,
          entityId: r.entity_id,
          diff,
        });
        await q(`UPDATE audit_log SET diff = $1::jsonb, prev_hash = $2, hash = $3 WHERE id = $4`, [JSON.stringify(diff), link, hash, r.id]);
        link = hash;
      }
    });
    expect(await verify(token)).toMatchObject({ status: 'tampered', firstBroken: { seq: 4 } });
  });

  it('keeps each anchor outside the database in a private file, and names an anchor altered there', async () => {
    const org = await freshOrg();
    const file = join(t.config.storage.dir, 'records', 'audit-anchors', `${org.id}.json`);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const original = readFileSync(file, 'utf8');
    const anchor = JSON.parse(original) as { organizationId: string; seq: number };
    expect(anchor).toMatchObject({ organizationId: org.id, seq: org.count });

    // Moved back by someone without the key (to hide deleted entries): its MAC no longer matches.
    writeFileSync(file, JSON.stringify({ ...anchor, seq: anchor.seq - 2 }));
    const moved = await verify(org.token);
    expect(moved).toMatchObject({ status: 'tampered', ok: false, firstBroken: null });
    expect(moved.detail).toMatch(/anchor .*does not match its MAC/);
    // New entries leave the altered anchor as evidence.
    expect((await t.http.post('/api/vendors').set(auth(org.token)).send({ name: 'Later', intake: LOW_INTAKE })).status).toBe(201);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ seq: anchor.seq - 2 });

    // An anchor that cannot be read stops the verification instead of passing it.
    rmSync(file);
    mkdirSync(file);
    const unreadable = await t.http.get('/api/audit-log/verify').set(auth(org.token));
    expect(unreadable.status).toBe(500);
    expect(unreadable.body.error).toMatchObject({ code: 'audit.anchor_unavailable' });
    rmSync(file, { recursive: true });

    // Put back, it holds again; the next entry moves it on.
    writeFileSync(file, original);
    expect(await verify(org.token)).toMatchObject({ status: 'ok', checked: org.count + 1, expected: org.count });
    expect((await t.http.post('/api/vendors').set(auth(org.token)).send({ name: 'Later still', intake: LOW_INTAKE })).status).toBe(201);
    expect(await verify(org.token)).toMatchObject({ status: 'ok', checked: org.count + 2, expected: org.count + 2 });
  });

  it('never returns the key (verification, list, export)', async () => {
    const org = await freshOrg();
    const key = t.config.audit.key;
    const bodies = [
      JSON.stringify(await verify(org.token)),
      JSON.stringify((await t.http.get('/api/audit-log').query({ pageSize: 200 }).set(auth(org.token))).body),
      (await t.http.get('/api/audit-log/export').set(auth(org.token))).text,
    ];
    for (const b of bodies) {
      expect(b).not.toContain(key.toString('base64'));
      expect(b).not.toContain(key.toString('hex'));
    }
  });
});
