// Starts a berthd under test in a fresh temp dir, the way integration tests and benches need it:
// real process, real Unix socket, dockerd-style flags (DESIGN.md "Engine flags mirror dockerd").
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { docker, type DockerOptions, type DockerResult } from './docker-cli.ts';
import { cleanupEngine } from './engine-cleanup.ts';
import { cleanupEngineNetwork, pickEngineNetwork, type EngineNetwork } from './network-cleanup.ts';
import { exited, waitExit } from './child-exit.ts';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const ENGINE_MAIN = join(REPO_ROOT, 'engine/src/main.ts');

export interface StartEngineOptions {
  /** Passed as --insecure-registry; defaults to $BERTH_TEST_REGISTRY (set by global setup). */
  registryHost?: string;
  extraArgs?: string[];
  /** Entry script instead of engine/src/main.ts (e.g. a stand-in when testing the harness itself). */
  entry?: string;
  extraEnv?: Record<string, string>;
  /** How long to wait for GET /_ping → 200; default 30 s. */
  timeoutMs?: number;
  /** Runs once before the first launch, e.g. to mount a small filesystem as the data root
   * (stop() unmounts everything under the data root, that mount included). */
  prepare?: (dirs: { dataRoot: string; execRoot: string }) => void;
}

export interface EngineHandle {
  dir: string;
  socket: string;
  dataRoot: string;
  execRoot: string;
  pidfile: string;
  /** berthd's stdout and stderr, appended across restarts. */
  logFile: string;
  /** Cgroups named with this prefix are removed by stop(); also given to berthd as $BERTH_CGROUP_PARENT. */
  cgroupPrefix: string;
  /** The engine's own --bridge, --bip and --default-address-pool (unique per engine). */
  network: EngineNetwork;
  dockerEnv: { DOCKER_HOST: string; DOCKER_CONFIG: string };
  /** pid of the current berthd (changes on restart). */
  readonly pid: number;
  /** Tail of berthd's stderr, for assertion messages. */
  stderr(): string;
  docker(args: string[], opts?: Omit<DockerOptions, 'env'> & { env?: Record<string, string> }): Promise<DockerResult>;
  /** SIGTERM, wait, then remove containers, mounts, cgroups and the temp dir. Idempotent. */
  stop(): Promise<void>;
  /** SIGKILL without any cleanup, for crash-recovery tests; follow with restart() or stop(). */
  kill9(): Promise<void>;
  /** Graceful stop (state kept) and start again on the same dirs and socket. */
  restart(): Promise<void>;
  /** SIGTERM and wait, state kept: what a stopped engine leaves can be looked at; follow with
   * restart() or stop(). */
  terminate(): Promise<void>;
}

/** GET /_ping over the Unix socket; resolves the HTTP status or rejects on connect errors. */
export function pingSocket(socketPath: string, timeoutMs = 1000): Promise<number> {
  return new Promise((resolvePing, reject) => {
    const req = request({ socketPath, path: '/_ping', method: 'GET', timeout: timeoutMs }, (res) => {
      res.resume();
      res.on('end', () => resolvePing(res.statusCode ?? 0));
    });
    req.on('timeout', () => req.destroy(new Error('ping timed out')));
    req.on('error', reject);
    req.end();
  });
}

