// A/B of two berthd builds on the concurrent bench's workload (200 GET /containers/json + 100
// GET /images/json at once while 10 containers start and stop), so a change to the engine is
// judged in one run on one machine, rounds alternating which build goes first:
//   node bench/lib/ab.ts <entry A> <entry B> [rounds]
// Entries are berthd main scripts (e.g. a copy of engine/.dist kept before the change, and
// engine/.dist). $AB_NODE_FLAGS adds V8 flags to both (e.g. --cpu-prof --cpu-prof-dir=…; the
// profile is written when berthd exits).
import { round, createChurners } from '../concurrent.ts';
import { cpuMs, startBuild } from './ab-build.ts';
import { cleanupAll, onCleanup } from './cleanup.ts';
import { startFixtures } from './fixtures.ts';
import type { BenchEngine } from './engines.ts';
import { median, percentile } from './stats.ts';

async function main(): Promise<void> {
  const [entryA, entryB, roundsArg] = process.argv.slice(2).filter((a) => a !== '--');
  if (!entryA || !entryB) throw new Error('usage: ab.ts <entry A> <entry B> [rounds]');
  const rounds = Number(roundsArg ?? 6);
  const fx = await startFixtures();
  const image = await fx.busybox();
  const sides = [
    { label: 'A', entry: entryA },
    { label: 'B', entry: entryB },
  ];
  const engines: Record<string, { e: BenchEngine & { pid: number }; ids: string[] }> = {};
  for (const side of sides) {
    const e = await startBuild(side.entry, fx.registry.host);
    onCleanup(() => e.stop());
    await e.dockerOk(['pull', '-q', image]);
    engines[side.label] = { e, ids: await createChurners(e, image) };
  }
  const p99: Record<string, number[]> = { A: [], B: [] };
  const p50: Record<string, number[]> = { A: [], B: [] };
  const cpu: Record<string, number[]> = { A: [], B: [] };
  for (let i = 0; i < rounds + 1; i++) {
    for (const label of i % 2 === 0 ? ['A', 'B'] : ['B', 'A']) {
      const { e, ids } = engines[label];
      const c0 = cpuMs(e.pid);
      const r = await round(e, ids);
      const used = cpuMs(e.pid) - c0;
      process.stderr.write(`round ${i} ${label}: p99 ${percentile(r.latencies, 99).toFixed(0)} ms, p50 ${median(r.latencies).toFixed(0)} ms, ${r.cycles} cycles, berthd CPU ${used} ms\n`);
      if (i === 0) continue; // warm-up
      p99[label].push(percentile(r.latencies, 99));
      p50[label].push(median(r.latencies));
      cpu[label].push(used / r.cycles);
    }
  }
  const a = median(p99.A), b = median(p99.B);
  process.stdout.write(
    `A ${entryA}: p99 median ${a.toFixed(0)} ms (p50 ${median(p50.A).toFixed(0)}), berthd CPU per start/stop cycle ${median(cpu.A).toFixed(1)} ms\n` +
      `B ${entryB}: p99 median ${b.toFixed(0)} ms (p50 ${median(p50.B).toFixed(0)}), berthd CPU per start/stop cycle ${median(cpu.B).toFixed(1)} ms\n` +
      `B/A p99 ${(b / a).toFixed(2)}×, p50 ${(median(p50.B) / median(p50.A)).toFixed(2)}×, CPU ${(median(cpu.B) / median(cpu.A)).toFixed(2)}×\n`,
  );
}

main()
  .catch((e: unknown) => {
    process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
    process.exitCode = 1;
  })
  .finally(() => cleanupAll());
