// Container run latency: the full `docker run --rm --network=none busybox true` round trip as a
// user sees it (create, attach, start, wait, remove), CLI included for both engines.
import type { Benchmark } from './lib/benchmark.ts';
import { Comparison, orderFor, withEngines } from './lib/comparison.ts';
import { startBench } from './lib/engines.ts';

const WARMUPS = 3;
const RUNS = 20;

export const runLatency: Benchmark = {
  name: 'run-latency',
  description: `docker run --rm --network=none busybox true (${WARMUPS} warm-ups, ${RUNS} timed, engines interleaved)`,
  async run(fx) {
    const cmp = new Comparison(this.name, this.description);
    cmp.metric('run', { label: 'docker run --rm true', unit: 'ms', target: 0.3 });
    const image = await fx.busybox();
    await withEngines(cmp, (name) => startBench(name, fx.registry.host), async (engines) => {
      const args = ['run', '--rm', '--network=none', image, 'true'];
      for (const e of Object.values(engines)) await cmp.step(e.name, 'pull busybox', () => e.dockerOk(['pull', '-q', image]));
      for (let i = 0; i < WARMUPS; i++) {
        for (const name of orderFor(i)) {
          const e = engines[name];
          if (e) await cmp.step(name, `warm-up run ${i + 1}`, () => e.dockerOk(args));
        }
      }
      for (let i = 0; i < RUNS; i++) {
        for (const name of orderFor(i)) {
          const e = engines[name];
          if (e) await cmp.sample(name, 'run', () => e.dockerOk(args));
        }
      }
    });
    return cmp;
  },
};
