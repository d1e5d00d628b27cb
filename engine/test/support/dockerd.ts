// Starts Debian's dockerd (docker.io 20.10) as the baseline, fully private: its own socket, data
// root, exec root, pidfile, config file, trust key and cgroup parent in a fresh temp dir, and the
// containerd it launches itself (no --containerd) keeps its socket and state under that exec root.
// Nothing here touches /var/lib/docker, /run/docker or a system dockerd.
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { removeCgroups, unmountAll } from './engine-cleanup.ts';
import { pingSocket } from './engine-harness.ts';
import { alive, allProcesses, descendants, processesMentioning, waitGone } from './processes.ts';
import { exited } from './child-exit.ts';

export const DOCKERD_BIN = process.env.BENCH_DOCKERD_BIN ?? process.env.BERTH_TEST_DOCKERD ?? '/usr/sbin/dockerd';

export interface DockerdHandle {
  dir: string;
  socket: string;
  dataRoot: string;
  execRoot: string;
  pidfile: string;
  logFile: string;
  dockerEnv: { DOCKER_HOST: string; DOCKER_CONFIG: string };
  pid: number;
  /** pid of the containerd dockerd launched (found after /_ping answers). */
  containerdPid(): number | undefined;
  logTail(): string;
  stop(): Promise<void>;
}

function tail(file: string, chars = 4000): string {
  try {
    return readFileSync(file, 'utf8').slice(-chars);
  } catch {
    return '';
  }
}

/**
 * containerd 1.6 puts shim sockets in /run/containerd/s/<hash> whatever its --state; the dir stays
 * behind, empty, after the shims exit. Remove it only if we caused it (absent before), it is empty
 * and no containerd is running.
 */
function removeShimSocketDir(existedBefore: boolean): void {
  if (existedBefore) return;
  if (allProcesses().some((p) => p.name === 'containerd' || p.name.startsWith('containerd-shim'))) return;
  for (const d of ['/run/containerd/s', '/run/containerd']) {
    try {
      rmdirSync(d); // Fails (and so keeps it) if anything is in it.
    } catch {
      return;
    }
  }
}

function killQuietly(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // Already gone.
  }
}

/** dockerd's own bridge for bridged runs; nothing else on a bench machine uses docker0. */
const DOCKERD_BIP = '172.31.250.1/24';

export interface StartDockerdOptions {
  /** Pushed to and pulled from over HTTP (127.0.0.0/8 is insecure by default anyway). */
  registryHost?: string;
  timeoutMs?: number;
  /** dockerd's own bridge, NAT and docker-proxy, as users have it; else no networking of its own. */
  bridged?: boolean;
  /** With `bridged`: a bridge of this dockerd's own (made here, --bridge) and no iptables rules of
   * its own (docker-proxy publishes ports). Several dockerds on one host (test files running in
   * parallel) would otherwise share docker0, and each one's start removes the DOCKER chains the
   * others use (libnetwork's bridge driver recreates them). */
  isolated?: boolean;
}

/** A /24 under 172.31.0.0/16 no route uses yet; .1 is the bridge's address. */
export function freeBridgeSubnet(): string {
  const routes = spawnSync('ip', ['-4', 'route', 'show'], { encoding: 'utf8' }).stdout ?? '';
  const used = new Set([...routes.matchAll(/^172\.31\.(\d+)\./gm)].map((m) => Number(m[1])));
  const free = Array.from({ length: 50 }, (_, i) => 200 + i).filter((n) => !used.has(n) && n !== 250);
  if (free.length === 0) throw new Error('no free 172.31.x.0/24 for a private dockerd bridge');
  return `172.31.${free[Math.floor(Math.random() * free.length)]}.1/24`;
}

/** The private bridge of an isolated dockerd. */
function createBridge(name: string): void {
  const address = freeBridgeSubnet();
  for (const args of [['link', 'add', 'name', name, 'type', 'bridge'], ['addr', 'add', address, 'dev', name], ['link', 'set', name, 'up']]) {
    const r = spawnSync('ip', args, { encoding: 'utf8' });
    if (r.status !== 0) {
      spawnSync('ip', ['link', 'del', name], { stdio: 'ignore' });
      throw new Error(`ip ${args.join(' ')}: ${r.stderr}`);
    }
  }
}

