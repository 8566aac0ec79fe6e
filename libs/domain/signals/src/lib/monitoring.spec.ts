import { describe, expect, it } from 'vitest';

import {
  bestMonitoring,
  mustBeWatched,
  serviceMonitoring,
  sourceMonitoring,
  vendorMonitoring,
  type MonitoringSource,
} from './monitoring.js';
import { STALE_AFTER_PERIODS } from './source-status.js';

const now = new Date('2025-06-01T12:00:00Z');
const ago = (seconds: number) => new Date(now.getTime() - seconds * 1000).toISOString();
const source = (over: Partial<MonitoringSource> = {}): MonitoringSource => ({
  serviceId: null,
  enabled: true,
  status: 'ok',
  consecutiveFailures: 0,
  lastPollAt: ago(60),
  scheduleSeconds: 300,
  ...over,
});

describe('sourceMonitoring', () => {
  it('maps the shown source status to what it says about monitoring', () => {
    expect(sourceMonitoring(source(), now)).toBe('monitored');
    expect(sourceMonitoring(source({ status: 'pending', lastPollAt: null }), now)).toBe('pending');
    expect(sourceMonitoring(source({ status: 'failing', consecutiveFailures: 1 }), now)).toBe('failing');
    expect(sourceMonitoring(source({ status: 'invalid_config', consecutiveFailures: 1 }), now)).toBe('failing');
    expect(sourceMonitoring(source({ status: 'stale', lastPollAt: ago(STALE_AFTER_PERIODS * 300 + 1) }), now)).toBe('stale');
  });

  it('says failing, not stale, while polls still run and fail', () => {
    expect(sourceMonitoring(source({ status: 'stale', consecutiveFailures: 9, lastPollAt: ago(60) }), now)).toBe('failing');
    // The failing polls stopped too: nothing polls it any more.
    expect(sourceMonitoring(source({ status: 'stale', consecutiveFailures: 9, lastPollAt: ago(STALE_AFTER_PERIODS * 300 + 1) }), now)).toBe(
      'stale',
    );
  });

  it('counts a disabled source as watching nothing', () => {
    expect(sourceMonitoring(source({ enabled: false, status: 'disabled' }), now)).toBeNull();
    expect(sourceMonitoring(source({ enabled: false, status: 'ok' }), now)).toBeNull();
  });
});

describe('service and vendor monitoring', () => {
  it('is not monitored with no source, or only disabled ones', () => {
    expect(bestMonitoring([])).toBe('not_monitored');
    expect(serviceMonitoring('a', [], now)).toBe('not_monitored');
    expect(vendorMonitoring([{ id: 'a', inUse: true }], [source({ enabled: false, status: 'disabled' })], now)).toBe('not_monitored');
  });

  it('takes the best covering source: its own or a vendor-wide one', () => {
    const sources = [source({ serviceId: 'a', status: 'stale', lastPollAt: null }), source({ serviceId: 'b' })];
    expect(serviceMonitoring('a', sources, now)).toBe('stale');
    expect(serviceMonitoring('b', sources, now)).toBe('monitored');
    expect(serviceMonitoring('c', sources, now)).toBe('not_monitored');
    expect(serviceMonitoring('c', [...sources, source({ status: 'failing', consecutiveFailures: 2 })], now)).toBe('failing');
    // The vendor-wide row: vendor-wide sources only.
    expect(serviceMonitoring(null, sources, now)).toBe('not_monitored');
  });

  it('watches the vendor through the services in use (all of them when none is in use)', () => {
    const sources = [source({ serviceId: 'b' })];
    expect(
      vendorMonitoring(
        [
          { id: 'a', inUse: true },
          { id: 'b', inUse: false },
        ],
        sources,
        now,
      ),
    ).toBe('not_monitored');
    expect(
      vendorMonitoring(
        [
          { id: 'a', inUse: true },
          { id: 'b', inUse: true },
        ],
        sources,
        now,
      ),
    ).toBe('monitored');
    expect(
      vendorMonitoring(
        [
          { id: 'a', inUse: false },
          { id: 'b', inUse: false },
        ],
        sources,
        now,
      ),
    ).toBe('monitored');
    expect(vendorMonitoring([{ id: 'a', inUse: true }], [source()], now)).toBe('monitored');
  });
});

describe('mustBeWatched', () => {
  it('holds for a critical or high dependency, or one of a critical or high system', () => {
    expect(mustBeWatched({ criticality: 'critical', systemCriticality: 'low' })).toBe(true);
    expect(mustBeWatched({ criticality: 'low', systemCriticality: 'high' })).toBe(true);
    expect(mustBeWatched({ criticality: 'medium', systemCriticality: 'medium' })).toBe(false);
  });
});
