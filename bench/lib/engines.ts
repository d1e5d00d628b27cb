// One shape for both engines under comparison, so every benchmark drives berthd and dockerd with
// the same code: the real docker CLI with DOCKER_HOST=unix://… and a private DOCKER_CONFIG.
import { docker, type DockerResult } from '../../engine/test/support/docker-cli.ts';
import { startEngine } from '../../engine/test/support/engine-harness.ts';
import { onCleanup } from './cleanup.ts';
import { startDockerd } from '../../engine/test/support/dockerd.ts';
import { vmRssKiB } from '../../engine/test/support/processes.ts';

/** berth: berthd on this host; dockerd: Debian's; berth-vm: berthd in the Berth VM through the
 * host's forwarded socket; berth-fwd: berthd on this host behind the same forwarder and agent. */
/** 'host': no engine, the host's own filesystem (share-throughput's reference side). */
export type EngineName = 'berth' | 'dockerd' | 'berth-vm' | 'berth-fwd' | 'host';
export const ENGINE_NAMES: readonly EngineName[] = ['berth', 'dockerd'];

export interface BenchEngine {
  name: EngineName;
  socket: string;
  dockerEnv: { DOCKER_HOST: string; DOCKER_CONFIG: string };
  /** Runs the docker CLI against this engine; resolves whatever the exit code. */
  docker(args: string[], timeoutMs?: number): Promise<DockerResult>;
  /** Runs the docker CLI and throws (with its exact output) unless it exits 0. */
  dockerOk(args: string[], timeoutMs?: number): Promise<DockerResult>;
  /** The processes that make up the engine at rest, each with its VmRSS (KiB). */
  rss(): Array<{ process: string; pid: number; kib: number | undefined }>;
  logTail(): string;
  stop(): Promise<void>;
}

export class CommandFailed extends Error {
  result: DockerResult;
  constructor(engine: EngineName, args: string[], result: DockerResult, log: string) {
    super(
      `${engine}: \`docker ${args.join(' ')}\` exited ${result.code}\n` +
        `stdout: ${result.stdout.trim()}\nstderr: ${result.stderr.trim()}` +
        (log ? `\n--- ${engine} log tail ---\n${log.trim()}` : ''),
    );
    this.name = 'CommandFailed';
    this.result = result;
  }
}

/** The BenchEngine shape around any engine's socket; `defaultTimeoutMs` per docker command. */
export function wrap(
  name: EngineName,
  socket: string,
  dockerEnv: BenchEngine['dockerEnv'],
  rss: BenchEngine['rss'],
  logTail: () => string,
  stop: () => Promise<void>,
  defaultTimeoutMs = 120_000,
): BenchEngine {
  const run = (args: string[], timeoutMs = defaultTimeoutMs) => docker(args, { env: dockerEnv, timeoutMs });
  return {
    name,
    socket,
    dockerEnv,
    docker: run,
    async dockerOk(args, timeoutMs) {
      const r = await run(args, timeoutMs);
      if (r.code !== 0) throw new CommandFailed(name, args, r, logTail());
      return r;
    },
    rss,
    logTail,
    stop: onCleanup(stop),
  };
}

export async function startBerth(registryHost: string): Promise<BenchEngine> {
  const h = await startEngine({ registryHost, timeoutMs: 60_000 });
  return wrap(
    'berth',
    h.socket,
    h.dockerEnv,
    () => [{ process: 'berthd', pid: h.pid, kib: vmRssKiB(h.pid) }],
    () => h.stderr().slice(-4000),
    () => h.stop(),
  );
}

export async function startDockerdEngine(registryHost: string, bridged = false, isolated = false): Promise<BenchEngine> {
  const h = await startDockerd({ registryHost, bridged, isolated });
  return wrap(
    'dockerd',
    h.socket,
    h.dockerEnv,
    () => {
      const ctrd = h.containerdPid();
      return [
        { process: 'dockerd', pid: h.pid, kib: vmRssKiB(h.pid) },
        { process: 'containerd', pid: ctrd ?? -1, kib: ctrd === undefined ? undefined : vmRssKiB(ctrd) },
      ];
    },
    h.logTail,
    () => h.stop(),
  );
}

/** `bridged`: dockerd gets its default bridge network (berthd always has its own). */
export function startBench(name: EngineName, registryHost: string, bridged = false): Promise<BenchEngine> {
  return name === 'berth' ? startBerth(registryHost) : startDockerdEngine(registryHost, bridged);
}
