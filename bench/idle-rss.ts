// Memory at rest: after start and one pull, both engines idle 5 s, then VmRSS is sampled from
// /proc. Berth is one process (berthd); dockerd's footprint is dockerd + the containerd it runs.
import type { Benchmark } from './lib/benchmark.ts';
import { Comparison, withEngines } from './lib/comparison.ts';
import { ENGINE_NAMES, startBench, type BenchEngine } from './lib/engines.ts';
import { descendants, vmRssKiB } from '../engine/test/support/processes.ts';
import { sleep } from './lib/stats.ts';

const IDLE_MS = 5_000;
const SAMPLES = 5;
const SAMPLE_GAP_MS = 200;

function totalMiB(e: BenchEngine): number {
  return e.rss().reduce((a, p) => a + (p.kib ?? 0), 0) / 1024;
}

/** Processes under the engine that the metric does not count, so a reader can judge fairness. */
function uncounted(e: BenchEngine): string[] {
  const counted = e.rss().map((p) => p.pid);
  return descendants(counted[0]).filter((p) => !counted.includes(p.pid)).map((p) => `${p.name} (pid ${p.pid}) ${((vmRssKiB(p.pid) ?? 0) / 1024).toFixed(1)} MiB`);
}

export const idleRss: Benchmark = {
  name: 'idle-rss',
  description: `VmRSS after start + one busybox pull + ${IDLE_MS / 1000} s idle (${SAMPLES} samples ${SAMPLE_GAP_MS} ms apart)`,
  async run(fx) {
    const cmp = new Comparison(this.name, this.description);
    cmp.metric('rss', { label: 'idle RSS (engine total)', unit: 'MiB', target: 0.6 });
    cmp.metric('start', { label: 'RSS right after start', unit: 'MiB' });
    const image = await fx.busybox();
    await withEngines(cmp, (name) => startBench(name, fx.registry.host), async (engines) => {
      for (const e of Object.values(engines)) cmp.record(e.name, 'start', totalMiB(e));
      for (const e of Object.values(engines)) await cmp.step(e.name, 'pull busybox', () => e.dockerOk(['pull', '-q', image]));
      await sleep(IDLE_MS);
      const parts: Record<string, number[]> = {};
      for (let s = 0; s < SAMPLES; s++) {
        for (const name of ENGINE_NAMES) {
          const e = engines[name];
          if (!e || cmp.failed(name)) continue;
          const procs = e.rss();
          const missing = procs.find((p) => p.kib === undefined);
          if (missing) {
            cmp.fail(name, 'read VmRSS', new Error(`${missing.process} (pid ${missing.pid}) not found in /proc`));
            continue;
          }
          cmp.record(name, 'rss', procs.reduce((a, p) => a + (p.kib ?? 0), 0) / 1024);
          for (const p of procs) (parts[`${name}/${p.process}`] ??= []).push((p.kib ?? 0) / 1024);
        }
        await sleep(SAMPLE_GAP_MS);
      }
      for (const [proc, mib] of Object.entries(parts)) {
        cmp.note(`${proc}: ${(mib.reduce((a, b) => a + b, 0) / mib.length).toFixed(1)} MiB (mean of ${mib.length})`);
      }
      for (const e of Object.values(engines)) {
        const extra = uncounted(e);
        cmp.note(`${e.name} child processes not counted: ${extra.length ? extra.join(', ') : 'none'}`);
      }
    });
    return cmp;
  },
};
