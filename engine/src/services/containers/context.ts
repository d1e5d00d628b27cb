// Shared state of the container services: the stores and parts they drive, the waiters for
// `wait` conditions, and attaches that arrived before the container started.
import type { ContainerStore } from '../../core/container-store.ts';
import type { ContainerRecord, EndpointSettings } from '../../core/container-types.ts';
import type { AttachSession, EventBus, Runtime, Snapshotter } from '../../core/interfaces.ts';
import type { ImageService } from '../images/image-service.ts';

export interface ExecProcessInput {
  record: ContainerRecord;
  rootfs: string;
  cmd: string[];
  env: string[];
  user: string;
  workingDir: string;
  tty: boolean;
  privileged: boolean;
}

/** A bind/tmpfs mount for the OCI spec (same shape as the runtime spec's `mounts` entries). */
export interface SpecMount {
  destination: string;
  type: string;
  source: string;
  options: string[];
}

/** What the network side hands to the start sequence. */
export interface NetworkAttachment {
  /** Network namespace to join; undefined = a new empty one (`none`) or the host's (`host`). */
  netnsPath?: string;
  /** The container's own /etc/hosts lines ("10.0.0.2\tname alias"), after the extra hosts. */
  hostsEntries: string[];
  /** Names resolve at 127.0.0.11 inside the namespace (Docker's embedded DNS on user-defined
   * networks): resolv.conf names it, with ndots:0. */
  embeddedDns?: boolean;
}

/** What the start sequence found out beyond the record itself. */
export interface StartExtras {
  network?: NetworkAttachment;
  mounts?: SpecMount[];
  /** `--pid container:<id>`: the (host) pid of that container's init, whose PID namespace to join. */
  pidNamespaceOf?: number;
}

/** Networks for containers (Step 2): netavark-backed bridges, ports, DNS. */
export interface ContainerNetworking {
  /** At create: checks the mode, the networks and the static addresses; fills NetworkSettings. */
  prepare(record: ContainerRecord, endpoints: Record<string, EndpointSettings>): Promise<void>;
  /** At start: namespace, interfaces, addresses, port forwarding, DNS. Fills NetworkSettings. */
  connect(record: ContainerRecord): Promise<NetworkAttachment>;
  /** After exit: tears down what connect made (idempotent, also after an engine crash). */
  disconnect(record: ContainerRecord): Promise<void>;
  /** At remove: forgets the container's endpoints. */
  release(record: ContainerRecord): Promise<void>;
}

/** Volumes and mounts for containers (Step 2). */
export interface ContainerVolumes {
  /** At create: resolves -v/--mount/--tmpfs/--volumes-from/image VOLUMEs into record.Mounts,
   * creating named and anonymous volumes. */
  prepare(record: ContainerRecord, imageVolumes: string[]): Promise<void>;
  /** At start: the OCI mounts, after copying image content into empty new volumes. */
  mounts(record: ContainerRecord, rootfs: string): Promise<SpecMount[]>;
  /** After an exit or a failed start: unmounts volumes no other running container uses. */
  unmount(record: ContainerRecord): Promise<void>;
  /** At remove: releases the container's use of volumes, deleting anonymous ones when asked. */
  release(record: ContainerRecord, removeAnonymous: boolean): Promise<void>;
}

/** What the services need from the host platform beyond the role interfaces. */
export interface ContainerPlatform {
  /** Writes hostname/hosts/resolv.conf and builds the OCI spec for a mounted rootfs. */
  prepareStart(record: ContainerRecord, rootfs: string, extras?: StartExtras): Promise<{ spec: object; bundleDir: string }>;
  /** After a failed start: removes the bundle prepareStart made (the runtime removes it after a
   * run, but knows nothing of one it never created). */
  releaseStart(id: string): Promise<void>;
  buildExecProcess(input: ExecProcessInput): Promise<object>;
  /** The OCI `linux.resources` for the record's HostConfig (for `docker update`). */
  resourcesFor(record: ContainerRecord): object;
  logPath(id: string): string;
  readLog(path: string, options: LogReadOptions): AsyncIterable<LogEntry>;
  processTable(pids: number[], psArgs: string): Promise<{ Titles: string[]; Processes: string[][] }>;
}

export interface LogEntry {
  stream: 'stdout' | 'stderr';
  timeNs: bigint;
  data: Buffer;
}

export interface LogReadOptions {
  sinceNs?: bigint;
  untilNs?: bigint;
  tail?: number;
  follow: boolean;
  stopped?: Promise<void>;
}

export type WaitCondition = 'not-running' | 'next-exit' | 'removed';

