// Leak check: 1,000 `run --rm` cycles (create with AutoRemove, wait for removal, start: what the
// CLI sends for `docker run --rm --network=none busybox true`, minus the CLI start-up), then the
// engine's RSS against its RSS after a 100-cycle warm-up. The target is absolute (≤ 5 MiB growth
// for berthd); dockerd's growth (dockerd + containerd) is shown alongside for information.
import type { Benchmark } from './lib/benchmark.ts';
import { api, inParallel } from './lib/api.ts';
import { Comparison, withEngines } from './lib/comparison.ts';
import type { BenchEngine } from './lib/engines.ts';
import { startBench } from './lib/engines.ts';
import { sleep } from './lib/stats.ts';

const WARMUP = 100;
const CYCLES = 1_000;
const CONCURRENCY = 4;
const SETTLE_MS = 3_000;

async function runRm(e: BenchEngine, image: string): Promise<void> {
  const spec = { Image: image, Cmd: ['true'], HostConfig: { NetworkMode: 'none', AutoRemove: true } };
  const created = await api(e.socket, 'POST', '/containers/create', spec);
  if (created.status !== 201) throw new Error(`create → HTTP ${created.status}: ${created.body.trim()}`);
  const id = (JSON.parse(created.body) as { Id: string }).Id;
  const removed = api(e.socket, 'POST', `/containers/${id}/wait?condition=removed`);
  const started = await api(e.socket, 'POST', `/containers/${id}/start`);
  if (started.status !== 204) throw new Error(`start → HTTP ${started.status}: ${started.body.trim()}`);
  const waited = await removed;
  if (waited.status !== 200) throw new Error(`wait removed → HTTP ${waited.status}: ${waited.body.trim()}`);
}

function rssMiB(e: BenchEngine): number {
  return e.rss().reduce((a, p) => a + (p.kib ?? 0), 0) / 1024;
}

async function cycles(e: BenchEngine, image: string, n: number): Promise<void> {
  await inParallel(Array.from({ length: n }, (_, i) => i), CONCURRENCY, () => runRm(e, image));
}

export const rssGrowth: Benchmark = {
  name: 'rss-growth',
  description: `RSS growth over ${CYCLES} run --rm cycles (API, ${CONCURRENCY} at a time) after a ${WARMUP}-cycle warm-up`,
  async run(fx) {
    const cmp = new Comparison(this.name, this.description);
    cmp.metric('growth', { label: `RSS growth over ${CYCLES} run --rm`, unit: 'MiB', target: 5, absolute: true });
    cmp.metric('after', { label: `RSS after ${CYCLES} cycles`, unit: 'MiB' });
    cmp.metric('cycle', { label: 'wall time per cycle (x4 in flight)', unit: 'ms' });
    const image = await fx.busybox();
    await withEngines(cmp, (name) => startBench(name, fx.registry.host), async (engines) => {
      for (const e of Object.values(engines)) {
        await cmp.step(e.name, 'pull busybox', () => e.dockerOk(['pull', '-q', image]));
        if (!(await cmp.step(e.name, `${WARMUP} warm-up cycles`, () => cycles(e, image, WARMUP).then(() => true)))) continue;
        await sleep(SETTLE_MS);
        const before = rssMiB(e);
        const t0 = performance.now();
        if (!(await cmp.step(e.name, `${CYCLES} cycles`, () => cycles(e, image, CYCLES).then(() => true)))) continue;
        cmp.record(e.name, 'cycle', (performance.now() - t0) / CYCLES);
        await sleep(SETTLE_MS);
        const after = rssMiB(e);
        cmp.record(e.name, 'growth', after - before);
        cmp.record(e.name, 'after', after);
        const left = await api(e.socket, 'GET', '/containers/json?all=1');
        cmp.note(`${e.name}: ${before.toFixed(1)} → ${after.toFixed(1)} MiB; containers left: ${(JSON.parse(left.body) as unknown[]).length}`);
      }
    });
    return cmp;
  },
};
