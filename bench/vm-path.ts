// The cost of the Berth VM path (issue 12), four sides in one run:
//   berth      berthd on this host (the native baseline)
//   berth-fwd  the same berthd behind the host forwarder + agent, no QEMU: what the socket path
//              costs, i.e. what would remain under a real hypervisor (goal: within 1.2× native)
//   berth-vm   berthd in the Berth VM through <home>/run/docker.sock, under this machine's
//              accelerator (TCG here: every guest instruction emulated, so read it as a ceiling)
//   dockerd    Debian's dockerd, the usual reference
// Workloads: `docker run --rm busybox true` (default bridge), GET /containers/json, `docker ps -a`
// with 100 containers; memory: QEMU + forwarder at idle, and after a container allocated 1 GiB
// and exited (does free page reporting hand it back to the host?).
import type { Benchmark } from './lib/benchmark.ts';
import { api, inParallel } from './lib/api.ts';
import { Comparison, orderFor, withEngines } from './lib/comparison.ts';
import { startBench, type BenchEngine, type EngineName } from './lib/engines.ts';
import { sleep } from './lib/stats.ts';
import { pullSameName, startForwardedEngine, startVmEngine, BENCH_VM } from './lib/vm-engines.ts';

const SIDES: readonly EngineName[] = ['berth', 'berth-fwd', 'berth-vm', 'dockerd'];
const WARMUPS = 2;
const RUNS = 10;
const API_RUNS = 30;
const CONTAINERS = 100;
const RECLAIM_WAIT_MS = 60_000;

function start(name: EngineName, registryHost: string): Promise<BenchEngine> {
  if (name === 'berth-vm') return startVmEngine(registryHost);
  if (name === 'berth-fwd') return startForwardedEngine(registryHost);
  return startBench(name, registryHost, true);
}

const pull = pullSameName;

async function createMany(e: BenchEngine, image: string): Promise<void> {
  const spec = { Image: image, Cmd: ['true'], HostConfig: { NetworkMode: 'none' } };
  await inParallel(Array.from({ length: CONTAINERS }, (_, i) => i), 8, async (i) => {
    const res = await api(e.socket, 'POST', `/containers/create?name=bench-vm-ps-${i}`, spec, 300_000);
    if (res.status !== 201) throw new Error(`create ${i} → HTTP ${res.status}: ${res.body.trim()}`);
  });
}

const rssMiB = (e: BenchEngine) => e.rss().reduce((sum, p) => sum + (p.kib ?? 0), 0) / 1024;

/** Allocates and touches 1 GiB in a container of the VM, then waits for QEMU's RSS to come back. */
async function balloonCheck(cmp: Comparison, vm: BenchEngine, image: string): Promise<void> {
  const idle = rssMiB(vm);
  // busybox dd with bs=1G mallocs one 1 GiB buffer and fills it from /dev/zero: every page touched.
  await vm.dockerOk(['run', '--rm', image, 'dd', 'if=/dev/zero', 'of=/dev/null', 'bs=1G', 'count=1'], 600_000);
  const peak = rssMiB(vm);
  const started = Date.now();
  let now = peak;
  while (Date.now() - started < RECLAIM_WAIT_MS) {
    await sleep(2_000);
    now = rssMiB(vm);
    if (now < idle + 256) break;
  }
  cmp.record('berth-vm', 'rss-freed', now);
  cmp.note(`berth-vm QEMU+forwarder RSS: idle ${idle.toFixed(0)} MiB, right after the 1 GiB container exited ${peak.toFixed(0)} MiB, ` +
    `${((Date.now() - started) / 1000).toFixed(0)} s later ${now.toFixed(0)} MiB (${peak - now > 512 ? 'given back: free page reporting works' : 'not given back'})`);
}

export const vmPath: Benchmark = {
  name: 'vm-path',
  description: `Berth VM path: native berthd, berthd behind forwarder+agent, berthd in the VM (${BENCH_VM.cpus} vCPU, ${BENCH_VM.memory}), dockerd`,
  async run(fx) {
    const cmp = new Comparison(this.name, this.description, SIDES);
    cmp.metric('run', { label: 'docker run --rm true (bridge)', unit: 'ms', target: 1.2, ratio: ['berth-fwd', 'berth'] });
    cmp.metric('api', { label: 'GET /containers/json', unit: 'ms', target: 1.2, ratio: ['berth-fwd', 'berth'] });
    cmp.metric('ps', { label: `docker ps -a (${CONTAINERS} ctrs)`, unit: 'ms', target: 1.2, ratio: ['berth-fwd', 'berth'] });
    cmp.metric('rss', { label: 'idle RSS (engine processes)', unit: 'MiB', ratio: ['berth-vm', 'dockerd'] });
    cmp.metric('rss-freed', { label: 'VM RSS after 1 GiB freed', unit: 'MiB', ratio: ['berth-vm', 'dockerd'] });
    const image = await fx.busybox();
    await withEngines(cmp, (name) => start(name, fx.registry.host), async (engines) => {
      const each = async (label: string, fn: (e: BenchEngine) => Promise<unknown>) => {
        for (const e of Object.values(engines)) await cmp.step(e.name, label, () => fn(e));
      };
      await each('pull busybox', (e) => pull(e, image));
      await sleep(5_000);
      for (const e of Object.values(engines)) if (!cmp.failed(e.name)) cmp.record(e.name, 'rss', rssMiB(e));
      const args = ['run', '--rm', image, 'true'];
      for (let i = 0; i < WARMUPS + RUNS; i++) {
        for (const name of orderFor(i, SIDES)) {
          const e = engines[name];
          if (!e) continue;
          if (i < WARMUPS) await cmp.step(name, `warm-up run ${i + 1}`, () => e.dockerOk(args));
          else await cmp.sample(name, 'run', () => e.dockerOk(args));
        }
      }
      for (let i = 0; i < API_RUNS; i++) {
        for (const name of orderFor(i, SIDES)) {
          const e = engines[name];
          if (e) await cmp.sample(name, 'api', async () => {
            const res = await api(e.socket, 'GET', '/containers/json');
            if (res.status !== 200) throw new Error(`GET /containers/json → ${res.status}`);
          });
        }
      }
      await each(`create ${CONTAINERS} containers`, (e) => createMany(e, image));
      for (let i = 0; i < WARMUPS + RUNS; i++) {
        for (const name of orderFor(i, SIDES)) {
          const e = engines[name];
          if (!e) continue;
          if (i < WARMUPS) await cmp.step(name, `warm-up ps ${i + 1}`, () => e.dockerOk(['ps', '-a']));
          else await cmp.sample(name, 'ps', () => e.dockerOk(['ps', '-a']));
        }
      }
      const vm = engines['berth-vm'];
      if (vm && !cmp.failed('berth-vm')) await cmp.step('berth-vm', '1 GiB allocation', () => balloonCheck(cmp, vm, image));
    });
    return cmp;
  },
};
