// Debian's dockerd (package docker.io) as a test fixture: the reference implementation makes the
// images the conformance suite feeds to berthd. It runs fully private — its own data root, exec
// root (where it starts its own containerd), socket, pidfile, config file and cgroup parent, with
// no bridge, no iptables, no NAT and no userland proxy — so it touches nothing of the host or of
// other test runs, and `stop()` leaves no process, mount or cgroup behind.
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { docker, type DockerResult } from './docker-cli.ts';
import { removeCgroups, unmountAll } from './engine-cleanup.ts';
import { pingSocket } from './engine-harness.ts';

export const DOCKERD_BIN = process.env.BERTH_TEST_DOCKERD ?? '/usr/sbin/dockerd';

type RunOptions = { input?: string | Buffer; cwd?: string; timeoutMs?: number };

export interface DockerdFixture {
  dir: string;
  socket: string;
  docker(args: string[], opts?: RunOptions): Promise<DockerResult>;
  /** Like docker(), but throws with the CLI's output unless it exits 0. */
  must(args: string[], opts?: RunOptions): Promise<string>;
  stop(): Promise<void>;
}

function exited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

function waitExit(child: ChildProcess, ms: number): Promise<boolean> {
  if (exited(child)) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

/** Processes whose command line names `dir` (dockerd's containerd and shims live under it). */
function processesUnder(dir: string): number[] {
  const out: number[] = [];
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      if (readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').some((arg) => arg.includes(dir))) out.push(Number(pid));
    } catch {
      // Exited while we looked.
    }
  }
  return out;
}

export async function startDockerd(timeoutMs = 60_000): Promise<DockerdFixture> {
  // Short path: containerd's sockets under the exec root must fit sun_path (108 bytes).
  const dir = mkdtempSync(join(tmpdir(), 'berth-dockerd-'));
  const id = basename(dir).slice('berth-dockerd-'.length);
  const dataRoot = join(dir, 'data');
  const execRoot = join(dir, 'run');
  const config = join(dir, 'cli');
  for (const d of [dataRoot, execRoot, config]) mkdirSync(d);
  // Its own (empty) config file: the host's /etc/docker/daemon.json must not leak in.
  writeFileSync(join(dir, 'daemon.json'), '{}\n');
  const socket = join(dir, 'd.sock');
  const cgroupParent = `berth-test-dockerd-${id}`;
  const log = join(dir, 'dockerd.log');
  const child = spawn(
    DOCKERD_BIN,
    [
      '--data-root', dataRoot,
      '--exec-root', execRoot,
      '-H', `unix://${socket}`,
      '--pidfile', join(dir, 'dockerd.pid'),
      '--config-file', join(dir, 'daemon.json'),
      '--bridge=none',
      '--iptables=false',
      '--ip-masq=false',
      '--ip-forward=false',
      '--userland-proxy=false',
      '--cgroup-parent', cgroupParent,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, DOCKER_CONFIG: config } },
  );
  let tail = '';
  const record = (d: Buffer) => {
    appendFileSync(log, d);
    tail = (tail + d.toString()).slice(-4000);
  };
  child.stdout?.on('data', record);
  child.stderr?.on('data', record);
  child.on('error', (e) => {
    tail += String(e);
  });
  const env = { DOCKER_HOST: `unix://${socket}`, DOCKER_CONFIG: config };
  const run = (args: string[], opts: RunOptions = {}) => docker(args, { ...opts, env });
  let stopped = false;
  const fixture: DockerdFixture = {
    dir,
    socket,
    docker: run,
    async must(args, opts) {
      const result = await run(args, opts);
      if (result.code !== 0) throw new Error(`dockerd fixture: docker ${args.join(' ')} exited ${result.code}\n${result.stdout}\n${result.stderr}`);
      return result.stdout;
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      // Containers first (dockerd would keep them for a live restore), then dockerd, which
      // stops the containerd it started.
      const ids = (await run(['ps', '-aq']).catch(() => undefined))?.stdout.split('\n').filter(Boolean) ?? [];
      if (ids.length > 0) await run(['rm', '-f', ...ids]).catch(() => undefined);
      if (!exited(child)) {
        child.kill('SIGTERM');
        if (!(await waitExit(child, 30_000))) {
          child.kill('SIGKILL');
          await waitExit(child, 5_000);
        }
      }
      for (const pid of processesUnder(dir)) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // Gone already.
        }
      }
      unmountAll([dir]);
      removeCgroups(cgroupParent);
      rmSync(dir, { recursive: true, force: true });
    },
  };
  const deadline = Date.now() + timeoutMs;
  try {
    while (Date.now() < deadline) {
      if (exited(child)) throw new Error(`dockerd exited (${child.exitCode ?? child.signalCode}) before answering /_ping:\n${tail}`);
      if ((await pingSocket(socket).catch(() => 0)) === 200) return fixture;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`dockerd did not answer /_ping within ${timeoutMs} ms:\n${tail}`);
  } catch (error) {
    await fixture.stop();
    throw error;
  }
}
