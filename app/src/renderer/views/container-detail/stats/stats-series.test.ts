import { describe, expect, test } from 'vitest';
import type { StatsSample } from '../../../../common/desktop-api.ts';
import { counterRate, pushSample, statsSeries } from './stats-series.ts';

function sample(time: number, fields: Partial<StatsSample> = {}): StatsSample {
  return { time, cpuPercent: 0, memoryUsage: 0, memoryLimit: 0, networkRx: 0, networkTx: 0, blockRead: 0, blockWrite: 0, pids: 1, ...fields };
}

describe('stats rates', () => {
  test('a counter rate is bytes per second over the interval', () => {
    expect(counterRate(1000, 3000, 1000)).toBe(2000);
    expect(counterRate(0, 1024, 500)).toBe(2048);
  });

  test('a counter that went down (container restarted) or no time passing gives 0, never negative', () => {
    expect(counterRate(5000, 100, 1000)).toBe(0);
    expect(counterRate(0, 100, 0)).toBe(0);
  });

  test('series derive network and disk rates between consecutive samples', () => {
    const series = statsSeries([
      sample(10_000, { networkRx: 1000, networkTx: 0, blockRead: 0, blockWrite: 4096, cpuPercent: 5 }),
      sample(11_000, { networkRx: 3000, networkTx: 500, blockRead: 0, blockWrite: 8192, cpuPercent: 7 }),
      sample(13_000, { networkRx: 7000, networkTx: 500, blockRead: 2048, blockWrite: 8192, cpuPercent: 9 }),
    ]);
    expect(series.time).toEqual([10, 11, 13]);
    expect(series.cpu).toEqual([5, 7, 9]);
    expect(series.networkRx).toEqual([0, 2000, 2000]);
    expect(series.networkTx).toEqual([0, 500, 0]);
    expect(series.diskRead).toEqual([0, 0, 1024]);
    expect(series.diskWrite).toEqual([0, 4096, 0]);
  });

  test('the window keeps the newest samples and skips repeated or out-of-order ones', () => {
    let samples: StatsSample[] = [];
    for (let t = 1; t <= 5; t++) samples = pushSample(samples, sample(t * 1000), 3);
    expect(samples.map((s) => s.time)).toEqual([3000, 4000, 5000]);
    expect(pushSample(samples, sample(5000), 3)).toBe(samples);
    expect(pushSample(samples, sample(4500), 3)).toBe(samples);
  });
});
