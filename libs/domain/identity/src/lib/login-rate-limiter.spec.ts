import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

import { loadConfig, type AppConfig } from '@bulwark/platform';

import { LoginRateLimiter } from './login-rate-limiter.js';

const configWith = (auth: Partial<AppConfig['auth']>): AppConfig => {
  const base = loadConfig({ NODE_ENV: 'test', BULWARK_DATA_DIR: mkdtempSync(join(tmpdir(), 'bulwark-limiter-')) });
  return { ...base, auth: { ...base.auth, ...auth } };
};
const status = (p: Promise<void>) =>
  p.then(
    () => 'allowed',
    (err: { code?: string; headers?: Record<string, string> }) =>
      `${err.code} retry-after=${err.headers?.['Retry-After'] ? 'set' : 'missing'}`,
  );

let limiter: LoginRateLimiter | undefined;
afterEach(() => limiter?.onModuleDestroy());

describe('LoginRateLimiter (in memory)', () => {
  it("blocks an account from an address after its failures, without blocking other accounts below the address's ceiling", async () => {
    limiter = new LoginRateLimiter(configWith({ loginMaxFailures: 3, loginMaxFailuresPerAddress: 8, loginWindowSeconds: 60 }));
    const ip = '10.0.0.1';
    for (let i = 0; i < 3; i++) {
      expect(await status(limiter.assertAllowed('a@x.test', ip))).toBe('allowed');
      await limiter.recordFailure('a@x.test', ip);
    }
    expect(await status(limiter.assertAllowed('a@x.test', ip))).toBe('auth.too_many_attempts retry-after=set');
    // The same account from another address, and other accounts from the same address, still get in.
    expect(await status(limiter.assertAllowed('a@x.test', '10.0.0.2'))).toBe('allowed');
    for (const other of ['b@x.test', 'c@x.test']) {
      await limiter.recordFailure(other, ip);
      await limiter.recordFailure(other, ip);
      expect(await status(limiter.assertAllowed(other, ip))).toBe('allowed');
    }
    // 7 failures from the address; the 8th reaches its ceiling and blocks every account from it.
    await limiter.recordFailure('d@x.test', ip);
    expect(await status(limiter.assertAllowed('e@x.test', ip))).toBe('auth.too_many_attempts retry-after=set');
    expect(await status(limiter.assertAllowed('e@x.test', '10.0.0.2'))).toBe('allowed');
  });

  it('forgets failures when the window ends, so nobody is locked out for good', async () => {
    limiter = new LoginRateLimiter(configWith({ loginMaxFailures: 1, loginMaxFailuresPerAddress: 1, loginWindowSeconds: 1 }));
    await limiter.recordFailure('a@x.test', '10.0.0.1');
    expect(await status(limiter.assertAllowed('a@x.test', '10.0.0.1'))).toMatch(/too_many_attempts/);
    await new Promise((r) => setTimeout(r, 1100));
    expect(await status(limiter.assertAllowed('a@x.test', '10.0.0.1'))).toBe('allowed');
  });

  it('a successful sign-in clears the account counter', async () => {
    limiter = new LoginRateLimiter(configWith({ loginMaxFailures: 2, loginMaxFailuresPerAddress: 50, loginWindowSeconds: 60 }));
    await limiter.recordFailure('a@x.test', '10.0.0.1');
    await limiter.recordSuccess('a@x.test', '10.0.0.1');
    await limiter.recordFailure('a@x.test', '10.0.0.1');
    expect(await status(limiter.assertAllowed('a@x.test', '10.0.0.1'))).toBe('allowed');
  });
});
