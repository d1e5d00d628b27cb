// A/B of two berthd builds (and, with AB_DOCKERD=1, Debian's dockerd as a third side) on the
// container-lifecycle commands of the cli-session bench, timed one by one, rounds alternating
// which side goes first:
//   node bench/lib/lifecycle-ab.ts <entry A> <entry B> [rounds]
// Per round and side: `run -d -p 127.0.0.1::8080 … sleep 600`, then top, pause, unpause, kill,
// start, stop -t 0, rm; a user network with `run -d`, `network connect bridge` + `disconnect`,
// then `rm -f`. Prints the median per command and side, and berthd's CPU time per round.
import { cpuMs, startBuild } from './ab-build.ts';
import { cleanupAll, onCleanup } from './cleanup.ts';
import { startFixtures } from './fixtures.ts';
import { startDockerdEngine, type BenchEngine } from './engines.ts';
import { median } from './stats.ts';

type Timings = Map<string, number[]>;

async function timed(e: BenchEngine, t: Timings, label: string, args: string[]): Promise<void> {
  const started = performance.now();
  await e.dockerOk(args);
  const ms = performance.now() - started;
  if (!t.has(label)) t.set(label, []);
  t.get(label)?.push(ms);
}

async function round(e: BenchEngine, image: string, t: Timings): Promise<void> {
  await e.dockerOk(['run', '-d', '--name', 'ab-web', '-p', '127.0.0.1::8080', image, 'sleep', '600']);
  await timed(e, t, 'top', ['top', 'ab-web']);
  await timed(e, t, 'pause', ['pause', 'ab-web']);
  await timed(e, t, 'unpause', ['unpause', 'ab-web']);
  await timed(e, t, 'kill', ['kill', 'ab-web']);
  await e.dockerOk(['start', 'ab-web']);
  await timed(e, t, 'stop -t 0', ['stop', '-t', '0', 'ab-web']);
  await timed(e, t, 'rm (stopped)', ['rm', 'ab-web']);
  await e.dockerOk(['network', 'create', 'ab-net']);
  await e.dockerOk(['run', '-d', '--name', 'ab-n1', '--network', 'ab-net', image, 'sleep', '600']);
  await e.dockerOk(['network', 'connect', 'bridge', 'ab-n1']);
  await e.dockerOk(['network', 'disconnect', 'bridge', 'ab-n1']);
  await timed(e, t, 'rm -f (user net)', ['rm', '-f', 'ab-n1']);
  await e.dockerOk(['network', 'rm', 'ab-net']);
  await e.dockerOk(['run', '-d', '--name', 'ab-b1', image, 'sleep', '600']);
  await timed(e, t, 'rm -f (bridge)', ['rm', '-f', 'ab-b1']);
}

async function main(): Promise<void> {
  const [entryA, entryB, roundsArg] = process.argv.slice(2).filter((a) => a !== '--');
  if (!entryA || !entryB) throw new Error('usage: lifecycle-ab.ts <entry A> <entry B> [rounds]');
  const rounds = Number(roundsArg ?? 10);
  const fx = await startFixtures();
  const image = await fx.busybox();
  const sides: Array<{ label: string; e: BenchEngine; pid?: number; t: Timings; cpu: number[] }> = [];
  for (const [label, entry] of [['A', entryA], ['B', entryB]]) {
    const e = await startBuild(entry, fx.registry.host);
    onCleanup(() => e.stop());
    sides.push({ label, e, pid: e.pid, t: new Map(), cpu: [] });
  }
  if (process.env.AB_DOCKERD === '1') {
    const e = await startDockerdEngine(fx.registry.host, true, true);
    sides.push({ label: 'dockerd', e, t: new Map(), cpu: [] });
  }
  for (const s of sides) await s.e.dockerOk(['pull', '-q', image]);
  for (let i = 0; i < rounds + 1; i++) {
    const order = i % 2 === 0 ? sides : [...sides].reverse();
    for (const s of order) {
      const c0 = cpuMs(s.pid);
      // Round 0 warms up (page cache, the exec worker, the first netavark call).
      const t = i === 0 ? new Map() : s.t;
      await round(s.e, image, t);
      if (i > 0) s.cpu.push(cpuMs(s.pid) - c0);
    }
    process.stderr.write(`round ${i} done\n`);
  }
  const labels = [...sides[0].t.keys()];
  process.stdout.write(`medians over ${rounds} rounds (ms)\n${'command'.padEnd(18)}${sides.map((s) => s.label.padStart(9)).join('')}\n`);
  for (const label of labels) {
    process.stdout.write(`${label.padEnd(18)}${sides.map((s) => median(s.t.get(label) ?? []).toFixed(0).padStart(9)).join('')}\n`);
  }
  process.stdout.write(`${'berthd CPU/round'.padEnd(18)}${sides.map((s) => (s.pid ? median(s.cpu).toFixed(0) : '-').padStart(9)).join('')}\n`);
}

main()
  .catch((e: unknown) => {
    process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
    process.exitCode = 1;
  })
  .finally(() => cleanupAll());
