import { describe, expect, it } from 'vitest';
import { applyProbe, healthTimings, initialHealth, mergeHealthcheck, probeCommand } from './health-state.ts';

const timings = healthTimings({ Interval: 1e9, Retries: 2, StartPeriod: 10e9 });
const probe = (exitCode: number, atMs: number, output = '') => ({ start: new Date(atMs), end: new Date(atMs + 5), exitCode, output });

describe('health state', () => {
  it('builds the probe command from CMD and CMD-SHELL; NONE and empty tests disable it', () => {
    expect(probeCommand({ Test: ['CMD', 'true'] }, undefined)).toEqual(['true']);
    expect(probeCommand({ Test: ['CMD-SHELL', 'test -f /x'] }, undefined)).toEqual(['/bin/sh', '-c', 'test -f /x']);
    expect(probeCommand({ Test: ['CMD-SHELL', 'x'] }, ['/bin/bash', '-ec'])).toEqual(['/bin/bash', '-ec', 'x']);
    expect(probeCommand({ Test: ['NONE'] }, undefined)).toBeUndefined();
    expect(probeCommand({}, undefined)).toBeUndefined();
  });

  it('uses dockerd\'s defaults for unset durations and retries', () => {
    expect(healthTimings({ Test: ['CMD', 'true'] })).toEqual({ intervalMs: 30_000, timeoutMs: 30_000, startPeriodMs: 0, startIntervalMs: 30_000, retries: 3 });
  });

  it('ignores failures in the start period, then turns unhealthy after the retries', () => {
    let h = applyProbe(initialHealth(), probe(1, 1000), timings, 0);
    expect(h).toMatchObject({ Status: 'starting', FailingStreak: 0 });
    h = applyProbe(h, probe(1, 11_000), timings, 0);
    expect(h).toMatchObject({ Status: 'starting', FailingStreak: 1 });
    h = applyProbe(h, probe(1, 12_000), timings, 0);
    expect(h).toMatchObject({ Status: 'unhealthy', FailingStreak: 2 });
    h = applyProbe(h, probe(0, 13_000, 'ok'), timings, 0);
    expect(h).toMatchObject({ Status: 'healthy', FailingStreak: 0 });
    expect(h.Log).toHaveLength(4);
  });

  it('keeps the last five results', () => {
    let h = initialHealth();
    for (let i = 0; i < 8; i++) h = applyProbe(h, probe(0, 20_000 + i, String(i)), timings, 0);
    expect(h.Log.map((l) => l.Output)).toEqual(['3', '4', '5', '6', '7']);
  });
});

describe('mergeHealthcheck', () => {
  it('fills unset container fields from the image, as dockerd merges at create', () => {
    expect(mergeHealthcheck({ Interval: 1e9 }, { Test: ['CMD', 'true'], Interval: 5e9, Retries: 4 })).toEqual({ Test: ['CMD', 'true'], Interval: 1e9, Timeout: undefined, StartPeriod: undefined, StartInterval: undefined, Retries: 4 });
    expect(mergeHealthcheck(undefined, { Test: ['NONE'] })).toEqual({ Test: ['NONE'] });
    expect(mergeHealthcheck({ Test: ['NONE'] }, { Test: ['CMD', 'true'] })).toMatchObject({ Test: ['NONE'] });
  });
});
