// Listing under load: 200 `GET /containers/json` and 100 `GET /images/json` fired at once while
// 10 containers start and stop in a loop (through the API, so the CLI's own start-up is not the
// load). The metric is the p99 of the 300 request latencies of a round; one engine at a time,
// rounds alternating which engine goes first.
import type { Benchmark } from './lib/benchmark.ts';
import { api } from './lib/api.ts';
import { Comparison, orderFor, withEngines } from './lib/comparison.ts';
import type { BenchEngine } from './lib/engines.ts';
import { startBench } from './lib/engines.ts';
import { median, percentile } from './lib/stats.ts';

const CHURNERS = 10;
const CONTAINER_GETS = 200;
const IMAGE_GETS = 100;
const ROUNDS = 5;

async function ok(e: BenchEngine, method: string, path: string, body?: unknown): Promise<string> {
  const res = await api(e.socket, method, path, body);
  if (res.status >= 300) throw new Error(`${method} ${path} → HTTP ${res.status}: ${res.body.trim()}`);
  return res.body;
}

export async function createChurners(e: BenchEngine, image: string): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < CHURNERS; i++) {
    const spec = { Image: image, Cmd: ['sleep', '600'], StopSignal: 'SIGKILL', HostConfig: { NetworkMode: 'none' } };
    ids.push((JSON.parse(await ok(e, 'POST', `/containers/create?name=bench-churn-${i}`, spec)) as { Id: string }).Id);
  }
  return ids;
}

/** Starts and stops each container until `done` is set; the load the listings run under. */
function churn(e: BenchEngine, ids: string[], state: { done: boolean; cycles: number }): Promise<void> {
  return Promise.all(
    ids.map(async (id) => {
      while (!state.done) {
        await ok(e, 'POST', `/containers/${id}/start`);
        await ok(e, 'POST', `/containers/${id}/stop?t=0`);
        state.cycles++;
      }
    }),
  ).then(() => undefined);
}

async function timedGet(e: BenchEngine, path: string): Promise<number> {
  const t0 = performance.now();
  await ok(e, 'GET', path);
  return performance.now() - t0;
}

export async function round(e: BenchEngine, ids: string[]): Promise<{ latencies: number[]; cycles: number }> {
  const state = { done: false, cycles: 0 };
  const load = churn(e, ids, state);
  try {
    // Let the churn get going so the listings really overlap starts and stops.
    while (state.cycles < CHURNERS) await new Promise((r) => setImmediate(r));
    const gets = [
      ...Array.from({ length: CONTAINER_GETS }, () => timedGet(e, '/containers/json')),
      ...Array.from({ length: IMAGE_GETS }, () => timedGet(e, '/images/json')),
    ];
    return { latencies: await Promise.all(gets), cycles: state.cycles };
  } finally {
    state.done = true;
    await load;
  }
}

export const concurrent: Benchmark = {
  name: 'concurrent',
  description: `${CONTAINER_GETS} GET /containers/json + ${IMAGE_GETS} GET /images/json at once while ${CHURNERS} containers start/stop (${ROUNDS} rounds, engines alternating)`,
  async run(fx) {
    const cmp = new Comparison(this.name, this.description);
    cmp.metric('p99', { label: 'p99 of 300 concurrent GETs', unit: 'ms', target: 0.5 });
    cmp.metric('p50', { label: 'median of 300 concurrent GETs', unit: 'ms' });
    const image = await fx.busybox();
    await withEngines(cmp, (name) => startBench(name, fx.registry.host), async (engines) => {
      const ids: Record<string, string[]> = {};
      for (const e of Object.values(engines)) {
        await cmp.step(e.name, 'pull busybox', () => e.dockerOk(['pull', '-q', image]));
        const created = await cmp.step(e.name, `create ${CHURNERS} containers`, () => createChurners(e, image));
        if (created) ids[e.name] = created;
      }
      for (let i = 0; i < ROUNDS + 1; i++) {
        for (const name of orderFor(i)) {
          const e = engines[name];
          if (!e || !ids[name]) continue;
          const r = await cmp.step(name, `round ${i}`, () => round(e, ids[name]));
          if (!r || i === 0) continue; // Round 0 warms both engines up.
          cmp.record(name, 'p99', percentile(r.latencies, 99));
          cmp.record(name, 'p50', median(r.latencies));
          cmp.note(`${name} round ${i}: ${r.cycles} start/stop cycles during the 300 GETs`);
        }
      }
    });
    return cmp;
  },
};
