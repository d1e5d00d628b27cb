// Cold pull of the ~300 MB, 6-layer image from the local registry. Every run gets a fresh engine
// (fresh data root), so nothing is cached in either engine's content store: the number is
// download + verify + decompress + unpack + commit, as for a first pull on a new machine.
import type { Benchmark } from './lib/benchmark.ts';
import { Comparison, orderFor } from './lib/comparison.ts';
import { startBench, type BenchEngine } from './lib/engines.ts';

const RUNS = 3;

export const pull: Benchmark = {
  name: 'pull',
  description: `cold docker pull of the 6-layer ~300 MB image from 127.0.0.1 (fresh engine per run, ${RUNS} runs each)`,
  async run(fx) {
    const cmp = new Comparison(this.name, this.description);
    cmp.metric('pull', { label: 'docker pull (cold)', unit: 's', target: 0.7 });
    cmp.metric('start', { label: 'engine start to /_ping', unit: 'ms' });
    const big = await fx.bigImage();
    cmp.note(
      `image ${big.ref}: ${big.layers} layers, ${(big.compressedBytes / 2 ** 20).toFixed(0)} MiB compressed, ` +
        `${(big.uncompressedBytes / 2 ** 20).toFixed(0)} MiB uncompressed`,
    );
    for (let i = 0; i < RUNS; i++) {
      for (const name of orderFor(i)) {
        if (cmp.failed(name)) continue;
        let engine: BenchEngine | undefined;
        try {
          const t0 = performance.now();
          engine = await cmp.step(name, `start ${name} (run ${i + 1})`, () => startBench(name, fx.registry.host));
          if (!engine) continue;
          cmp.record(name, 'start', performance.now() - t0);
          const e = engine;
          await cmp.sample(name, 'pull', () => e.dockerOk(['pull', big.ref], 600_000), 1 / 1000);
          // The pull must have produced a usable image, or the time means nothing.
          await cmp.step(name, 'inspect pulled image', () => e.dockerOk(['image', 'inspect', big.ref]));
        } finally {
          await engine?.stop();
        }
      }
    }
    return cmp;
  },
};
