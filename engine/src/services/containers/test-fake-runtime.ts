// A Runtime for lifecycle unit tests (DESIGN.md rule 3) whose timing the test controls: a process
// may exit inside start() before it resolves, a signal may end the process at once or only when
// the test says so, an attach may connect late. It keeps a log of the calls, in order.
import { conflict, notFound } from '../../core/errors.ts';
import type { AttachSession, ExitInfo, ProcessHandle, Runtime, RuntimeCreateRequest, RuntimeState } from '../../core/interfaces.ts';

export class FakeRuntime implements Runtime {
  readonly calls: string[] = [];
  /** Runs inside start(), after the process "runs" and before start() resolves. */
  onStart: (id: string) => Promise<void> | void = () => {};
  /** What a signal does; by default the process ends at once with 128+signal, as a shell's does. */
  onKill: (id: string, signal: number) => void = (id, signal) => this.exit(id, 128 + signal);
  /** Held attaches connect when this resolves. */
  attachGate: Promise<void> = Promise.resolve();
  readonly #running = new Map<string, number>();
  readonly #exits = new Map<string, ExitInfo>();
  readonly #listeners = new Map<string, (exit: ExitInfo) => void>();
  #nextPid = 1000;

  isRunning(id: string): boolean {
    return this.#running.has(id);
  }

  /** The process ends with `code`; the watcher hears of it at once (no-op if not running). */
  exit(id: string, code: number): void {
    if (!this.#running.delete(id)) return;
    const info = { exitCode: code, finishedAt: Date.now(), oomKilled: false };
    this.#exits.set(id, info);
    this.calls.push(`exit ${code}`);
    const listener = this.#listeners.get(id);
    this.#listeners.delete(id);
    listener?.(info);
  }

  async create(request: RuntimeCreateRequest): Promise<{ pid: number }> {
    this.calls.push('create');
    this.#exits.delete(request.id);
    return { pid: this.#nextPid++ };
  }

  async start(id: string): Promise<void> {
    this.calls.push('start');
    this.#running.set(id, this.#nextPid);
    await this.onStart(id);
  }

  async kill(id: string, signal: number, all = false): Promise<void> {
    this.calls.push(`kill ${signal}${all ? ' --all' : ''}`);
    if (!this.#running.has(id)) throw conflict('container not running');
    this.onKill(id, signal);
  }

  async pause(): Promise<void> {
    this.calls.push('pause');
  }

  async resume(): Promise<void> {
    this.calls.push('resume');
  }

  async delete(id: string, force = false): Promise<void> {
    this.calls.push(force ? 'delete -f' : 'delete');
    if (force) this.exit(id, 137);
    this.#exits.delete(id);
  }

  async state(id: string): Promise<RuntimeState> {
    const pid = this.#running.get(id);
    if (pid !== undefined) return { status: 'running', pid };
    if (this.#exits.has(id)) return { status: 'stopped', pid: 0 };
    throw notFound(`container ${id} does not exist`);
  }

  async exitOf(id: string): Promise<ExitInfo | undefined> {
    return this.#exits.get(id);
  }

  watchExit(id: string, listener: (exit: ExitInfo) => void): () => void {
    const recorded = this.#exits.get(id);
    if (recorded) {
      listener(recorded);
      return () => {};
    }
    this.#listeners.set(id, listener);
    return () => {
      if (this.#listeners.get(id) === listener) this.#listeners.delete(id);
    };
  }

  async attach(): Promise<AttachSession> {
    this.calls.push('attach');
    await this.attachGate;
    this.calls.push('attached');
    return { write() {}, closeStdin() {}, onOutput() {}, onClose() {}, detach() {} };
  }

  async resize(): Promise<void> {}

  async exec(): Promise<ProcessHandle & { session: AttachSession }> {
    throw new Error('exec is not part of the lifecycle tests');
  }

  async pids(id: string): Promise<number[]> {
    const pid = this.#running.get(id);
    return pid === undefined ? [] : [pid];
  }

  async update(): Promise<void> {}
}