export async function startDockerd(opts: StartDockerdOptions = {}): Promise<DockerdHandle> {
  const shimDirExisted = existsSync('/run/containerd');
  const dir = mkdtempSync(join(tmpdir(), 'bench-dockerd-'));
  const id = basename(dir).slice('bench-dockerd-'.length);
  const dataRoot = join(dir, 'data');
  const execRoot = join(dir, 'run');
  const dockerConfig = join(dir, 'docker-config');
  for (const d of [dataRoot, execRoot, dockerConfig]) mkdirSync(d);
  const socket = join(dir, 'docker.sock');
  const pidfile = join(dir, 'dockerd.pid');
  const logFile = join(dir, 'dockerd.log');
  const configFile = join(dir, 'daemon.json');
  const cgroupParent = `bench-dockerd-${id}`;
  const isolatedBridge = opts.bridged && opts.isolated ? `bd-${id}`.slice(0, 15) : undefined;
  if (isolatedBridge) createBridge(isolatedBridge);
  // An explicit (empty-ish) config file so a host /etc/docker/daemon.json can't change the
  // baseline; the trust key would otherwise be written to /etc/docker/key.json.
  writeFileSync(configFile, JSON.stringify({ 'deprecated-key-path': join(dir, 'key.json') }));
  const args = [
    '--data-root', dataRoot,
    '--exec-root', execRoot,
    '-H', `unix://${socket}`,
    '--pidfile', pidfile,
    '--config-file', configFile,
    // Bridged runs give dockerd its default bridge, NAT and docker-proxy, as users have it.
    ...(isolatedBridge
      ? ['--bridge', isolatedBridge, '--iptables=false', '--ip-masq=false']
      : opts.bridged ? ['--bip', DOCKERD_BIP] : ['--bridge=none', '--iptables=false', '--ip-masq=false', '--ip-forward=false']),
    ...(opts.registryHost ? ['--insecure-registry', opts.registryHost] : []),
    '--storage-driver', 'overlay2',
    '--cgroup-parent', `/${cgroupParent}`,
  ];
  const logFd = openSync(logFile, 'a');
  // DOCKER_* env vars of the bench process must not reach the daemon.
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('DOCKER_')));
  const child = spawn(DOCKERD_BIN, args, { env, stdio: ['ignore', logFd, logFd] });
  closeSync(logFd);
  const spawnError = new Promise<never>((_, reject) => child.once('error', reject));
  spawnError.catch(() => {});
  let containerd: number | undefined;
  let stopped = false;

  const findContainerd = (): number | undefined => {
    if (containerd !== undefined && alive(containerd)) return containerd;
    const c = descendants(child.pid ?? -1).find((p) => p.name === 'containerd');
    containerd = c?.pid;
    return containerd;
  };

  const handle: DockerdHandle = {
    dir,
    socket,
    dataRoot,
    execRoot,
    pidfile,
    logFile,
    dockerEnv: { DOCKER_HOST: `unix://${socket}`, DOCKER_CONFIG: dockerConfig },
    pid: child.pid ?? -1,
    containerdPid: findContainerd,
    logTail: () => tail(logFile),
    async stop() {
      if (stopped) return;
      stopped = true;
      const ctrd = findContainerd();
      if (!exited(child)) {
        child.kill('SIGTERM');
        // dockerd stops its containers (10 s default) and its containerd before exiting.
        if (!(await waitGone(child.pid ?? -1, 30_000))) {
          child.kill('SIGKILL');
          await waitGone(child.pid ?? -1, 5_000);
        }
      }
      if (ctrd !== undefined && alive(ctrd)) {
        killQuietly(ctrd, 'SIGTERM');
        if (!(await waitGone(ctrd, 5_000))) killQuietly(ctrd, 'SIGKILL');
      }
      // Shims and anything else still holding our exec root (their -address names its socket).
      for (const p of processesMentioning(execRoot)) killQuietly(p.pid, 'SIGKILL');
      for (const p of processesMentioning(execRoot)) await waitGone(p.pid, 2_000);
      unmountAll([dir]);
      removeCgroups(cgroupParent);
      if (isolatedBridge) spawnSync('ip', ['link', 'del', isolatedBridge], { stdio: 'ignore' });
      else if (opts.bridged) removeDockerdNetworking();
      removeShimSocketDir(shimDirExisted);
      if (!process.env.BENCH_KEEP) rmSync(dir, { recursive: true, force: true });
    },
  };

  const deadline = Date.now() + (opts.timeoutMs ?? 60_000);
  try {
    for (;;) {
      if (exited(child)) throw new Error(`dockerd exited (${child.exitCode ?? child.signalCode}) before answering /_ping:\n${tail(logFile)}`);
      const status = await Promise.race([pingSocket(socket).catch(() => 0), spawnError]);
      if (status === 200) break;
      if (Date.now() > deadline) throw new Error(`dockerd did not answer /_ping on ${socket}:\n${tail(logFile)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    findContainerd();
  } catch (e) {
    await handle.stop();
    throw e;
  }
  return handle;
}

/** What a bridged dockerd leaves after it stops: docker0 and its DOCKER* iptables chains. */
function removeDockerdNetworking(): void {
  spawnSync('ip', ['link', 'del', 'docker0'], { stdio: 'ignore' });
  for (const table of ['nat', 'filter']) {
    const rules = spawnSync('iptables', ['-t', table, '-S'], { encoding: 'utf8' }).stdout ?? '';
    // Jumps into DOCKER chains first, then the chains themselves.
    for (const line of rules.split('\n')) {
      if (line.startsWith('-A ') && /-j DOCKER/.test(line) && !/^-A DOCKER/.test(line)) {
        spawnSync('iptables', ['-t', table, '-D', ...line.slice(3).split(' ')], { stdio: 'ignore' });
      }
    }
    for (const line of rules.split('\n')) {
      const chain = /^-N (DOCKER\S*)/.exec(line)?.[1];
      if (chain) {
        spawnSync('iptables', ['-t', table, '-F', chain], { stdio: 'ignore' });
        spawnSync('iptables', ['-t', table, '-X', chain], { stdio: 'ignore' });
      }
    }
  }
}
