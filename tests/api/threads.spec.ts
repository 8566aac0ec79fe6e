import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { MIGRATIONS } from '@bulwark/migrations';

import { auth, bootApp, login, seedOrgs, type TestApp } from '../support/app';
import { uploadEvidence } from '../support/evidence';

let t: TestApp;
let ds: DataSource;
const tokens: Record<string, string> = {};
const users: Record<string, string> = {};
let openai: string;
let breachId: string;
let negotiationId: string;

const EMAILS = {
  manager: 'manager@demo.bulwark.test',
  procurement: 'procurement@demo.bulwark.test',
  admin: 'admin@demo.bulwark.test',
  auditor: 'auditor@demo.bulwark.test',
  contact: 'contact@openai.demo.bulwark.test',
  bloomberg: 'contact@bloomberg.demo.bulwark.test',
};

const thread = (type: string, id: string) => `/api/threads/${type}/${id}`;
const get = (url: string, who: string) => t.http.get(url).set(auth(tokens[who]!));
const post = (url: string, who: string, body: object) => t.http.post(url).set(auth(tokens[who]!)).send(body);
/** Who was told about a comment, by how: `thread-comment-<id>` or `thread-mention-<id>`. */
const toldAbout = async (commentId: string): Promise<{ email: string; key: string }[]> =>
  ds.query(
    `SELECT u.email, n.dedupe_key AS key FROM notifications n JOIN users u ON u.id = n.user_id
      WHERE n.dedupe_key IN ($1, $2) ORDER BY u.email, n.dedupe_key`,
    [`thread-comment-${commentId}`, `thread-mention-${commentId}`],
  );
/** An open breach of OpenAI's for one test, so the dispute of one does not close another's thread. */
const openBreach = async (): Promise<string> => {
  const [b] = await ds.query(
    `INSERT INTO sla_breaches (organization_id, sla_id, vendor_id, window_label, availability, target, credit_percent, status)
     SELECT organization_id, id, vendor_id, to_char(now() - make_interval(months => 20 + (random() * 200)::int), 'YYYY-MM'), 99.5, 99.9, 10, 'open'
       FROM slas WHERE vendor_id = $1 LIMIT 1
     ON CONFLICT DO NOTHING RETURNING id`,
    [openai],
  );
  return b ? b.id : openBreach();
};

beforeAll(async () => {
  t = await bootApp();
  await seedOrgs(t, false);
  ds = t.app.get(DataSource);
  for (const [who, email] of Object.entries(EMAILS)) {
    tokens[who] = await login(t, email);
    users[who] = (await ds.query(`SELECT id FROM users WHERE email = $1`, [email]))[0].id;
  }
  openai = (await ds.query(`SELECT vendor_id FROM users WHERE email = $1`, [EMAILS.contact]))[0].vendor_id;
  breachId = await openBreach();
  const [sla] = await ds.query(`SELECT id, contract_id FROM slas WHERE vendor_id = $1 LIMIT 1`, [openai]);
  const n = await post('/api/negotiations', 'procurement', {
    contractId: sla.contract_id,
    slaId: sla.id,
    effectiveFrom: `${new Date().getUTCFullYear() + 2}-01-01`,
    terms: { availabilityTarget: 99.95 },
  });
  expect(n.status).toBe(201);
  negotiationId = n.body.id;
});
afterAll(async () => t?.close());

