// Volumes (API spec "Volume" tag): create, list, inspect, remove, prune, and the bookkeeping
// of who uses which volume (references block removal; active mounts keep tmpfs/bind-backed
// volumes mounted). Errors and events follow dockerd's volume service.
import type { ContainerRecord } from '../../core/container-types.ts';
import { conflict, EngineError, notFound } from '../../core/errors.ts';
import { newId } from '../../core/ids.ts';
import type { EventBus } from '../../core/interfaces.ts';
import { VolumeRefs } from '../../core/volume/volume-refs.ts';
import type { VolumeStore } from '../../core/volume/volume-store.ts';
import { ANONYMOUS_LABEL, isAnonymous, LOCAL_DRIVER, validateVolumeName, type VolumeDriver, type VolumeRecord } from '../../core/volume/volume-types.ts';

export interface CreateVolumeInput {
  Name?: string;
  Driver?: string;
  DriverOpts?: Record<string, string>;
  Labels?: Record<string, string>;
}

export interface PruneInput {
  /** API ≥ 1.42 prunes anonymous volumes only unless `all=true`. */
  all: boolean;
  keep: (volume: VolumeRecord) => boolean;
}

export class VolumeService {
  readonly #store: VolumeStore;
  readonly #driver: VolumeDriver;
  readonly #events: EventBus;
  /** Containers (any state) whose Mounts name the volume. */
  readonly refs = new VolumeRefs();
  /** Containers running with the volume mounted. */
  readonly active = new VolumeRefs();
  readonly #locks = new Map<string, Promise<unknown>>();

  constructor(deps: { store: VolumeStore; driver: VolumeDriver; events: EventBus }) {
    this.#store = deps.store;
    this.#driver = deps.driver;
    this.#events = deps.events;
  }

  /** After the store has loaded: references from the persisted containers. */
  loadReferences(containers: ContainerRecord[]): void {
    for (const c of containers) for (const m of c.Mounts ?? []) if (m.Type === 'volume' && m.Name) this.refs.add(m.Name, c.Id);
  }

  get driver(): VolumeDriver {
    return this.#driver;
  }

  list(): VolumeRecord[] {
    return this.#store.list();
  }

  get(name: string): VolumeRecord {
    return this.#store.get(name);
  }

  path(name: string): string {
    return this.#driver.path(name);
  }

  /** Serialises create/mount/unmount/remove per volume name. */
  async #withLock<T>(name: string, task: () => Promise<T>): Promise<T> {
    const previous = this.#locks.get(name) ?? Promise.resolve();
    const run = previous.catch(() => undefined).then(task);
    this.#locks.set(name, run);
    try {
      return await run;
    } finally {
      if (this.#locks.get(name) === run) this.#locks.delete(name);
    }
  }

  #checkDriver(driver: string | undefined): string {
    const name = driver || LOCAL_DRIVER;
    if (name !== this.#driver.name) throw notFound(`error looking up volume plugin ${name}: plugin "${name}" not found`);
    return name;
  }

  /** Checks a create before anything is written (used by container create to fail early). Every
   * failure reads "create NAME: …", as dockerd's volume store wraps them (volume/service OpErr). */
  validate(input: CreateVolumeInput): void {
    try {
      const driver = this.#checkDriver(input.Driver);
      if (input.Name) {
        const existing = this.#store.find(input.Name);
        if (existing) {
          if (existing.Driver !== driver) throw conflict(`driver '${existing.Driver}' already has volume '${input.Name}': volume name must be unique`);
          return;
        }
        validateVolumeName(input.Name);
      }
      this.#driver.validateOptions(input.DriverOpts ?? {});
    } catch (error) {
      const kind = error instanceof EngineError ? error.kind : 'invalid';
      throw new EngineError(kind, `create${input.Name ? ` ${input.Name}` : ''}: ${(error as Error).message}`, { cause: error });
    }
  }

