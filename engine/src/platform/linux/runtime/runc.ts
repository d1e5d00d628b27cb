// Thin wrapper over the runc CLI (runc 1.1.x): every call gets the engine's own `--root`, so two
// engines (or berthd next to dockerd) never see each other's containers.
import { conflict, EngineError, notFound, systemError } from '../../../core/errors.ts';
import type { RuntimeState } from '../../../core/interfaces.ts';
import { execOffThread } from '../exec-off-thread.ts';

/** runc's stderr is logrus text (`time=… level=error msg="…"`): pull out the quoted messages so
 * the engine shows `exec: "nope": executable file not found in $PATH`, not a log line. */
export function runcErrorMessage(stderr: string): string {
  const messages: string[] = [];
  for (const line of stderr.split('\n')) {
    const match = /\bmsg="((?:[^"\\]|\\.)*)"/.exec(line);
    if (match) {
      try {
        messages.push(JSON.parse(`"${match[1]}"`) as string);
      } catch {
        messages.push(match[1]);
      }
    } else if (line.trim() !== '') {
      messages.push(line.trim());
    }
  }
  return messages.join('; ');
}

/** Maps runc's wording to the engine's error kinds: "not running"/"not paused" are conflicts with
 * the container's state, "does not exist" is a missing container. */
export function runcError(action: string, id: string, message: string, cause?: unknown): EngineError {
  if (/does not exist/.test(message)) return notFound(`No such container: ${id}`);
  if (/not running|not paused|is paused|already paused|not stopped|is running|stopped container|cannot start/.test(message)) {
    return conflict(`container ${id}: ${message}`);
  }
  return systemError(`runc ${action} ${id}: ${message}`, cause);
}

const STATUS: Record<string, RuntimeState['status']> = {
  created: 'created',
  running: 'running',
  paused: 'paused',
  stopped: 'stopped',
  creating: 'created',
  pausing: 'running',
};

export class RuncCli {
  readonly path: string;
  readonly root: string;

  constructor(path: string, root: string) {
    this.path = path;
    this.root = root;
  }

  /** Runs one runc subcommand; rejects with an EngineError that carries runc's own message. */
  async run(action: string, id: string, args: string[]): Promise<string> {
    const { error, stdout, stderr } = await execOffThread(this.path, ['--root', this.root, action, ...args], { maxBuffer: 16 * 1024 * 1024 });
    if (error) throw runcError(action, id, runcErrorMessage(stderr) || error.message, error);
    return stdout;
  }

  start(id: string): Promise<string> {
    return this.run('start', id, [id]);
  }

  async kill(id: string, signal: number, all = false): Promise<void> {
    await this.run('kill', id, [...(all ? ['--all'] : []), id, String(signal)]);
  }

  async pause(id: string): Promise<void> {
    await this.run('pause', id, [id]);
  }

  async resume(id: string): Promise<void> {
    await this.run('resume', id, [id]);
  }

  async delete(id: string, force: boolean): Promise<void> {
    await this.run('delete', id, [...(force ? ['--force'] : []), id]);
  }

  async state(id: string): Promise<RuntimeState> {
    const out = await this.run('state', id, [id]);
    const parsed = JSON.parse(out) as { status?: string; pid?: number };
    return { status: STATUS[parsed.status ?? ''] ?? 'unknown', pid: parsed.pid ?? 0 };
  }

  /** Host pids of every process in the container's cgroup (`runc ps --format json`). */
  async ps(id: string): Promise<number[]> {
    const out = await this.run('ps', id, ['--format', 'json', id]);
    const parsed = JSON.parse(out) as number[] | null;
    return parsed ?? [];
  }
}