export async function startEngine(opts: StartEngineOptions = {}): Promise<EngineHandle> {
  // Short paths on purpose: sockets (and conmon's attach sockets under the exec root) must fit
  // in sun_path's 108 bytes.
  const dir = mkdtempSync(join(tmpdir(), 'berth-test-'));
  const id = basename(dir).slice('berth-test-'.length);
  const dataRoot = join(dir, 'data');
  const execRoot = join(dir, 'run');
  const dockerConfig = join(dir, 'docker-config');
  for (const d of [dataRoot, execRoot, dockerConfig]) mkdirSync(d);
  const socket = join(dir, 'docker.sock');
  const pidfile = join(dir, 'berthd.pid');
  const logFile = join(dir, 'berthd.log');
  const cgroupPrefix = `berth-test-${id}`;
  const registryHost = opts.registryHost ?? process.env.BERTH_TEST_REGISTRY;
  const network = pickEngineNetwork(id);
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const args = [
    '--disable-warning=ExperimentalWarning',
    // npm test runs the engine built into engine/.dist with its production V8 flags (bootstrap
    // sets these); a bare vitest run falls back to the TypeScript sources.
    ...(opts.entry ? [] : (process.env.BERTH_ENGINE_NODE_FLAGS ?? '').split(' ').filter(Boolean)),
    opts.entry ?? process.env.BERTH_ENGINE_ENTRY ?? ENGINE_MAIN,
    '--data-root', dataRoot,
    '--exec-root', execRoot,
    '-H', `unix://${socket}`,
    '--pidfile', pidfile,
    ...(registryHost ? ['--insecure-registry', registryHost] : []),
    '--bridge', network.bridge,
    '--bip', network.bip,
    '--default-address-pool', network.pool,
    ...(opts.extraArgs ?? []),
  ];
  let child: ChildProcess | undefined;
  let errTail = '';
  let stopped = false;

  async function launch(): Promise<void> {
    errTail = '';
    const c = spawn(process.execPath, args, {
      cwd: REPO_ROOT,
      env: { ...process.env, BERTH_CGROUP_PARENT: cgroupPrefix, ...opts.extraEnv },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = c;
    c.stdout?.on('data', (d: Buffer) => appendFileSync(logFile, d));
    c.stderr?.on('data', (d: Buffer) => {
      appendFileSync(logFile, d);
      errTail = (errTail + d.toString()).slice(-8000);
    });
    const spawnError = new Promise<never>((_, reject) => c.once('error', reject));
    spawnError.catch(() => {});
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (exited(c)) {
        throw new Error(`berthd exited (${c.exitCode ?? c.signalCode}) before answering /_ping:\n${errTail}`);
      }
      const status = await Promise.race([pingSocket(socket).catch(() => 0), spawnError]);
      if (status === 200) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    c.kill('SIGKILL');
    throw new Error(`berthd did not answer /_ping on ${socket} within ${timeoutMs} ms:\n${errTail}`);
  }

  async function terminate(): Promise<void> {
    if (!child || exited(child)) return;
    child.kill('SIGTERM');
    if (!(await waitExit(child, 15_000))) {
      child.kill('SIGKILL');
      await waitExit(child, 5_000);
    }
  }

  const handle: EngineHandle = {
    dir,
    socket,
    dataRoot,
    execRoot,
    pidfile,
    logFile,
    cgroupPrefix,
    network,
    dockerEnv: { DOCKER_HOST: `unix://${socket}`, DOCKER_CONFIG: dockerConfig },
    get pid() {
      return child?.pid ?? -1;
    },
    stderr: () => errTail,
    docker: (dargs, dopts = {}) => docker(dargs, { ...dopts, env: { ...handle.dockerEnv, ...dopts.env } }),
    async stop() {
      if (stopped) return;
      stopped = true;
      await terminate();
      cleanupEngine({ dataRoot, execRoot, cgroupPrefix });
      cleanupEngineNetwork(network, dataRoot, execRoot);
      // BERTH_TEST_KEEP=1 keeps the dir (logs, state) for a post-mortem.
      if (!process.env.BERTH_TEST_KEEP) rmSync(dir, { recursive: true, force: true });
    },
    async kill9() {
      if (!child || exited(child)) return;
      child.kill('SIGKILL');
      await waitExit(child, 5_000);
    },
    async restart() {
      await terminate();
      await launch();
    },
    terminate,
  };

  try {
    opts.prepare?.({ dataRoot, execRoot });
    await launch();
  } catch (e) {
    await handle.stop();
    throw e;
  }
  return handle;
}
