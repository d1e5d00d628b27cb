// Listing cost with many containers: 500 created (not started) containers per engine, then
// `docker ps -a` through the CLI. Creation goes through the API in parallel (setup, not the
// workload), but its wall time is reported too, for information.
import type { Benchmark } from './lib/benchmark.ts';
import { api, inParallel } from './lib/api.ts';
import { Comparison, orderFor, withEngines } from './lib/comparison.ts';
import type { BenchEngine } from './lib/engines.ts';
import { startBench } from './lib/engines.ts';
import { median, timed } from './lib/stats.ts';

const CONTAINERS = 500;
const CREATE_CONCURRENCY = 16;
const WARMUPS = 2;
const RUNS = 10;

async function createMany(e: BenchEngine, image: string): Promise<void> {
  const spec = { Image: image, Cmd: ['true'], HostConfig: { NetworkMode: 'none' }, Labels: { 'org.berth.bench': 'ps' } };
  await inParallel(Array.from({ length: CONTAINERS }, (_, i) => i), CREATE_CONCURRENCY, async (i) => {
    const res = await api(e.socket, 'POST', `/containers/create?name=bench-ps-${i}`, spec);
    if (res.status !== 201) throw new Error(`POST /containers/create (container ${i}) → HTTP ${res.status}: ${res.body.trim()}`);
  });
}

async function listOk(e: BenchEngine): Promise<void> {
  const res = await api(e.socket, 'GET', '/containers/json?all=1');
  if (res.status !== 200) throw new Error(`GET /containers/json?all=1 → HTTP ${res.status}: ${res.body.trim()}`);
}

/** `docker ps -a -q` line count, to prove the listing really holds every container. */
async function countListed(e: BenchEngine): Promise<number> {
  const r = await e.dockerOk(['ps', '-a', '-q']);
  return r.stdout.split('\n').filter(Boolean).length;
}

export const ps: Benchmark = {
  name: 'ps',
  description: `docker ps -a with ${CONTAINERS} created containers (${WARMUPS} warm-ups, ${RUNS} timed, interleaved)`,
  async run(fx) {
    const cmp = new Comparison(this.name, this.description);
    cmp.metric('ps', { label: `docker ps -a (${CONTAINERS} ctrs)`, unit: 'ms' });
    cmp.metric('ps0', { label: 'docker ps -a (0 ctrs)', unit: 'ms' });
    cmp.metric('api', { label: `GET /containers/json?all=1 (${CONTAINERS})`, unit: 'ms', target: 0.3 });
    cmp.metric('create', { label: `create ${CONTAINERS} via API (x${CREATE_CONCURRENCY})`, unit: 's' });
    const image = await fx.busybox();
    await withEngines(cmp, (name) => startBench(name, fx.registry.host), async (engines) => {
      const args = ['ps', '-a'];
      // The empty listing is the floor (CLI start + one round trip) the 500-container one sits on.
      for (let i = 0; i < WARMUPS + RUNS; i++) {
        for (const name of orderFor(i)) {
          const e = engines[name];
          if (!e) continue;
          if (i < WARMUPS) await cmp.step(name, `warm-up empty ps ${i + 1}`, () => e.dockerOk(args));
          else await cmp.sample(name, 'ps0', () => e.dockerOk(args));
        }
      }
      for (const e of Object.values(engines)) {
        await cmp.step(e.name, 'pull busybox', () => e.dockerOk(['pull', '-q', image]));
        const t = await cmp.step(e.name, `create ${CONTAINERS} containers`, () => timed(() => createMany(e, image)));
        if (t) cmp.record(e.name, 'create', t.ms / 1000);
        const n = await cmp.step(e.name, 'count containers', () => countListed(e));
        if (n !== undefined && n !== CONTAINERS) cmp.fail(e.name, 'count containers', new Error(`docker ps -a -q listed ${n}, expected ${CONTAINERS}`));
      }
      for (let i = 0; i < WARMUPS; i++) {
        for (const name of orderFor(i)) {
          const e = engines[name];
          if (e) await cmp.step(name, `warm-up ps ${i + 1}`, () => e.dockerOk(args));
        }
      }
      for (let i = 0; i < RUNS; i++) {
        for (const name of orderFor(i)) {
          const e = engines[name];
          if (e) await cmp.sample(name, 'ps', () => e.dockerOk(args));
        }
      }
      // The same listing without the CLI: how much of the time is the engine's own.
      for (let i = 0; i < RUNS; i++) {
        for (const name of orderFor(i)) {
          const e = engines[name];
          if (e) await cmp.sample(name, 'api', () => listOk(e));
        }
      }
    });
    const psB = median(cmp.samplesOf('ps', 'berth'));
    const apiB = median(cmp.samplesOf('api', 'berth'));
    const psD = median(cmp.samplesOf('ps', 'dockerd'));
    if (Number.isFinite(psB + apiB + psD)) {
      // What the CLI itself spends (start, decode, format 500 rows) bounds the ratio from below.
      cmp.note(
        `CLI-side share with berth ≈ ${(psB - apiB).toFixed(1)} ms (ps − API median); even a 0 ms engine ` +
          `would give ≈ ${((psB - apiB) / psD).toFixed(2)}× against dockerd's ${psD.toFixed(1)} ms`,
      );
    }
    return cmp;
  },
};
