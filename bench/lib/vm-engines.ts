// The two VM-path sides of bench/vm-path.ts, in the same BenchEngine shape as berthd and dockerd:
// - berth-vm: the Berth VM booted as `berth vm start` boots it (own temp home, QEMU under the
//   accelerator vm-host.ts picks: TCG on this machine), driven through <home>/run/docker.sock;
// - berth-fwd: a native berthd behind the same forwarder and agent processes, no QEMU: what the
//   socket path itself costs, which is what a real hypervisor would leave of the VM's overhead.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import { startVm, stopVm } from '../../app/src/backend/vm/vm-control.ts';
import { prepareHome, readState, vmHome } from '../../app/src/backend/vm/vm-home.ts';
import { freePort } from '../../app/src/backend/vm/free-port.ts';
import { startEngine } from '../../engine/test/support/engine-harness.ts';
import { pingSocket } from '../../engine/test/support/engine-harness.ts';
import { vmRssKiB } from '../../engine/test/support/processes.ts';
import { ensureImages } from '../../vm-assets/test/qemu-guest.ts';
import { wrap, type BenchEngine, type EngineName } from './engines.ts';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const FORWARDER_MAIN = join(HERE, '../../app/src/backend/vm/forwarder-main.ts');
const AGENT_MAIN = join(HERE, 'host-agent-main.ts');

/** The VM the bench boots: one vCPU (two under multi-threaded TCG on a 2-core host can stall the
 * guest), 2 GiB so a 1 GiB allocation fits. */
export const BENCH_VM = { cpus: '1', memory: '2G', disk: '8G' };

/** Commands through the emulated VM are slow: five minutes each before one counts as failed. */
function engineOf(name: EngineName, socket: string, dockerConfig: string, rss: BenchEngine['rss'], logTail: () => string, stop: () => Promise<void>): BenchEngine {
  return wrap(name, socket, { DOCKER_HOST: `unix://${socket}`, DOCKER_CONFIG: dockerConfig }, rss, logTail, stop, 300_000);
}

/** The guest reaches the host's 127.0.0.1 registry as 10.0.2.2 (QEMU's user-mode network). */
export function guestRef(ref: string): string {
  return ref.replace(/^(127\.0\.0\.1|localhost):/, '10.0.2.2:');
}

/** Pulls `ref` so it has the same name on every side: the VM pulls it via 10.0.2.2 and tags it
 * as the host's ref. */
export async function pullSameName(e: BenchEngine, ref: string): Promise<void> {
  if (e.name !== 'berth-vm') {
    await e.dockerOk(['pull', '-q', ref]);
    return;
  }
  await e.dockerOk(['pull', '-q', guestRef(ref)]);
  await e.dockerOk(['tag', guestRef(ref), ref]);
}

/** `shares`: host folders shared into the VM besides the home (share-throughput). */
export async function startVmEngine(registryHost: string, shares: string[] = []): Promise<BenchEngine & { qemuPid: number; forwarderPid: number }> {
  await ensureImages(['amd64']);
  const dir = mkdtempSync(join(tmpdir(), 'bench-vm-'));
  const home = vmHome(dir);
  const dockerConfig = join(dir, 'docker-config');
  prepareHome(home);
  const state = await startVm(home, {
    ...BENCH_VM, insecureRegistry: guestRef(registryHost), shares, timeoutMs: 600_000,
    log: (line) => process.stderr.write(`bench: vm: ${line}\n`),
  }).catch((error: unknown) => {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  });
  const forwarderPid = state.forwarderPid ?? -1;
  const engine = engineOf('berth-vm', home.dockerSocket, dockerConfig,
    () => [{ process: 'qemu', pid: state.qemuPid, kib: vmRssKiB(state.qemuPid) }, { process: 'forwarder', pid: forwarderPid, kib: vmRssKiB(forwarderPid) }],
    () => `accel ${state.accel} (${state.accelWhy}); state ${JSON.stringify(readState(home) ?? {})}`,
    async () => {
      await stopVm(home, 120_000, () => {});
      rmSync(dir, { recursive: true, force: true });
    });
  return Object.assign(engine, { qemuPid: state.qemuPid, forwarderPid });
}

function waitSocket(path: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const poll = async (): Promise<void> => {
    if ((await pingSocket(path, 1000).catch(() => 0)) === 200) return;
    if (Date.now() > deadline) throw new Error(`${path} did not answer within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
    return poll();
  };
  return poll();
}

export async function startForwardedEngine(registryHost: string): Promise<BenchEngine> {
  const berthd = await startEngine({ registryHost, timeoutMs: 60_000 });
  const dir = mkdtempSync(join(tmpdir(), 'bench-fwd-'));
  const home = vmHome(dir);
  prepareHome(home);
  writeFileSync(home.secret, randomBytes(24).toString('hex'), { mode: 0o600 });
  const port = await freePort();
  const node = process.env.BERTH_NODE ?? process.execPath;
  const children: ChildProcess[] = [
    spawn(node, ['--disable-warning=ExperimentalWarning', AGENT_MAIN, String(port), home.secret, berthd.socket], { stdio: 'ignore' }),
    spawn(node, ['--disable-warning=ExperimentalWarning', FORWARDER_MAIN, dir, String(port)], { stdio: 'ignore' }),
  ];
  const stop = async () => {
    for (const child of children) child.kill('SIGKILL');
    await berthd.stop();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitSocket(home.dockerSocket, 30_000);
  } catch (error) {
    await stop();
    throw error;
  }
  return engineOf('berth-fwd', home.dockerSocket, join(dir, 'docker-config'),
    () => [{ process: 'berthd', pid: berthd.pid, kib: vmRssKiB(berthd.pid) }, ...children.map((c, i) => ({ process: i === 0 ? 'agent' : 'forwarder', pid: c.pid ?? -1, kib: vmRssKiB(c.pid ?? -1) }))],
    () => berthd.stderr().slice(-4000), stop);
}
