// EngineControl 'local' for Linux as root: runs Berth's own berthd as a detached process (its own process
// group, output in a log file), so that it outlives the app that started it, as dockerd outlives
// the docker CLI. An engine that already answers on the socket is used as is and never
// replaced; `startedByUs` tells callers which case they are in.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { livePidFromFile, pingEngineSocket, processAlive, readLogTail, waitUntil } from '../engine-process-helpers.ts';
import { EngineBase } from './engine-base.ts';
import type { EngineControl } from './engine-control.ts';

export const DEFAULT_ENGINE_SOCKET = '/run/berth/docker.sock';
/** berthd's own default exec root (engine/src/cli/flags.ts); its pidfile and our log live there. */
const DEFAULT_EXEC_ROOT = '/run/berth';
const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');

export interface EngineSupervisorOptions {
  socketPath?: string;
  dataRoot?: string;
  execRoot?: string;
  /** Default <exec root>/berthd.pid, berthd's own default. */
  pidfile?: string;
  /** More berthd flags (--bridge, --bip, --insecure-registry…). */
  extraArgs?: string[];
  /** Node binary that runs the engine: $BERTH_NODE, else this process's own Node. */
  node?: string;
  /** The engine's entry script: $BERTH_ENGINE_ENTRY, else engine/.dist/src/main.js, else engine/src/main.ts. */
  entry?: string;
  /** V8 flags for the engine: $BERTH_ENGINE_NODE_FLAGS, else a 1 MiB young generation (small idle memory). */
  nodeFlags?: string[];
  /** Where berthd's stdout and stderr go; default <exec root>/berthd.log. */
  logFile?: string;
  /** Extra environment for the engine. */
  env?: Record<string, string>;
  startTimeoutMs?: number;
  /** How long a SIGTERM gets before SIGKILL. */
  stopTimeoutMs?: number;
}

function defaultEntry(): string {
  if (process.env.BERTH_ENGINE_ENTRY) return process.env.BERTH_ENGINE_ENTRY;
  const built = join(REPO_ROOT, 'engine', '.dist', 'src', 'main.js');
  return existsSync(built) ? built : join(REPO_ROOT, 'engine', 'src', 'main.ts');
}

export class EngineSupervisor extends EngineBase implements EngineControl {
  readonly kind = 'local' as const;
  readonly endpoint: string;
  readonly socketPath: string;
  readonly logFile: string;
  readonly pidfile: string;
  private readonly options: EngineSupervisorOptions;
  private child: ChildProcess | undefined;
  private childGone: Promise<void> | undefined;

  constructor(options: EngineSupervisorOptions = {}) {
    super();
    this.options = options;
    this.socketPath = options.socketPath ?? DEFAULT_ENGINE_SOCKET;
    this.endpoint = `unix://${this.socketPath}`;
    const execRoot = options.execRoot ?? DEFAULT_EXEC_ROOT;
    this.pidfile = options.pidfile ?? join(execRoot, 'berthd.pid');
    this.logFile = options.logFile ?? join(execRoot, 'berthd.log');
  }

  /** The engine's pid as far as we know it: our child, else the pidfile's (when that process lives). */
  get pid(): number | undefined {
    if (this.child && this.child.exitCode === null && this.child.signalCode === null) return this.child.pid;
    return livePidFromFile(this.pidfile);
  }

  async details(): Promise<undefined> {
    return undefined;
  }

  start(): Promise<void> {
    return this.transitions.run('starting', () => this.doStart());
  }

  stop(): Promise<void> {
    return this.transitions.run('stopping', () => this.doStop());
  }

  private async doStart(): Promise<void> {
    if (await pingEngineSocket(this.socketPath)) return;
    if (process.getuid?.() !== 0) {
      throw new Error(
        `Berth's engine has to run as root (it mounts filesystems and creates namespaces), and this process is not root. ` +
          `Start it with \`sudo npm run berthd\` (or run this as root), then try again.`,
      );
    }
    const o = this.options;
    const args = [
      '--disable-warning=ExperimentalWarning',
      ...(o.nodeFlags ?? (process.env.BERTH_ENGINE_NODE_FLAGS ?? '--max-semi-space-size=1 --no-maglev').split(' ').filter(Boolean)),
      o.entry ?? defaultEntry(),
      '-H', `unix://${this.socketPath}`,
      '--pidfile', this.pidfile,
      ...(o.dataRoot ? ['--data-root', o.dataRoot] : []),
      ...(o.execRoot ? ['--exec-root', o.execRoot] : []),
      ...(o.extraArgs ?? []),
    ];
    mkdirSync(dirname(this.logFile), { recursive: true });
    const logStart = existsSync(this.logFile) ? statSync(this.logFile).size : 0;
    const log = openSync(this.logFile, 'a');
    let child: ChildProcess;
    try {
      // detached: its own process group, so a Ctrl-C in the terminal that ran the app does not
      // reach the engine, and it keeps running after the app exits.
      child = spawn(o.node ?? process.env.BERTH_NODE ?? process.execPath, args, {
        detached: true,
        stdio: ['ignore', log, log],
        env: { ...process.env, ...o.env },
      });
    } finally {
      closeSync(log);
    }
    const spawnFailed = new Promise<Error>((res) => child.once('error', res));
    this.childGone = new Promise((res) => {
      child.once('exit', () => res());
      child.once('error', () => res());
    });
    child.unref();
    this.child = child;
    const failure = (what: string) => new Error(`${what}. Its log (${this.logFile}) ends with:\n${readLogTail(this.logFile, logStart)}`);
    const deadline = Date.now() + (o.startTimeoutMs ?? 30_000);
    while (Date.now() < deadline) {
      const exited = await Promise.race([
        spawnFailed.then((e) => `berthd could not be run (${e.message})`),
        this.childGone.then(() => `berthd exited (${child.exitCode ?? child.signalCode}) before answering`),
        new Promise<undefined>((res) => setTimeout(() => res(undefined), 100)),
      ]);
      if (exited) {
        this.child = undefined;
        throw failure(exited);
      }
      if (await pingEngineSocket(this.socketPath)) {
        this.ownStart = true;
        return;
      }
    }
    child.kill('SIGKILL');
    this.child = undefined;
    throw failure(`berthd did not answer on ${this.socketPath} within ${Math.round((o.startTimeoutMs ?? 30_000) / 1000)} s`);
  }

  private async doStop(): Promise<void> {
    const answering = await pingEngineSocket(this.socketPath);
    const pid = this.pid;
    const ours = this.child !== undefined && pid === this.child.pid;
    if (pid === undefined || (!answering && !ours)) {
      // Nothing we know of runs (a pidfile alone, with no engine answering, may name a reused pid).
      if (answering) {
        throw new Error(`The engine on ${this.socketPath} was not started by Berth and left no pidfile at ${this.pidfile}; stop it where it was started.`);
      }
      this.ownStart = false;
      return;
    }
    const gone = async (ms: number) =>
      ours && this.childGone
        ? Promise.race([this.childGone.then(() => true), new Promise<boolean>((res) => setTimeout(() => res(false), ms))])
        : waitUntil(() => !processAlive(pid), ms);
    process.kill(pid, 'SIGTERM');
    if (!(await gone(this.options.stopTimeoutMs ?? 15_000))) {
      process.kill(pid, 'SIGKILL');
      if (!(await gone(5_000))) throw new Error(`berthd (pid ${pid}) did not exit after SIGKILL`);
    }
    if (ours) this.child = undefined;
    this.ownStart = false;
  }
}
