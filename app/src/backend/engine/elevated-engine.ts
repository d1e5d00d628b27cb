// EngineControl 'elevated' for a desktop user who is not root (Linux): berthd must run as root (it
// mounts file systems and creates namespaces), so it is started through a launcher that asks for
// the user's password — pkexec (polkit) by default. The launcher is a parameter: tests run the
// real engine with no launcher (they are root) and prove the prefix and its failure codes with
// small real programs. Like EngineSupervisor (engine-supervisor.ts) the engine is detached
// and outlives the app; an engine that already answers is used as is and never replaced.
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { livePidFromFile, pingEngineSocket, processAlive, readLogTail, waitUntil } from '../engine-process-helpers.ts';
import { EngineBase } from './engine-base.ts';
import type { EngineControl } from './engine-control.ts';

export interface ElevatedEngineOptions {
  socketPath: string;
  /** berthd's pidfile (root writes it, anyone may read it). */
  pidfile: string;
  /** Where berthd's output goes: a file the user owns (the launcher passes our descriptors on). */
  logFile: string;
  /** Node binary and entry script of the engine, absolute paths (pkexec resets PATH). */
  node: string;
  entry: string;
  nodeFlags?: string[];
  extraArgs?: string[];
  /** The program prefix that runs a command as root, default ['pkexec']; [] when already root. */
  launcher?: string[];
  /** Asked before the launcher prompts (the app explains why a password is needed); false cancels. */
  confirm?: () => Promise<boolean>;
  startTimeoutMs?: number;
  stopTimeoutMs?: number;
}

/** What pkexec's exit codes mean for the user (pkexec(1): 126 not authorized or dismissed, 127 no agent / auth failed). */
export function launcherFailure(code: number | null, launcher: readonly string[]): string | undefined {
  if (launcher[0] !== 'pkexec' && !launcher[0]?.endsWith('/pkexec')) return undefined;
  if (code === 126) return 'The password prompt was dismissed (or this user may not run the engine as root), so the engine was not started';
  if (code === 127) return 'pkexec could not ask for a password (no polkit authentication agent is running in this session) or the password was wrong';
  return undefined;
}

export class ElevatedEngine extends EngineBase implements EngineControl {
  readonly kind = 'elevated' as const;
  readonly endpoint: string;
  private readonly options: ElevatedEngineOptions;
  private readonly launcher: string[];

  constructor(options: ElevatedEngineOptions) {
    super();
    this.options = options;
    this.launcher = options.launcher ?? ['pkexec'];
    this.endpoint = `unix://${options.socketPath}`;
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

  private enginePid(): number | undefined {
    return livePidFromFile(this.options.pidfile);
  }

  /** Runs `command` through the launcher and resolves its exit code. */
  private runElevated(command: string[], stdio: 'ignore' | number, detached: boolean) {
    const [program, ...args] = [...this.launcher, ...command];
    return spawn(program, args, { detached, stdio: ['ignore', stdio, stdio] });
  }

  private async doStart(): Promise<void> {
    const o = this.options;
    if (await pingEngineSocket(o.socketPath)) return;
    if (o.confirm && !(await o.confirm())) throw new Error('Starting the engine was cancelled.');
    mkdirSync(dirname(o.logFile), { recursive: true });
    const logStart = existsSync(o.logFile) ? statSync(o.logFile).size : 0;
    const log = openSync(o.logFile, 'a');
    const command = [
      o.node, '--disable-warning=ExperimentalWarning', ...(o.nodeFlags ?? ['--max-semi-space-size=1', '--no-maglev']), o.entry,
      '-H', this.endpoint, '--pidfile', o.pidfile, ...(o.extraArgs ?? []),
    ];
    let child;
    try {
      child = this.runElevated(command, log, true);
    } finally {
      closeSync(log);
    }
    child.unref();
    const exited = new Promise<string>((resolve) => {
      child.once('error', (error) => resolve(`${this.launcher[0] ?? o.node} could not be run (${error.message})`));
      child.once('exit', (code, signal) => resolve(launcherFailure(code, this.launcher) ?? `berthd exited (${code ?? signal}) before answering`));
    });
    const failure = (what: string) => new Error(`${what}. Its log (${o.logFile}) ends with:\n${readLogTail(o.logFile, logStart)}`);
    const timeoutMs = o.startTimeoutMs ?? 120_000; // includes the time the user takes to type a password
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const gone = await Promise.race([exited, new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 100))]);
      if (gone) throw failure(gone);
      if (await pingEngineSocket(o.socketPath)) {
        this.ownStart = true;
        return;
      }
    }
    throw failure(`berthd did not answer on ${o.socketPath} within ${Math.round(timeoutMs / 1000)} s`);
  }

  private async doStop(): Promise<void> {
    const pid = this.enginePid();
    if (pid === undefined) {
      this.ownStart = false;
      if (await pingEngineSocket(this.options.socketPath)) {
        throw new Error(`The engine on ${this.options.socketPath} left no pidfile at ${this.options.pidfile}; stop it where it was started.`);
      }
      return;
    }
    try {
      process.kill(pid, 'SIGTERM');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EPERM') throw error;
      // A root engine: the signal needs the launcher too (one more password prompt).
      const kill = this.runElevated(['/bin/kill', '-TERM', String(pid)], 'ignore', false);
      const code = await new Promise<number | null>((resolve) => {
        kill.once('error', () => resolve(null));
        kill.once('exit', (c) => resolve(c));
      });
      if (code !== 0) throw new Error(launcherFailure(code, this.launcher) ?? `could not signal berthd (pid ${pid}) to stop`);
    }
    if (!(await waitUntil(() => !processAlive(pid), this.options.stopTimeoutMs ?? 20_000))) {
      throw new Error(`berthd (pid ${pid}) is still running ${Math.round((this.options.stopTimeoutMs ?? 20_000) / 1000)} s after SIGTERM`);
    }
    this.ownStart = false;
  }
}