describe('threads: audiences', () => {
  it('a vendor contact reads only the vendor-audience comments, and not even the count of the internal ones', async () => {
    const internal = await post(thread('negotiation', negotiationId), 'manager', {
      body: 'Internal: we can live with 99.9 if they push back.',
      audience: 'internal',
    });
    expect(internal.status).toBe(201);
    expect(internal.body).toMatchObject({ audience: 'internal', authorSide: 'customer', authorName: 'Morgan Manager' });
    const shared = await post(thread('negotiation', negotiationId), 'procurement', {
      body: 'Could you confirm 99.95?',
      audience: 'vendor',
    });
    expect(shared.status).toBe(201);

    const mine = await get(thread('negotiation', negotiationId), 'contact');
    expect(mine.status).toBe(200);
    expect(mine.body).toMatchObject({ total: 1, audiences: ['vendor'], canPost: true, link: `/vendor-home/negotiations/${negotiationId}` });
    expect(mine.body.comments.map((c: { body: string }) => c.body)).toEqual(['Could you confirm 99.95?']);
    expect(JSON.stringify(mine.body)).not.toContain('live with 99.9');

    const auditor = await get(thread('negotiation', negotiationId), 'auditor');
    expect(auditor.body).toMatchObject({ total: 2, audiences: ['vendor', 'internal'], canPost: false });
    expect(auditor.body.comments.map((c: { audience: string }) => c.audience)).toEqual(['internal', 'vendor']);
  });

  it('a vendor contact cannot post an internal comment; an auditor cannot post at all', async () => {
    const res = await post(thread('negotiation', negotiationId), 'contact', { body: 'sneaky', audience: 'internal' });
    expect(res.status).toBe(403);
    expect(res.body.error.fields[0].path).toBe('audience');
    expect((await post(thread('negotiation', negotiationId), 'auditor', { body: 'hello', audience: 'vendor' })).status).toBe(403);
    const people = await get(`${thread('negotiation', negotiationId)}/people?audience=internal`, 'contact');
    expect(people.status).toBe(403);
    expect(people.body.error.fields[0].path).toBe('audience');
    const [{ n }] = await ds.query(`SELECT count(*)::int AS n FROM thread_comments WHERE body IN ('sneaky', 'hello')`);
    expect(n).toBe(0);
  });

  it("another vendor's contact gets 404 on the thread, its people and a post, and nothing of it", async () => {
    // The same thread answers its own vendor's contact.
    expect((await get(thread('breach', breachId), 'contact')).status).toBe(200);
    for (const res of [
      await get(thread('breach', breachId), 'bloomberg'),
      await get(`${thread('breach', breachId)}/people`, 'bloomberg'),
      await post(thread('breach', breachId), 'bloomberg', { body: 'hi', audience: 'vendor' }),
    ]) {
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe('breach.not_found');
      expect(JSON.stringify(res.body)).not.toMatch(/OpenAI|comments/);
    }
    expect((await get(thread('breach', '00000000-0000-4000-8000-000000000000'), 'manager')).status).toBe(404);
  });
});

describe('threads: mentions and notifications', () => {
  it('people: internal audience lists only internal users; vendor audience adds only this vendor’s contacts', async () => {
    const internal = await get(`${thread('breach', breachId)}/people?audience=internal`, 'manager');
    expect(internal.status).toBe(200);
    expect(internal.body.every((p: { side: string }) => p.side === 'customer')).toBe(true);
    const shared = await get(`${thread('breach', breachId)}/people`, 'manager');
    const ids = shared.body.map((p: { id: string }) => p.id);
    expect(ids).toContain(users['contact']);
    expect(ids).not.toContain(users['bloomberg']);
  });

  it('a mentioned person is told once (by the mention); a vendor comment tells the vendor side; the author is not told', async () => {
    const res = await post(thread('breach', breachId), 'manager', {
      body: '@Contact please send the incident report',
      audience: 'vendor',
      mentions: [users['contact'], users['contact'], users['procurement']],
    });
    expect(res.status).toBe(201);
    expect(res.body.mentions.map((m: { id: string }) => m.id)).toEqual([users['contact'], users['procurement']]);
    const told = await toldAbout(res.body.id);
    expect(told.filter((x) => x.email === EMAILS.contact)).toEqual([{ email: EMAILS.contact, key: `thread-mention-${res.body.id}` }]);
    expect(told.filter((x) => x.email === EMAILS.procurement)).toEqual([
      { email: EMAILS.procurement, key: `thread-mention-${res.body.id}` },
    ]);
    expect(told.map((x) => x.email)).not.toContain(EMAILS.manager);
    expect(told.map((x) => x.email)).not.toContain(EMAILS.bloomberg);
  });

  it('an internal comment tells only internal people; a vendor contact cannot be mentioned in it', async () => {
    const refused = await post(thread('breach', breachId), 'manager', {
      body: 'internal with the vendor mentioned',
      audience: 'internal',
      mentions: [users['admin'], users['contact']],
    });
    expect(refused.status).toBe(422);
    expect(refused.body.error.fields).toEqual([{ path: 'mentions.1', message: expect.any(String) }]);
    const res = await post(thread('breach', breachId), 'procurement', {
      body: 'Internal: their status page was green all month.',
      audience: 'internal',
      mentions: [users['admin']],
    });
    expect(res.status).toBe(201);
    const told = await toldAbout(res.body.id);
    expect(told.length).toBeGreaterThan(0);
    expect(told).toContainEqual({ email: EMAILS.admin, key: `thread-mention-${res.body.id}` });
    // The manager took part (the comment above): told by the comment notice.
    expect(told).toContainEqual({ email: EMAILS.manager, key: `thread-comment-${res.body.id}` });
    const vendorSide: { n: number }[] = await ds.query(
      `SELECT count(*)::int AS n FROM notifications n JOIN users u ON u.id = n.user_id WHERE u.role = 'vendor_contact' AND n.dedupe_key LIKE $1`,
      [`%${res.body.id}`],
    );
    expect(vendorSide[0]!.n).toBe(0);
  });

  it('a vendor contact may mention only people who read vendor comments: not another vendor’s contact', async () => {
    const res = await post(thread('negotiation', negotiationId), 'contact', {
      body: 'cc someone',
      audience: 'vendor',
      mentions: [users['bloomberg']],
    });
    expect(res.status).toBe(422);
    expect(res.body.error.fields[0].path).toBe('mentions.0');
    const ok = await post(thread('negotiation', negotiationId), 'contact', {
      body: '99.95 works for us, @Parker',
      audience: 'vendor',
      mentions: [users['procurement']],
    });
    expect(ok.status).toBe(201);
    const told = await toldAbout(ok.body.id);
    expect(told).toContainEqual({ email: EMAILS.procurement, key: `thread-mention-${ok.body.id}` });
    // The manager took part internally: the vendor's comment reaches the organization's side.
    expect(told).toContainEqual({ email: EMAILS.manager, key: `thread-comment-${ok.body.id}` });
    expect(told.filter((x) => x.email === EMAILS.procurement)).toHaveLength(1);
  });
});

