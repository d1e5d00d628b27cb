// cgroup v2 readers: one unified directory, /sys/fs/cgroup/<path>. Field choices follow
// dockerd's statsV2 (daemon/daemon_unix.go): microseconds become nanoseconds, io.stat becomes
// read/write entries, memory.stat is passed through.
import { join } from 'node:path';
import type { BlkioEntry, CgroupSample } from '../../../services/observability/stats-types.ts';
import { parseKeyValues, parseNumber, readText } from './proc.ts';

const ROOT = '/sys/fs/cgroup';

/** "8:0 rbytes=1 wbytes=2 rios=3 …" → dockerd's io_service_bytes_recursive entries. */
export function parseIoStat(text: string | undefined): BlkioEntry[] {
  const out: BlkioEntry[] = [];
  for (const line of (text ?? '').split('\n')) {
    const [device, ...pairs] = line.trim().split(/\s+/);
    const m = /^(\d+):(\d+)$/.exec(device ?? '');
    if (!m) continue;
    const values = Object.fromEntries(pairs.map((p) => p.split('=')));
    const entry = (op: string, key: string) => ({ major: Number(m[1]), minor: Number(m[2]), op, value: Number(values[key] ?? 0) });
    out.push(entry('read', 'rbytes'), entry('write', 'wbytes'));
  }
  return out;
}

export async function readCgroupV2(path: string): Promise<CgroupSample> {
  const at = (file: string) => readText(join(ROOT, path, file));
  const [cpuStat, memCurrent, memPeak, memMax, memStat, memEvents, ioStat, pidsCurrent, pidsMax] = await Promise.all([
    at('cpu.stat'), at('memory.current'), at('memory.peak'), at('memory.max'), at('memory.stat'), at('memory.events'),
    at('io.stat'), at('pids.current'), at('pids.max'),
  ]);
  const cpu = parseKeyValues(cpuStat);
  return {
    cpu: {
      total: (cpu.usage_usec ?? 0) * 1000,
      kernel: (cpu.system_usec ?? 0) * 1000,
      user: (cpu.user_usec ?? 0) * 1000,
      throttling: { periods: cpu.nr_periods ?? 0, throttledPeriods: cpu.nr_throttled ?? 0, throttledTime: (cpu.throttled_usec ?? 0) * 1000 },
    },
    memory: {
      usage: parseNumber(memCurrent) ?? 0,
      maxUsage: parseNumber(memPeak),
      failcnt: parseKeyValues(memEvents).max,
      // "max" = unlimited: the caller caps it at the host's memory, as dockerd does.
      limit: parseNumber(memMax) ?? Number.MAX_SAFE_INTEGER,
      stats: parseKeyValues(memStat),
    },
    pids: { current: parseNumber(pidsCurrent) ?? 0, limit: parseNumber(pidsMax) },
    blkio: parseIoStat(ioStat),
  };
}
