import { describe, expect, it } from 'vitest';

import { monitoringCounts, statusParts } from './status';

describe('statusParts', () => {
  it('never draws a null level as operational unless a working source watches', () => {
    expect(statusParts(null, 'not_monitored')).toEqual({ level: null, monitoring: 'not_monitored' });
    expect(statusParts(null, 'pending')).toEqual({ level: null, monitoring: 'pending' });
    expect(statusParts(null, 'monitored')).toEqual({ level: 'operational', monitoring: null });
  });

  it('shows the monitoring state, and beside it only a level that says something is wrong', () => {
    expect(statusParts('operational', 'stale')).toEqual({ level: null, monitoring: 'stale' });
    expect(statusParts('major_outage', 'stale')).toEqual({ level: 'major_outage', monitoring: 'stale' });
    expect(statusParts('unknown', 'failing')).toEqual({ level: null, monitoring: 'failing' });
    expect(statusParts('degraded', 'not_monitored')).toEqual({ level: 'degraded', monitoring: 'not_monitored' });
    expect(statusParts('partial_outage', 'monitored')).toEqual({ level: 'partial_outage', monitoring: null });
  });
});

describe('monitoringCounts', () => {
  it('counts vendors per state', () => {
    expect(monitoringCounts([{ monitoring: 'monitored' }, { monitoring: 'not_monitored' }, { monitoring: 'not_monitored' }])).toEqual({
      monitored: 1,
      pending: 0,
      failing: 0,
      stale: 0,
      not_monitored: 2,
    });
  });
});