describe('threads: bad input', () => {
  it.each([
    ['an empty body', thread('breach', 'B'), { body: '  ', audience: 'vendor' }, 422, 'body'],
    ['an unknown audience', thread('breach', 'B'), { body: 'x', audience: 'everyone' }, 422, 'audience'],
    ['an evidence id that is no id', thread('breach', 'B'), { body: 'x', audience: 'vendor', evidenceIds: ['x'] }, 422, 'evidenceIds.0'],
    ['a link that is no web address', thread('breach', 'B'), { body: 'x', audience: 'vendor', links: ['ftp://x'] }, 422, 'links.0'],
    ['an unknown field', thread('breach', 'B'), { body: 'x', audience: 'vendor', extra: 1 }, 422, 'extra'],
    ['an unregistered target type', thread('widget', 'B'), { body: 'x', audience: 'vendor' }, 422, 'targetType'],
    ['a malformed target type', '/api/threads/Not-A-Type/B', { body: 'x', audience: 'vendor' }, 400, 'targetType'],
    ['a target id that is no UUID', '/api/threads/breach/42', { body: 'x', audience: 'vendor' }, 400, 'targetId'],
  ])('%s is refused, naming the field', async (_what, url, body, status, field) => {
    const res = await post(url.replace('/B', `/${breachId}`), 'manager', body);
    expect(res.status).toBe(status);
    expect(res.body.error.fields.map((f: { path: string }) => f.path)).toContain(field);
  });
});

describe('threads: the breach dispute', () => {
  it('the vendor disputes with a comment on the thread, the manager answers, an internal note stays out of the breach view; decided, it closes', async () => {
    const id = await openBreach();
    // Attached evidence must be the vendor's own, from the vault: an unknown id or another vendor's is refused.
    const [{ id: bloombergId }] = await ds.query(
      `SELECT id FROM vendors WHERE name = 'Bloomberg' AND organization_id = (SELECT organization_id FROM vendors WHERE id = $1)`,
      [openai],
    );
    const foreign = await uploadEvidence(t.http, tokens.manager!, bloombergId, 'Bloomberg report');
    for (const wrong of ['11111111-1111-4111-8111-111111111111', foreign]) {
      const refused = await post(thread('breach', id), 'contact', { body: 'See attached', audience: 'vendor', evidenceIds: [wrong] });
      expect(refused.status).toBe(422);
      expect(refused.body.error.fields.map((f: { path: string }) => f.path)).toEqual(['evidenceIds']);
    }
    const report = await uploadEvidence(t.http, tokens.contact!, openai, 'Maintenance notice');
    const dispute = await post(thread('breach', id), 'contact', {
      body: 'The outage was outside our service window.',
      audience: 'vendor',
      evidenceIds: [report],
    });
    expect(dispute.status).toBe(201);
    expect(dispute.body.evidenceIds).toEqual([report]);
    expect((await get(`/api/breaches/${id}`, 'manager')).body.status).toBe('disputed');
    // The dispute's notice goes through the breach outbox, to both sides, once.
    const [{ n }] = await ds.query(`SELECT count(*)::int AS n FROM notifications WHERE dedupe_key = $1`, [`breach-${id}-2`]);
    expect(n).toBeGreaterThan(0);
    expect(await toldAbout(dispute.body.id)).toEqual([]);

    expect((await post(thread('breach', id), 'manager', { body: 'Checking with the team.', audience: 'vendor' })).status).toBe(201);
    expect((await post(thread('breach', id), 'manager', { body: 'Internal: likely to waive.', audience: 'internal' })).status).toBe(201);
    for (const who of ['manager', 'contact']) {
      const view = await get(`/api/breaches/${id}`, who);
      expect(view.body.comments.map((c: { authorSide: string; body: string }) => [c.authorSide, c.body])).toEqual([
        ['vendor', 'The outage was outside our service window.'],
        ['customer', 'Checking with the team.'],
      ]);
    }
    expect((await get(thread('breach', id), 'contact')).body.total).toBe(2);
    expect((await get(thread('breach', id), 'manager')).body.total).toBe(3);

    const waived = await post(`/api/breaches/${id}/resolve`, 'manager', { decision: 'waived', note: 'Outside the service window.' });
    expect(waived.status).toBe(200);
    expect((await get(thread('breach', id), 'contact')).body).toMatchObject({
      canPost: false,
      closedReason: expect.stringMatching(/waived/),
    });
    const late = await post(thread('breach', id), 'contact', { body: 'thanks', audience: 'vendor' });
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe('thread.closed');
  });

  it('the old route POST /api/breaches/:id/comments still disputes, through the thread', async () => {
    const id = await openBreach();
    const res = await post(`/api/breaches/${id}/comments`, 'contact', {
      body: 'Contested.',
      evidenceLinks: ['https://status.example.com/x'],
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      status: 'disputed',
      comments: [{ authorSide: 'vendor', evidenceLinks: ['https://status.example.com/x'] }],
    });
    const th = await get(thread('breach', id), 'manager');
    expect(th.body.comments).toMatchObject([{ audience: 'vendor', body: 'Contested.', links: ['https://status.example.com/x'] }]);
  });
});