  /** `docker volume create`: idempotent for an existing name with the same driver (dockerd
   * returns the existing volume, options and labels unchanged). */
  async create(input: CreateVolumeInput): Promise<VolumeRecord> {
    // An anonymous volume gets its name first, so an error can name it as dockerd's does.
    const name = input.Name || newId();
    this.validate({ ...input, Name: name });
    return this.#withLock(name, async () => {
      const existing = this.#store.find(name);
      if (existing) return existing;
      const options = { ...(input.DriverOpts ?? {}) };
      // Data directory first, record last: a crash in between leaves no half-made volume.
      await this.#driver.create(name, options);
      const record: VolumeRecord = { Name: name, Driver: this.#driver.name, CreatedAt: new Date().toISOString(), Labels: { ...(input.Labels ?? {}) }, Options: options };
      await this.#store.save(record);
      this.#events.publish('volume', 'create', name, { driver: record.Driver });
      return record;
    });
  }

  /** A new anonymous volume (image VOLUME, `-v /path`, `--mount type=volume` without source). */
  createAnonymous(input: Omit<CreateVolumeInput, 'Name'> = {}): Promise<VolumeRecord> {
    return this.create({ ...input, Name: newId(), Labels: { ...(input.Labels ?? {}), [ANONYMOUS_LABEL]: '' } });
  }

  inUse(name: string): boolean {
    return this.refs.inUse(name);
  }

  /** `docker volume rm [-f]`: force only makes an unknown name a success (as dockerd does). */
  async remove(name: string, options: { force?: boolean } = {}): Promise<void> {
    const record = this.#store.find(name);
    if (!record) {
      if (options.force) return;
      throw notFound(`get ${name}: no such volume`);
    }
    const users = this.refs.users(name);
    if (users.length > 0) throw conflict(`remove ${name}: volume is in use - [${users.join(', ')}]`);
    await this.#withLock(name, async () => {
      if (!this.#store.find(name)) return;
      // The record goes first: once it is gone the volume no longer exists, whatever happens to
      // the data (the driver unmounts before it deletes, never through a live mount).
      await this.#driver.unmount(name, record.Options);
      await this.#store.delete(name);
      await this.#driver.remove(name);
      this.refs.forget(name);
      this.active.forget(name);
      this.#events.publish('volume', 'destroy', name, { driver: record.Driver });
    });
  }

  /** `docker volume prune`: unused volumes (anonymous ones only, unless `all`). */
  async prune(input: PruneInput): Promise<{ VolumesDeleted: string[]; SpaceReclaimed: number }> {
    const deleted: string[] = [];
    let reclaimed = 0;
    for (const volume of this.list()) {
      if ((!input.all && !isAnonymous(volume)) || !input.keep(volume) || this.refs.inUse(volume.Name)) continue;
      const size = await this.#driver.size(volume.Name);
      try {
        await this.remove(volume.Name);
      } catch (error) {
        // A container may have claimed it meanwhile: not an error for prune.
        if (error instanceof EngineError && error.kind === 'conflict') continue;
        throw error;
      }
      deleted.push(volume.Name);
      if (size > 0) reclaimed += size;
    }
    this.#events.publish('volume', 'prune', '', { reclaimed: String(reclaimed) });
    return { VolumesDeleted: deleted, SpaceReclaimed: reclaimed };
  }

  /** UsageData for `GET /system/df`. */
  async usage(name: string): Promise<{ Size: number; RefCount: number }> {
    return { Size: await this.#driver.size(name), RefCount: this.refs.users(name).length };
  }

  /** A container starts using the volume: mount it if it is the first (tmpfs, bind…). */
  async mountFor(name: string, container: { id: string; destination: string; rw: boolean; propagation: string }): Promise<void> {
    const record = this.#store.get(name);
    await this.#withLock(name, async () => {
      this.active.add(name, container.id);
      await this.#driver.mount(name, record.Options);
    });
    this.#events.publish('volume', 'mount', name, {
      driver: record.Driver, container: container.id, destination: container.destination,
      'read/write': String(container.rw), propagation: container.propagation,
    });
  }

  /** A container stopped: unmount volumes nobody else runs with. Idempotent. */
  async unmountFor(containerId: string): Promise<void> {
    for (const name of this.active.removeContainer(containerId)) {
      const record = this.#store.find(name);
      if (!record) continue;
      await this.#withLock(name, async () => {
        if (!this.active.inUse(name)) await this.#driver.unmount(name, record.Options);
      });
      this.#events.publish('volume', 'unmount', name, { driver: record.Driver, container: containerId });
    }
  }
}
