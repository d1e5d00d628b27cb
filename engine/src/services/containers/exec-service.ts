// `docker exec`: exec instances are created, started once, and inspected for their exit code.
// They live in memory, as in dockerd, and go away with their container.
import { conflict, invalid, notFound } from '../../core/errors.ts';
import { newId } from '../../core/ids.ts';
import type { AttachSession, ProcessHandle } from '../../core/interfaces.ts';
import type { ContainerRecord } from '../../core/container-types.ts';
import type { ContainerContext } from './context.ts';

export interface ExecConfig {
  Cmd: string[];
  Env: string[];
  User: string;
  WorkingDir: string;
  Tty: boolean;
  AttachStdin: boolean;
  AttachStdout: boolean;
  AttachStderr: boolean;
  Privileged: boolean;
  DetachKeys: string;
}

export interface ExecInstance {
  ID: string;
  ContainerID: string;
  Config: ExecConfig;
  Running: boolean;
  ExitCode: number | null;
  Pid: number;
  started: boolean;
  handle?: ProcessHandle;
  /** Resolves once the process exists; resize waits on it as dockerd does (clients resize
   * right after the hijack, which can be before the runtime has started the process). */
  running?: Promise<ProcessHandle | undefined>;
}

const EXEC_START_FAILED = 126;

/** dockerd forgets finished exec instances eventually; keep a bounded number per engine. */
const MAX_FINISHED = 1000;

export class ExecService {
  readonly #ctx: ContainerContext;
  readonly #instances = new Map<string, ExecInstance>();

  constructor(ctx: ContainerContext) {
    this.#ctx = ctx;
  }

  create(ref: string, config: ExecConfig): string {
    const record = this.#ctx.store.get(ref);
    // dockerd's wording and order (daemon/exec.go getActiveContainer): the paused one names the
    // container as the client did.
    if (record.State.Status === 'paused') throw conflict(`Container ${ref} is paused, unpause the container before exec`);
    if (record.State.Status === 'restarting') throw conflict(`Container ${record.Id} is restarting, wait until the container is running`);
    if (record.State.Status !== 'running') throw conflict(`Container ${record.Id} is not running`);
    if (config.Cmd.length === 0) throw invalid('No exec command specified');
    const id = newId();
    this.#instances.set(id, { ID: id, ContainerID: record.Id, Config: config, Running: false, ExitCode: null, Pid: 0, started: false });
    this.#prune();
    this.#ctx.publish(record, `exec_create: ${config.Cmd.join(' ')}`, { execID: id });
    return id;
  }

  get(id: string): ExecInstance {
    const instance = this.#instances.get(id);
    if (!instance) throw notFound(`No such exec instance: ${id}`);
    return instance;
  }

  /** Throws the errors `start` would, so the API can answer them before hijacking. */
  assertStartable(id: string): void {
    const instance = this.get(id);
    if (instance.started) throw conflict(`Exec ${id} has already been started`);
    const record = this.#ctx.store.get(instance.ContainerID);
    if (record.State.Status !== 'running') throw conflict(`Container ${record.Id} is not running`);
  }

  /** Starts the process; the session carries its stdio, `exited` its exit code. */
  async start(id: string, tty: boolean): Promise<{ instance: ExecInstance; session: AttachSession; exited: Promise<number> }> {
    this.assertStartable(id);
    const instance = this.get(id);
    const record = this.#ctx.store.get(instance.ContainerID);
    instance.started = true;
    let markRunning: (handle: ProcessHandle | undefined) => void = () => {};
    instance.running = new Promise((resolve) => (markRunning = resolve));
    try {
      return await this.#launch(instance, record, tty, markRunning);
    } catch (error) {
      markRunning(undefined);
      // dockerd's exit code for an exec that could not start, whatever the reason (daemon/exec.go):
      // `docker exec` reads it back and exits with it.
      instance.Running = false;
      instance.ExitCode = EXEC_START_FAILED;
      throw error;
    }
  }

  async #launch(instance: ExecInstance, record: ContainerRecord, tty: boolean, markRunning: (handle: ProcessHandle) => void) {
    const id = instance.ID;
    const rootfs = await this.#ctx.snapshotter.mountContainer(record.Id, record.TopChainId);
    const config = { ...instance.Config, Tty: tty || instance.Config.Tty };
    const process = await this.#ctx.platform.buildExecProcess({
      record,
      rootfs,
      cmd: config.Cmd,
      env: config.Env,
      user: config.User || record.Config.User,
      workingDir: config.WorkingDir || record.Config.WorkingDir || '/',
      tty: config.Tty,
      privileged: config.Privileged || record.HostConfig.Privileged,
    });
    const handle = await this.#ctx.runtime.exec({ id: record.Id, execId: id, process, tty: config.Tty, openStdin: config.AttachStdin });
    instance.handle = handle;
    instance.Running = true;
    instance.Pid = handle.pid;
    markRunning(handle);
    this.#ctx.publish(record, `exec_start: ${config.Cmd.join(' ')}`, { execID: id });
    const exited = handle.exited.then((code) => {
      instance.Running = false;
      instance.ExitCode = code;
      this.#ctx.publish(record, 'exec_die', { execID: id, exitCode: String(code) });
      return code;
    });
    return { instance, session: handle.session, exited };
  }

  async resize(id: string, height: number, width: number): Promise<void> {
    const instance = this.get(id);
    const handle = instance.handle ?? (await Promise.race([instance.running, new Promise<undefined>((r) => setTimeout(() => r(undefined), 10_000))]));
    if (!handle || !instance.Running) throw conflict(`Exec ${id} is not running`);
    await handle.resize(height, width);
  }

  idsFor(containerId: string): string[] {
    return [...this.#instances.values()].filter((i) => i.ContainerID === containerId).map((i) => i.ID);
  }

  /** Drops one instance: health probes do not linger in ExecIDs (dockerd unregisters them). */
  forget(id: string): void {
    this.#instances.delete(id);
  }

  forgetContainer(containerId: string): void {
    for (const [id, instance] of this.#instances) if (instance.ContainerID === containerId) this.#instances.delete(id);
  }

  #prune(): void {
    if (this.#instances.size <= MAX_FINISHED) return;
    for (const [id, instance] of this.#instances) {
      if (instance.started && !instance.Running) this.#instances.delete(id);
      if (this.#instances.size <= MAX_FINISHED) return;
    }
  }
}
