// What the A/B scripts (ab.ts, ab-transfer.ts, lifecycle-ab.ts) share: a berthd started from a
// given build's main script, and its CPU time so far (what a busy shared host does not blur).
import { readFileSync } from 'node:fs';
import { startEngine } from '../../engine/test/support/engine-harness.ts';
import { wrap, type BenchEngine } from './engines.ts';

/** CPU time (user + system, ms) the process has used so far; 0 without a pid. */
export function cpuMs(pid: number | undefined): number {
  if (!pid) return 0;
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) * (1000 / 100);
}

/** A berthd from `entry` (a build's src/main.js), with the engine's V8 flags plus $AB_NODE_FLAGS. */
export async function startBuild(entry: string, registryHost: string): Promise<BenchEngine & { pid: number }> {
  // The harness reads both when it builds berthd's argv, before its first await.
  process.env.BERTH_ENGINE_ENTRY = entry;
  process.env.BERTH_ENGINE_NODE_FLAGS = ['--max-semi-space-size=1', process.env.AB_NODE_FLAGS ?? ''].join(' ');
  const h = await startEngine({ registryHost, timeoutMs: 60_000 });
  return { ...wrap('berth', h.socket, h.dockerEnv, () => [], () => h.stderr().slice(-4000), () => h.stop()), pid: h.pid };
}
