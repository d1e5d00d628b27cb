// docker save + docker load of the ~300 MB, 6-layer image, Berth vs dockerd. Each engine pulls
// the image once (not timed); then per run: `docker save -o` (timed), `docker rmi`, `docker load
// -i` (timed). The first save of a pulled image in Berth also decompresses the pulled blobs into
// the content store (dockerd re-tars its layer dirs instead), so run 1 is the cold save.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Benchmark } from './lib/benchmark.ts';
import { Comparison, orderFor } from './lib/comparison.ts';
import { startBench, type BenchEngine, type EngineName } from './lib/engines.ts';

const RUNS = 3;

export const saveLoad: Benchmark = {
  name: 'save-load',
  description: `docker save + docker load of the 6-layer ~300 MB image (${RUNS} runs each, one engine per side)`,
  async run(fx) {
    const cmp = new Comparison(this.name, this.description);
    cmp.metric('save', { label: 'docker save -o', unit: 's', target: 0.5 });
    cmp.metric('load', { label: 'docker load -i (after rmi)', unit: 's', target: 0.8 });
    const big = await fx.bigImage();
    const dir = mkdtempSync(join(tmpdir(), 'berth-bench-save-'));
    const engines = new Map<EngineName, BenchEngine>();
    try {
      for (const name of orderFor(0)) {
        const engine = await cmp.step(name, `start ${name}`, () => startBench(name, fx.registry.host));
        if (!engine) continue;
        engines.set(name, engine);
        await cmp.step(name, 'pull the big image', () => engine.dockerOk(['pull', big.ref], 600_000));
      }
      for (let i = 0; i < RUNS; i++) {
        for (const name of orderFor(i)) {
          const engine = engines.get(name);
          if (!engine || cmp.failed(name)) continue;
          const file = join(dir, `${name}.tar`);
          await cmp.sample(name, 'save', () => engine.dockerOk(['save', '-o', file, big.ref], 600_000), 1 / 1000);
          if (i === 0) cmp.note(`${name}: archive ${(statSync(file).size / 2 ** 20).toFixed(0)} MiB`);
          await cmp.step(name, 'rmi', () => engine.dockerOk(['rmi', big.ref]));
          await cmp.sample(name, 'load', () => engine.dockerOk(['load', '-i', file], 600_000), 1 / 1000);
          // The loaded image must run, or the time means nothing.
          await cmp.step(name, 'run the loaded image', () => engine.dockerOk(['run', '--rm', big.ref, 'true']));
          rmSync(file, { force: true });
        }
      }
    } finally {
      for (const engine of engines.values()) await engine.stop();
      rmSync(dir, { recursive: true, force: true });
    }
    return cmp;
  },
};
