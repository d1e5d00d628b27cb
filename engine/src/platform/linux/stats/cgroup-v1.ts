// cgroup v1 readers: one directory per controller, /sys/fs/cgroup/<controller>/<path>. Field
// choices follow dockerd's statsV1 (daemon/daemon_unix.go).
import { join } from 'node:path';
import type { BlkioEntry, CgroupSample } from '../../../services/observability/stats-types.ts';
import { parseKeyValues, parseNumber, readText } from './proc.ts';

const ROOT = '/sys/fs/cgroup';
const CLOCK_TICKS = 100;

/** "8:0 Read 4096" lines; the Total line is dockerd's too. */
export function parseBlkioV1(text: string | undefined): BlkioEntry[] {
  const out: BlkioEntry[] = [];
  for (const line of (text ?? '').split('\n')) {
    const m = /^(\d+):(\d+)\s+(\S+)\s+(\d+)$/.exec(line.trim());
    if (m) out.push({ major: Number(m[1]), minor: Number(m[2]), op: m[3], value: Number(m[4]) });
  }
  return out;
}

export async function readCgroupV1(path: string): Promise<CgroupSample> {
  const at = (controller: string, file: string) => readText(join(ROOT, controller, path, file));
  const [usage, percpu, cpuacctStat, cpuStat, memUsage, memMax, memFail, memLimit, memStat, blkioCfq, blkioThrottle, pidsCurrent, pidsMax] = await Promise.all([
    at('cpuacct', 'cpuacct.usage'), at('cpuacct', 'cpuacct.usage_percpu'), at('cpuacct', 'cpuacct.stat'), at('cpu', 'cpu.stat'),
    at('memory', 'memory.usage_in_bytes'), at('memory', 'memory.max_usage_in_bytes'), at('memory', 'memory.failcnt'),
    at('memory', 'memory.limit_in_bytes'), at('memory', 'memory.stat'),
    at('blkio', 'blkio.io_service_bytes_recursive'), at('blkio', 'blkio.throttle.io_service_bytes_recursive'),
    at('pids', 'pids.current'), at('pids', 'pids.max'),
  ]);
  const ticks = parseKeyValues(cpuacctStat);
  const throttle = parseKeyValues(cpuStat);
  const cfq = parseBlkioV1(blkioCfq);
  return {
    cpu: {
      total: parseNumber(usage) ?? 0,
      percpu: (percpu ?? '').trim().split(/\s+/).filter(Boolean).map(Number),
      // cpuacct.stat counts USER_HZ ticks; dockerd converts them to nanoseconds.
      kernel: ((ticks.system ?? 0) * 1e9) / CLOCK_TICKS,
      user: ((ticks.user ?? 0) * 1e9) / CLOCK_TICKS,
      throttling: { periods: throttle.nr_periods ?? 0, throttledPeriods: throttle.nr_throttled ?? 0, throttledTime: throttle.throttled_time ?? 0 },
    },
    memory: {
      usage: parseNumber(memUsage) ?? 0,
      maxUsage: parseNumber(memMax),
      failcnt: parseNumber(memFail),
      limit: parseNumber(memLimit) ?? 0,
      stats: parseKeyValues(memStat),
    },
    pids: { current: parseNumber(pidsCurrent) ?? 0, limit: parseNumber(pidsMax) },
    // CFQ/BFQ-less kernels leave the plain file empty: the throttle one counts every device.
    blkio: cfq.length > 0 ? cfq : parseBlkioV1(blkioThrottle),
  };
}
