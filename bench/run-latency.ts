// Container run latency: the full `docker run --rm busybox true` round trip as a user sees it
// (create, attach, start, wait, remove), CLI included for both engines. Two variants: with
// --network=none (the runtime alone) and on the default bridge (the network set-up too).
import type { Benchmark } from './lib/benchmark.ts';
import { Comparison, orderFor, withEngines } from './lib/comparison.ts';
import { startBench } from './lib/engines.ts';

const WARMUPS = 3;
const RUNS = 20;

function runLatencyBenchmark(options: { name: string; label: string; networkArgs: string[]; bridged: boolean; target: number }): Benchmark {
  return {
    name: options.name,
    description: `docker run --rm ${[...options.networkArgs, 'busybox true'].join(' ')} (${WARMUPS} warm-ups, ${RUNS} timed, engines interleaved)`,
    async run(fx) {
      const cmp = new Comparison(this.name, this.description);
      cmp.metric('run', { label: options.label, unit: 'ms', target: options.target });
      const image = await fx.busybox();
      await withEngines(cmp, (name) => startBench(name, fx.registry.host, options.bridged), async (engines) => {
        const args = ['run', '--rm', ...options.networkArgs, image, 'true'];
        for (const e of Object.values(engines)) await cmp.step(e.name, 'pull busybox', () => e.dockerOk(['pull', '-q', image]));
        for (let i = 0; i < WARMUPS + RUNS; i++) {
          for (const name of orderFor(i)) {
            const e = engines[name];
            if (!e) continue;
            if (i < WARMUPS) await cmp.step(name, `warm-up run ${i + 1}`, () => e.dockerOk(args));
            else await cmp.sample(name, 'run', () => e.dockerOk(args));
          }
        }
      });
      return cmp;
    },
  };
}

export const runLatency = runLatencyBenchmark({ name: 'run-latency', label: 'docker run --rm true', networkArgs: ['--network=none'], bridged: false, target: 0.3 });

export const runBridgeLatency = runLatencyBenchmark({ name: 'run-bridge-latency', label: 'docker run --rm true (bridge)', networkArgs: [], bridged: true, target: 0.35 });
