import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import IORedis from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';

import { APP_CONFIG, DomainException, type AppConfig } from '@bulwark/platform';

/**
 * Counts failed logins per (e-mail, client address) (LOGIN_MAX_FAILURES) and, with a much higher
 * ceiling, per client address across accounts (LOGIN_MAX_FAILURES_PER_ADDRESS). Past a limit the
 * login answers 429 with Retry-After until the window ends. Nothing locks an account for good: the
 * counters expire, failures from another address do not count against the real user's, and one
 * account's failures do not block other accounts behind the same address (a NAT, or a proxy when
 * TRUST_PROXY is unset) until the per-address ceiling. Uses Redis when the deployment has it, so
 * every API process shares the counters.
 */
@Injectable()
export class LoginRateLimiter implements OnModuleDestroy {
  private readonly perAccount: RateLimiterAbstract;
  private readonly perAddress: RateLimiterAbstract;
  private readonly tokenUses: RateLimiterAbstract;
  private readonly redis: IORedis | null;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    const { loginMaxFailures: points, loginMaxFailuresPerAddress, loginWindowSeconds: duration } = config.auth;
    this.redis = config.queue.redisUrl ? new IORedis(config.queue.redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 1 }) : null;
    this.redis?.on('error', () => undefined);
    const make = (keyPrefix: string, p: number): RateLimiterAbstract =>
      this.redis
        ? new RateLimiterRedis({
            storeClient: this.redis,
            keyPrefix: `${config.queue.prefix}:${keyPrefix}`,
            points: p,
            duration,
            insuranceLimiter: new RateLimiterMemory({ points: p, duration }),
          })
        : new RateLimiterMemory({ keyPrefix, points: p, duration });
    this.perAccount = make('login-fail-account', points);
    this.perAddress = make('login-fail-ip', loginMaxFailuresPerAddress);
    this.tokenUses = make('token-fail-ip', loginMaxFailuresPerAddress);
  }

  /**
   * The public invitation routes (open a link, accept it) answer anyone: each use from an address takes one
   * attempt from that address's counter (the per-address ceiling of sign-ins), given back when the link was
   * good. A burst of guessed tokens is 429 before any lookup or password hash is done.
   */
  async attemptTokenUse(ip: string): Promise<void> {
    try {
      await this.tokenUses.consume(ip, 1);
    } catch (err) {
      if (!(err instanceof RateLimiterRes)) throw err;
      const wait = Math.max(Math.ceil(err.msBeforeNext / 1000), 1);
      throw new DomainException(
        'auth.too_many_attempts',
        'rate_limited',
        `Too many invalid invitation links from this address. Try again in ${wait} s.`,
        undefined,
        { 'Retry-After': String(wait) },
      );
    }
  }

  async tokenUseSucceeded(ip: string): Promise<void> {
    await this.tokenUses.reward(ip, 1);
  }

  private keys(email: string, ip: string): [string, string] {
    return [`${email.toLowerCase()}|${ip}`, ip];
  }

  /** Throws 429 when this e-mail from this address, or this address overall, is over the limit. */
  async assertAllowed(email: string, ip: string): Promise<void> {
    const [account, address] = this.keys(email, ip);
    const [a, b] = await Promise.all([this.perAccount.get(account), this.perAddress.get(address)]);
    const blocked = [a, b].filter((r): r is RateLimiterRes => !!r && r.remainingPoints <= 0);
    if (blocked.length) {
      const wait = Math.max(...blocked.map((r) => Math.ceil(r.msBeforeNext / 1000)), 1);
      throw new DomainException(
        'auth.too_many_attempts',
        'rate_limited',
        `Too many failed sign-in attempts. Try again in ${wait} s.`,
        undefined,
        { 'Retry-After': String(wait) },
      );
    }
  }

  /**
   * Takes one attempt from both counters atomically, before the password is checked, so a burst of
   * parallel attempts cannot all be evaluated: past the limit they answer 429 without touching the
   * password. The attempt counts as a failure unless `recordSuccess` follows. A refused attempt gives back
   * what it took from the other counter.
   */
  async attempt(email: string, ip: string): Promise<void> {
    const [account, address] = this.keys(email, ip);
    const [a, b] = await Promise.allSettled([this.perAccount.consume(account, 1), this.perAddress.consume(address, 1)]);
    if (a.status === 'fulfilled' && b.status === 'fulfilled') return;
    if (a.status === 'fulfilled') await this.perAccount.reward(account, 1);
    if (b.status === 'fulfilled') await this.perAddress.reward(address, 1);
    const refusals = [a, b].flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
    const limited = refusals.filter((r): r is RateLimiterRes => r instanceof RateLimiterRes);
    if (limited.length < refusals.length) throw refusals.find((r) => !(r instanceof RateLimiterRes));
    const wait = Math.max(...limited.map((r) => Math.ceil(r.msBeforeNext / 1000)), 1);
    throw new DomainException(
      'auth.too_many_attempts',
      'rate_limited',
      `Too many failed sign-in attempts. Try again in ${wait} s.`,
      undefined,
      {
        'Retry-After': String(wait),
      },
    );
  }

  async recordFailure(email: string, ip: string): Promise<void> {
    const [account, address] = this.keys(email, ip);
    await Promise.all([this.perAccount.penalty(account, 1), this.perAddress.penalty(address, 1)]);
  }

  /** After a successful sign-in: the account's counter is cleared and the address gets its attempt back. */
  async recordSuccess(email: string, ip: string): Promise<void> {
    const [account, address] = this.keys(email, ip);
    await Promise.all([this.perAccount.delete(account), this.perAddress.reward(address, 1)]);
  }

  onModuleDestroy(): void {
    this.redis?.disconnect();
  }
}
