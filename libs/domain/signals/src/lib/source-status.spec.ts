import { describe, expect, it } from 'vitest';

import { shownStatus, STALE_AFTER_PERIODS } from './source-status.js';

const now = new Date('2025-06-01T12:00:00Z');
const ago = (seconds: number) => new Date(now.getTime() - seconds * 1000);
const source = (over: Partial<Parameters<typeof shownStatus>[0]> = {}) => ({
  status: 'ok' as const,
  enabled: true,
  scheduleSeconds: 300,
  lastSuccessAt: ago(60),
  createdAt: ago(86_400),
  ...over,
});

describe('shownStatus', () => {
  it('is the recorded status until the last success is more than three schedule periods old', () => {
    expect(shownStatus(source(), false, now)).toBe('ok');
    expect(shownStatus(source({ lastSuccessAt: ago(STALE_AFTER_PERIODS * 300) }), false, now)).toBe('ok');
    expect(shownStatus(source({ lastSuccessAt: ago(STALE_AFTER_PERIODS * 300 + 1) }), false, now)).toBe('stale');
    expect(shownStatus(source({ status: 'failing', lastSuccessAt: ago(3600) }), false, now)).toBe('stale');
    expect(shownStatus(source({ status: 'failing', lastSuccessAt: ago(600) }), false, now)).toBe('failing');
  });

  it('counts a source that never succeeded from its creation', () => {
    expect(shownStatus(source({ status: 'pending', lastSuccessAt: null, createdAt: ago(60) }), false, now)).toBe('pending');
    expect(shownStatus(source({ status: 'pending', lastSuccessAt: null, createdAt: ago(3600) }), false, now)).toBe('stale');
  });

  it('never makes a disabled, misconfigured or push source stale', () => {
    const old = ago(30 * 86_400);
    expect(shownStatus(source({ status: 'disabled', enabled: false, lastSuccessAt: old }), false, now)).toBe('disabled');
    expect(shownStatus(source({ status: 'invalid_config', lastSuccessAt: old }), false, now)).toBe('invalid_config');
    expect(shownStatus(source({ lastSuccessAt: old }), true, now)).toBe('ok');
  });
});
