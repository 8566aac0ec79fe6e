import { DateTime } from 'luxon';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { auth, bootApp, login, seedOrgs, type TestApp } from '../support/app';
import { uploadEvidence } from '../support/evidence';

/** Findings and expiring evidence in the inbox: on whichever side must act next, only for their own vendor. */
let t: TestApp;
let manager: string;
let openai: string;
let bloomberg: string;
let openaiId: string;

interface Item {
  kind: string;
  id: string;
  state: string;
  waitingOn: string;
  dueDate: string | null;
  link: string;
}
const items = async (token: string, waitingOn?: 'vendor' | 'us'): Promise<Item[]> => {
  const res = await t.http.get(`/api/inbox${waitingOn ? `?waitingOn=${waitingOn}` : ''}`).set(auth(token));
  expect(res.status).toBe(200);
  return res.body.items;
};
const find = (list: Item[], id: string) => list.find((i) => i.id === id);
const day = (n: number) => DateTime.utc().plus({ days: n }).toISODate()!;

beforeAll(async () => {
  t = await bootApp();
  await seedOrgs(t, false);
  manager = await login(t, 'manager@demo.bulwark.test');
  openai = await login(t, 'contact@openai.demo.bulwark.test');
  bloomberg = await login(t, 'contact@bloomberg.demo.bulwark.test');
  [{ id: openaiId }] = await t.app.get(DataSource).query(`SELECT id FROM vendors WHERE name = 'OpenAI'`);
});
afterAll(async () => t?.close());

describe('findings and evidence in the inbox', () => {
  it('a finding waits on the vendor until it proposes a plan, then on us until we accept it', async () => {
    const raised = await t.http
      .post('/api/findings')
      .set(auth(manager))
      .send({ vendorId: openaiId, title: 'Inbox finding', details: 'No restore drills', severity: 'high' });
    expect(raised.status).toBe(201);
    const id = raised.body.id;
    expect(find(await items(openai), id)).toMatchObject({
      kind: 'finding',
      state: 'open',
      waitingOn: 'vendor',
      dueDate: raised.body.dueDate,
      link: `/vendor-home/findings/${id}`,
    });
    expect(find(await items(bloomberg), id)).toBeUndefined();
    expect(find(await items(manager, 'vendor'), id)).toMatchObject({ link: `/findings/${id}` });
    expect(find(await items(manager, 'us'), id)).toBeUndefined();

    const move = (token: string, body: object) => t.http.post(`/api/findings/${id}/transitions`).set(auth(token)).send(body);
    expect(
      (await move(openai, { to: 'plan_proposed', rootCause: 'No drills', correctiveAction: 'Quarterly drills', targetDate: day(20) }))
        .status,
    ).toBe(200);
    expect(find(await items(openai), id)).toBeUndefined();
    expect(find(await items(manager, 'us'), id)).toMatchObject({ state: 'plan_proposed', waitingOn: 'us' });
    expect((await move(manager, { to: 'plan_accepted' })).status).toBe(200);
    expect(find(await items(manager, 'us'), id)).toBeUndefined();
    expect(find(await items(openai), id)).toMatchObject({ state: 'plan_accepted' });
  });

  it('evidence that has expired or expires within 30 days waits on its vendor for a new revision', async () => {
    const soon = await uploadEvidence(t.http, openai, openaiId, 'ISO 27001 certificate', 'iso27001_certificate', day(10));
    const later = await uploadEvidence(t.http, openai, openaiId, 'SOC 2 Type II', 'soc2_type2', day(200));
    const mine = await items(openai);
    expect(find(mine, soon)).toMatchObject({ kind: 'evidence', state: 'expiring', dueDate: day(10), link: '/vendor-home/evidence' });
    expect(find(mine, later)).toBeUndefined();
    expect(find(await items(bloomberg), soon)).toBeUndefined();
    expect(find(await items(manager, 'vendor'), soon)).toMatchObject({ link: `/vendors/${openaiId}/evidence` });
  });
});
