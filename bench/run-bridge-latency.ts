// Container run latency on the default bridge network: `docker run --rm busybox true`, where the
// engine also creates and removes a network namespace, a veth pair and the container's address.
import type { Benchmark } from './lib/benchmark.ts';
import { Comparison, orderFor, withEngines } from './lib/comparison.ts';
import { startBench } from './lib/engines.ts';

const WARMUPS = 3;
const RUNS = 20;

export const runBridgeLatency: Benchmark = {
  name: 'run-bridge-latency',
  description: `docker run --rm busybox true on the default bridge (${WARMUPS} warm-ups, ${RUNS} timed, engines interleaved)`,
  async run(fx) {
    const cmp = new Comparison(this.name, this.description);
    cmp.metric('run', { label: 'docker run --rm true (bridge)', unit: 'ms', target: 0.35 });
    const image = await fx.busybox();
    await withEngines(cmp, (name) => startBench(name, fx.registry.host, true), async (engines) => {
      const args = ['run', '--rm', image, 'true'];
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