interface Waiter {
  condition: WaitCondition;
  resolve: (result: { StatusCode: number; Error: { Message: string } | null }) => void;
}

export class ContainerContext {
  readonly store: ContainerStore;
  readonly images: ImageService;
  readonly snapshotter: Snapshotter;
  readonly runtime: Runtime;
  readonly events: EventBus;
  readonly platform: ContainerPlatform;
  /** Set by the wiring when networking and volumes are available. */
  networking?: ContainerNetworking;
  volumes?: ContainerVolumes;
  readonly waiters = new Map<string, Set<Waiter>>();
  /** Attaches made before start (`docker run` attaches first): connected between create and start. */
  readonly pendingAttaches = new Map<string, Array<(session: Promise<AttachSession>) => void>>();
  /** The runtime clean-up (runc delete) started after a container's exit. Removal and the next
   * start rely on it instead of a forced delete, which would cost ~100 ms inside runc. */
  readonly runtimeCleanups = new Map<string, Promise<void>>();
  /** Containers whose next exit must not auto-remove them (the stop of a `docker restart`). */
  readonly keepOnExit = new Set<string>();
  /** Exit watchers per running container, dropped on removal. */
  readonly exitWatches = new Map<string, () => void>();
  /** Serialises lifecycle operations per container: start, the signalling part of stop and kill,
   * pause, removal and the application of exits (exit-handler.ts). */
  readonly #locks = new Map<string, Promise<unknown>>();
  /** The current run of each container whose process the engine watches: an exit is applied only
   * to the run it belongs to. */
  readonly #runs = new Map<string, number>();
  #nextRun = 1;
  /** Where lifecycle work that no request waits for (exits, restarts) reports failures. */
  log: (message: string) => void = (message) => process.stderr.write(`berthd: ${message}\n`);

  constructor(deps: {
    store: ContainerStore;
    images: ImageService;
    snapshotter: Snapshotter;
    runtime: Runtime;
    events: EventBus;
    platform: ContainerPlatform;
  }) {
    this.store = deps.store;
    this.images = deps.images;
    this.snapshotter = deps.snapshotter;
    this.runtime = deps.runtime;
    this.events = deps.events;
    this.platform = deps.platform;
  }

  /** Runs `task` after any other lifecycle task on the same container has finished. */
  async withLock<T>(id: string, task: () => Promise<T>): Promise<T> {
    const previous = this.#locks.get(id) ?? Promise.resolve();
    const run = previous.catch(() => undefined).then(task);
    this.#locks.set(id, run);
    try {
      return await run;
    } finally {
      if (this.#locks.get(id) === run) this.#locks.delete(id);
    }
  }

  /** A new run of the container's process begins (start, or adoption at engine start). */
  beginRun(id: string): number {
    const run = this.#nextRun++;
    this.#runs.set(id, run);
    return run;
  }

  /** Ends `run` if it is still the current one (its exit is then the one to apply); without a
   * run, ends whatever run is current (a failed start, a removal). */
  endRun(id: string, run?: number): boolean {
    const current = this.#runs.get(id);
    if (current === undefined || (run !== undefined && run !== current)) return false;
    this.#runs.delete(id);
    return true;
  }

  publish(record: ContainerRecord, action: string, extra: Record<string, string> = {}): void {
    this.events.publish('container', action, record.Id, {
      ...record.Config.Labels,
      image: record.Config.Image,
      name: record.Name.slice(1),
      ...extra,
    });
  }

  addWaiter(id: string, waiter: Waiter): () => void {
    let set = this.waiters.get(id);
    if (!set) this.waiters.set(id, (set = new Set()));
    set.add(waiter);
    return () => set.delete(waiter);
  }

  /** Wakes waiters whose condition an exit (or a removal) satisfies; `failure` reports a removal
   * that did not happen to those waiting for it. */
  notify(record: ContainerRecord, event: 'exit' | 'removed', failure?: string): void {
    const set = this.waiters.get(record.Id);
    if (!set) return;
    // A removal reports only its own failure: dockerd's `removed` waiters do not hear why the
    // container's last start failed (the CLI would print it twice under `run --rm`).
    const message = event === 'removed' ? failure : (failure ?? record.State.Error);
    const error = message ? { Message: message } : null;
    for (const waiter of [...set]) {
      if (event === 'exit' && waiter.condition === 'removed') continue;
      set.delete(waiter);
      waiter.resolve({ StatusCode: record.State.ExitCode, Error: error });
    }
    if (event === 'removed') this.waiters.delete(record.Id);
  }
}
