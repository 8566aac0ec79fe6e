import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { auth, bootApp, login, PASSWORD, seedOrgs, type TestApp } from '../support/app';

/** The sign-in limit holds against a parallel burst: the password is checked for at most the allowed number of attempts. */
let t: TestApp;

beforeAll(async () => {
  t = await bootApp({ LOGIN_MAX_FAILURES: '3', LOGIN_WINDOW_SECONDS: '60' });
  await seedOrgs(t, false);
});
afterAll(async () => t?.close());

describe('login limit under a parallel burst', () => {
  it('evaluates at most the limit of 30 parallel wrong passwords; the rest answer 429 with Retry-After', async () => {
    const email = 'auditor@demo.bulwark.test';
    const answers = await Promise.all(
      Array.from({ length: 30 }, (_, i) => t.http.post('/api/auth/login').send({ email, password: `wrong-password-${i}` })),
    );
    const statuses = answers.map((r) => r.status);
    expect(statuses.every((s) => s === 401 || s === 429)).toBe(true);
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(3);
    expect(answers.filter((r) => r.status === 429).every((r) => Number(r.headers['retry-after']) >= 1)).toBe(true);
    // The right password after the burst is refused too, until the window ends: the burst cannot hide it.
    expect((await t.http.post('/api/auth/login').send({ email, password: PASSWORD })).status).toBe(429);
    // Another account behind the same address still signs in.
    expect((await t.http.post('/api/auth/login').send({ email: 'manager@demo.bulwark.test', password: PASSWORD })).status).toBe(200);
  });

  it('applies the same limit to the current password at change-password', async () => {
    const token = await login(t, 'procurement@demo.bulwark.test');
    const tries = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        t.http
          .post('/api/auth/change-password')
          .set(auth(token))
          .send({ currentPassword: `guess-${i}`, newPassword: 'a-brand-new-password-1' }),
      ),
    );
    const statuses = tries.map((r) => r.status);
    expect(statuses.every((s) => s === 422 || s === 429)).toBe(true);
    expect(statuses.filter((s) => s === 422).length).toBeLessThanOrEqual(3);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(7);
  });
});

describe('public invitation routes under a burst of guessed tokens', () => {
  let u: TestApp;
  beforeAll(async () => {
    u = await bootApp({ LOGIN_MAX_FAILURES: '3', LOGIN_MAX_FAILURES_PER_ADDRESS: '5', LOGIN_WINDOW_SECONDS: '60' });
  });
  afterAll(async () => u?.close());

  it('looks up at most the per-address ceiling of bad tokens; the rest answer 429 with Retry-After, accept and open alike', async () => {
    const guesses = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        i % 2
          ? u.http
              .post('/api/invitations/accept')
              .send({ token: `guessed-token-${i}-xxxxxxxxxxxxxxxxxxxxxxxx`, password: 'a-long-passphrase-1' })
          : u.http.get(`/api/invitations/by-token/guessed-token-${i}`),
      ),
    );
    const statuses = guesses.map((r) => r.status);
    expect(statuses.every((s) => s === 404 || s === 429)).toBe(true);
    expect(statuses.filter((s) => s === 404).length).toBeLessThanOrEqual(5);
    expect(guesses.filter((r) => r.status === 429).every((r) => Number(r.headers['retry-after']) >= 1)).toBe(true);
  });
});