describe('threads: audit', () => {
  it('a comment is audited with its audience, never its body; vendor contacts cannot read the audit log', async () => {
    const res = await post(thread('breach', breachId), 'manager', { body: 'Internal: SECRET-NOTE-4711', audience: 'internal' });
    expect(res.status).toBe(201);
    const log = await get(`/api/audit-log?entityType=thread_comment&entityId=${res.body.id}`, 'auditor');
    expect(log.status).toBe(200);
    expect(log.body.items).toMatchObject([
      { action: 'thread.commented', diff: { targetType: 'breach', targetId: breachId, audience: 'internal' } },
    ]);
    expect(JSON.stringify(log.body)).not.toContain('SECRET-NOTE-4711');
    const contact = await get('/api/audit-log', 'contact');
    expect(contact.status).toBe(403);
    const csv = await get('/api/audit-log/export', 'contact');
    expect(csv.status).toBe(403);
  });
});

describe('threads: migration of the breach comments', () => {
  it('moves old breach comments into the thread as vendor-audience comments with their authors and times', async () => {
    const migration = MIGRATIONS.map((M) => new M()).find((m) => m.name === 'Threads1764520000000')!;
    const id = await openBreach();
    const qr = ds.createQueryRunner();
    try {
      await migration.down(qr);
      await qr.query(
        `INSERT INTO breach_comments (organization_id, breach_id, vendor_id, author_id, author_side, body, evidence_links, created_at)
         SELECT organization_id, id, vendor_id, $2, 'vendor', 'Old dispute comment', '["https://status.example.com/old"]', '2026-01-02T03:04:05Z'
           FROM sla_breaches WHERE id = $1`,
        [id, users['contact']],
      );
      await qr.query(
        `INSERT INTO breach_comments (organization_id, breach_id, vendor_id, author_id, author_side, body, created_at)
         SELECT organization_id, id, vendor_id, $2, 'customer', 'Old answer', '2026-01-03T00:00:00Z' FROM sla_breaches WHERE id = $1`,
        [id, users['manager']],
      );
      await migration.up(qr);
    } finally {
      await qr.release();
    }
    for (const who of ['manager', 'contact']) {
      const th = await get(thread('breach', id), who);
      expect(th.status).toBe(200);
      expect(th.body.comments).toMatchObject([
        {
          audience: 'vendor',
          authorSide: 'vendor',
          authorName: expect.any(String),
          body: 'Old dispute comment',
          links: ['https://status.example.com/old'],
          createdAt: '2026-01-02T03:04:05.000Z',
        },
        {
          audience: 'vendor',
          authorSide: 'customer',
          authorName: 'Morgan Manager',
          body: 'Old answer',
          createdAt: '2026-01-03T00:00:00.000Z',
        },
      ]);
    }
    expect((await ds.query(`SELECT to_regclass('breach_comments') AS t`))[0].t).toBeNull();
  });
});
