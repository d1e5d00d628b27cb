// Stats samples → what the charts plot: a rolling window of the last WINDOW samples, with network
// and disk turned from the engine's cumulative byte counters into rates (bytes per second between
// consecutive samples). A counter that goes down means the container restarted (its counters
// start again from zero): that interval has no rate, so it plots as 0 rather than as a negative
// spike.
import type { StatsSample } from '../../../../common/desktop-api.ts';

export const STATS_WINDOW = 120;

/** Bytes per second from `before` to `after` over `ms`, or 0 when it cannot be told. */
export function counterRate(before: number, after: number, ms: number): number {
  if (!(ms > 0) || after < before) return 0;
  return ((after - before) * 1000) / ms;
}

export interface StatsSeries {
  /** Seconds since the epoch (uPlot's x unit). */
  time: number[];
  cpu: number[];
  memoryUsage: number[];
  memoryLimit: number[];
  networkRx: number[];
  networkTx: number[];
  diskRead: number[];
  diskWrite: number[];
}

/** Appends `sample` to the window (a new array; the last WINDOW samples kept). */
export function pushSample(samples: readonly StatsSample[], sample: StatsSample, window = STATS_WINDOW): StatsSample[] {
  const last = samples.at(-1);
  // The engine may repeat a reading; a sample older than the last one is out of order: skip both.
  if (last && sample.time <= last.time) return samples as StatsSample[];
  const next = samples.length >= window ? samples.slice(samples.length - window + 1) : samples.slice();
  next.push(sample);
  return next;
}

export function statsSeries(samples: readonly StatsSample[]): StatsSeries {
  const series: StatsSeries = { time: [], cpu: [], memoryUsage: [], memoryLimit: [], networkRx: [], networkTx: [], diskRead: [], diskWrite: [] };
  samples.forEach((sample, i) => {
    const previous = samples[i - 1];
    const ms = previous ? sample.time - previous.time : 0;
    series.time.push(sample.time / 1000);
    series.cpu.push(sample.cpuPercent);
    series.memoryUsage.push(sample.memoryUsage);
    series.memoryLimit.push(sample.memoryLimit);
    series.networkRx.push(previous ? counterRate(previous.networkRx, sample.networkRx, ms) : 0);
    series.networkTx.push(previous ? counterRate(previous.networkTx, sample.networkTx, ms) : 0);
    series.diskRead.push(previous ? counterRate(previous.blockRead, sample.blockRead, ms) : 0);
    series.diskWrite.push(previous ? counterRate(previous.blockWrite, sample.blockWrite, ms) : 0);
  });
  return series;
}
