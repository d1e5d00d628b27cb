// A/B of two berthd builds on the image-transfer commands of the cli-session bench, on busybox:
// `load` of a `docker save` archive whose layers are still present (the image was only untagged),
// `export` of a stopped container, `import` of that export, and `rmi` of the imported image.
// Rounds alternate which build goes first; each command's wall time and berthd's CPU time are
// recorded (CPU time is what a busy shared host does not blur):
//   node bench/lib/ab-transfer.ts <entry A> <entry B> [rounds]
// Entries are berthd main scripts (a copy of engine/.dist kept before the change, and
// engine/.dist). $AB_NODE_FLAGS adds V8 flags to both (e.g. --cpu-prof --cpu-prof-dir=…);
// $AB_STEPS (e.g. "export,import") runs only those commands.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cpuMs, startBuild } from './ab-build.ts';
import { cleanupAll, onCleanup } from './cleanup.ts';
import { startFixtures } from './fixtures.ts';
import type { BenchEngine } from './engines.ts';
import { median } from './stats.ts';

type Step = { name: string; args: (dir: string, i: number) => string[]; before?: (dir: string, i: number) => string[][] };

const ALL_STEPS: Step[] = [
  { name: 'load (layers present)', before: () => [['rmi', 'ab/app:1']], args: (d) => ['load', '-q', '-i', join(d, 'app.tar')] },
  { name: 'export', args: (d) => ['export', '-o', join(d, 'fs.tar'), 'ab-c'] },
  { name: 'import', args: (d, i) => ['import', join(d, 'fs.tar'), `ab/imported:${i}`] },
  { name: 'rmi', args: (_d, i) => ['rmi', `ab/imported:${i}`] },
];
const STEPS = process.env.AB_STEPS ? ALL_STEPS.filter((s) => process.env.AB_STEPS?.split(',').some((name) => s.name.startsWith(name))) : ALL_STEPS;

async function main(): Promise<void> {
  const [entryA, entryB, roundsArg] = process.argv.slice(2).filter((a) => a !== '--');
  if (!entryA || !entryB) throw new Error('usage: ab-transfer.ts <entry A> <entry B> [rounds]');
  const rounds = Number(roundsArg ?? 10);
  const fx = await startFixtures();
  const image = await fx.busybox();
  const engines: Record<string, { e: BenchEngine & { pid: number }; dir: string }> = {};
  for (const [label, entry] of [['A', entryA], ['B', entryB]]) {
    const e = await startBuild(entry, fx.registry.host);
    onCleanup(() => e.stop());
    const dir = mkdtempSync(join(tmpdir(), `berth-ab-transfer-${label}-`));
    onCleanup(async () => rmSync(dir, { recursive: true, force: true }));
    await e.dockerOk(['pull', '-q', image]);
    await e.dockerOk(['tag', image, 'ab/app:1']);
    await e.dockerOk(['save', '-o', join(dir, 'app.tar'), 'ab/app:1']);
    await e.dockerOk(['run', '--name', 'ab-c', '--network=none', image, 'sh', '-c', 'echo x > /x']);
    engines[label] = { e, dir };
  }
  const wall: Record<string, number[]> = {};
  const cpu: Record<string, number[]> = {};
  for (let i = 0; i < rounds + 1; i++) {
    for (const label of i % 2 === 0 ? ['A', 'B'] : ['B', 'A']) {
      const { e, dir } = engines[label];
      for (const step of STEPS) {
        for (const args of step.before?.(dir, i) ?? []) await e.dockerOk(args);
        const c0 = cpuMs(e.pid);
        const t0 = performance.now();
        await e.dockerOk(step.args(dir, i));
        const ms = performance.now() - t0;
        const used = cpuMs(e.pid) - c0;
        if (i === 0) continue; // warm-up
        (wall[`${label} ${step.name}`] ??= []).push(ms);
        (cpu[`${label} ${step.name}`] ??= []).push(used);
      }
    }
  }
  for (const step of STEPS) {
    const line = (label: string) => {
      const k = `${label} ${step.name}`;
      return `${label} wall ${median(wall[k]).toFixed(0)} ms, berthd CPU ${median(cpu[k]).toFixed(0)} ms`;
    };
    const ratio = median(wall[`B ${step.name}`]) / median(wall[`A ${step.name}`]);
    process.stdout.write(`${step.name.padEnd(22)} ${line('A')} | ${line('B')} | B/A wall ${ratio.toFixed(2)}× (n=${rounds})\n`);
  }
}

main()
  .catch((e: unknown) => {
    process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
    process.exitCode = 1;
  })
  .finally(() => cleanupAll());
