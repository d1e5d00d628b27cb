// Host-wide figures the stats sample needs from /proc: total CPU time (the CLI divides the
// container's CPU delta by it) and a namespace's interface counters.
import { readFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import type { NetworkCounters } from '../../../services/observability/stats-types.ts';

/** USER_HZ: /proc/stat counts in clock ticks, 100 per second on every Linux ABI Node runs on. */
const CLOCK_TICKS = 100;

export async function readText(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** Like dockerd's getSystemCPUUsage: user..softirq of the first `cpu` line, in nanoseconds. */
export function parseSystemCpu(procStat: string): number {
  const line = procStat.split('\n').find((l) => l.startsWith('cpu '));
  if (!line) return 0;
  const ticks = line.trim().split(/\s+/).slice(1, 8).reduce((sum, n) => sum + Number(n), 0);
  return (ticks * 1e9) / CLOCK_TICKS;
}

export async function systemCpuNs(): Promise<number> {
  return parseSystemCpu((await readText('/proc/stat')) ?? '');
}

export function onlineCpus(): number {
  return availableParallelism();
}

/** /proc/<pid>/net/dev → counters per interface, loopback left out (as dockerd does). */
export function parseNetDev(text: string): Record<string, NetworkCounters> {
  const out: Record<string, NetworkCounters> = {};
  for (const line of text.split('\n').slice(2)) {
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const name = line.slice(0, colon).trim();
    if (name === 'lo') continue;
    const f = line.slice(colon + 1).trim().split(/\s+/).map(Number);
    out[name] = {
      rx_bytes: f[0], rx_packets: f[1], rx_errors: f[2], rx_dropped: f[3],
      tx_bytes: f[8], tx_packets: f[9], tx_errors: f[10], tx_dropped: f[11],
    };
  }
  return out;
}

/** "key value" lines (memory.stat, cpu.stat, cpuacct.stat) → numbers. */
export function parseKeyValues(text: string | undefined): Record<string, number> {
  const out: Record<string, number> = {};
  for (const line of (text ?? '').split('\n')) {
    const [key, value] = line.trim().split(/\s+/);
    if (key && value !== undefined && /^\d+$/.test(value)) out[key] = Number(value);
  }
  return out;
}

/** A single-number file; "max" (v2 unlimited) and absent files read as undefined. */
export function parseNumber(text: string | undefined): number | undefined {
  const value = text?.trim();
  return value && /^\d+$/.test(value) ? Number(value) : undefined;
}
