// The docker CLI's stats arithmetic, checked on samples captured from berthd (cgroup v1 host:
// fixtures/berthd-stats-cgroup-v1.json, a busy-looping busybox container: three streamed
// samples and one one-shot).
import { describe, expect, it } from 'vitest';
import captured from './fixtures/berthd-stats-cgroup-v1.json' with { type: 'json' };
import { blockTotals, cpuPercent, memoryUsage, networkTotals, statsSample, type StatsJson } from './stats-math.ts';

const stream = captured.stream as StatsJson[];
const oneShot = captured.oneShot as StatsJson;

describe('stats math on berthd samples', () => {
  it('computes CPU % from the precpu delta, times online CPUs', () => {
    // Sample 2: 999,793,480 ns of CPU over 2,000,000,000 ns of system time on 2 CPUs → ≈ 99.98 %.
    expect(statsSample(stream[1]).cpuPercent).toBeCloseTo(99.98, 1);
    expect(statsSample(stream[2]).cpuPercent).toBeGreaterThan(95);
  });

  it('gives the average since the start for the first sample, whose precpu is empty (as docker stats)', () => {
    const cpu = stream[0].cpu_stats!;
    const expected = (cpu.cpu_usage!.total_usage! / cpu.system_cpu_usage!) * cpu.online_cpus! * 100;
    expect(statsSample(stream[0]).cpuPercent).toBeCloseTo(expected, 9);
  });

  it('computes CPU % for one-shot samples against the reading kept from before', () => {
    expect(cpuPercent(oneShot.cpu_stats, stream[2].cpu_stats)).toBeGreaterThan(0);
    expect(statsSample(oneShot, stream[1].cpu_stats).cpuPercent).toBeGreaterThan(90);
  });

  it('subtracts total_inactive_file (cgroup v1) from memory usage', () => {
    const memory = stream[1].memory_stats!;
    expect(memoryUsage(memory)).toBe(memory.usage! - memory.stats!.total_inactive_file);
    expect(statsSample(stream[1]).memoryLimit).toBe(memory.limit);
  });

  it('sums network bytes over interfaces and reads pids and the sample time', () => {
    const sample = statsSample(stream[1]);
    expect(sample.networkRx).toBe(stream[1].networks!.eth0.rx_bytes);
    expect(sample.networkTx).toBe(stream[1].networks!.eth0.tx_bytes);
    expect(sample.pids).toBe(1);
    expect(sample.time).toBe(Date.parse(stream[1].read!));
  });

  it('reports no block I/O when the engine lists none', () => {
    expect(blockTotals(stream[1].blkio_stats)).toEqual({ read: 0, write: 0 });
  });
});

describe('stats math on the other shapes', () => {
  // cgroup v2 and blkio entries are derived from the captured sample by renaming the fields the
  // engine fills on those hosts (API spec ContainerStatsResponse): same numbers, other keys.
  it('uses inactive_file on cgroup v2 and compares blkio ops case-insensitively', () => {
    const memory = stream[1].memory_stats!;
    const v2 = { usage: memory.usage, limit: memory.limit, stats: { inactive_file: memory.stats!.total_inactive_file } };
    expect(memoryUsage(v2)).toBe(memoryUsage(memory));
    expect(blockTotals({ io_service_bytes_recursive: [
      { op: 'Read', value: 10 }, { op: 'Write', value: 20 }, { op: 'read', value: 1 }, { op: 'write', value: 2 }, { op: 'Total', value: 33 },
    ] })).toEqual({ read: 11, write: 22 });
  });

  it('falls back to the per-CPU list when online_cpus is missing, and sums all interfaces', () => {
    const cpu = stream[1].cpu_stats!;
    const withoutOnline = { cpu_usage: { total_usage: cpu.cpu_usage!.total_usage, percpu_usage: [1, 2] }, system_cpu_usage: cpu.system_cpu_usage };
    expect(cpuPercent(withoutOnline, stream[1].precpu_stats)).toBeCloseTo(statsSample(stream[1]).cpuPercent, 6);
    expect(networkTotals({ eth0: { rx_bytes: 5, tx_bytes: 1 }, eth1: { rx_bytes: 7, tx_bytes: 2 } })).toEqual({ rx: 12, tx: 3 });
  });

  it('never returns NaN or negative values for zeroed stats of a stopped container', () => {
    const sample = statsSample({ read: '0001-01-01T00:00:00Z', cpu_stats: {}, precpu_stats: {}, memory_stats: {} });
    expect(sample.cpuPercent).toBe(0);
    expect(sample.memoryUsage).toBe(0);
    expect(Number.isFinite(sample.time)).toBe(true);
  });
});
