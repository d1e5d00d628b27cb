// The containers' side of volumes (the ContainerVolumes seam): resolve -v, --mount, --tmpfs,
// --volumes-from and image VOLUMEs into record.Mounts at create (dockerd registerMountPoints
// and createContainerOSSpecificSettings), turn them into OCI mounts at start after copy-up,
// and let go of them at exit and removal.
import type { ContainerRecord, MountPoint } from '../../core/container-types.ts';
import { EngineError, invalid, notFound } from '../../core/errors.ts';
import { cleanPath, parseBind, parseMountSpec, parseVolumesFrom, tmpfsData, type ParsedMount } from '../../core/volume/mount-parse.ts';
import { checkShared, type SharedRoots } from '../../core/volume/shared-roots.ts';
import type { ContainerVolumes, SpecMount } from '../containers/context.ts';
import type { MountHost } from './mount-host.ts';
import type { VolumeService } from './volume-service.ts';

const duplicate = (destination: string) => invalid(`Duplicate mount point: ${destination}`);

export class LocalContainerVolumes implements ContainerVolumes {
  readonly #volumes: VolumeService;
  readonly #host: MountHost;
  readonly #findContainer: (ref: string) => ContainerRecord | undefined;
  /** In the Berth VM: the host folders shared into the guest, the only places a bind may name. */
  readonly #shared: SharedRoots | undefined;

  constructor(deps: { volumes: VolumeService; host: MountHost; findContainer: (ref: string) => ContainerRecord | undefined; shared?: SharedRoots }) {
    this.#volumes = deps.volumes;
    this.#host = deps.host;
    this.#findContainer = deps.findContainer;
    this.#shared = deps.shared;
  }

  /** Engine start, before containers are restored: who is running with which volume mounted. */
  restore(containers: ContainerRecord[]): void {
    for (const c of containers) {
      if (c.State.Status !== 'running' && c.State.Status !== 'paused' && c.State.Status !== 'restarting') continue;
      for (const m of c.Mounts ?? []) if (m.Type === 'volume' && m.Name) this.#volumes.active.add(m.Name, c.Id);
    }
  }

  async prepare(record: ContainerRecord, imageVolumes: string[]): Promise<void> {
    const hc = record.HostConfig;
    // Everything is parsed and checked before any volume is created: bad input creates nothing.
    const inherited: MountPoint[] = [];
    for (const spec of hc.VolumesFrom ?? []) {
      const { container, rw } = parseVolumesFrom(spec);
      const source = this.#findContainer(container);
      if (!source) throw notFound(`No such container: ${container}`);
      // Inherited mounts keep their source and mode (read-only if either side says so) and never
      // copy image content again (moby registerMountPoints step 2).
      for (const m of source.Mounts ?? []) inherited.push({ ...m, RW: m.RW && rw, NoCopy: true });
    }
    const tmpfs = new Set(Object.keys(hc.Tmpfs ?? {}).map(cleanPath));
    for (const destination of Object.keys(hc.Tmpfs ?? {})) {
      if (!destination.startsWith('/') || cleanPath(destination) === '/') {
        throw invalid(`invalid mount config for type "tmpfs": invalid mount path: '${destination}' mount path must be absolute`);
      }
    }
    const explicit = new Map<string, ParsedMount>();
    const add = (parsed: ParsedMount) => {
      if (explicit.has(parsed.Destination) || tmpfs.has(parsed.Destination)) throw duplicate(parsed.Destination);
      explicit.set(parsed.Destination, parsed);
    };
    const bind = (parsed: ParsedMount) => {
      if (parsed.Type === 'bind') checkShared(parsed.Source, this.#shared);
      add(parsed);
    };
    for (const raw of hc.Binds ?? []) bind(parseBind(raw));
    // Checked before --mount's own "does not exist": an unshared path is the problem to name.
    for (const spec of hc.Mounts ?? []) {
      bind(parseMountSpec(spec, (path) => {
        checkShared(path, this.#shared);
        return this.#host.sourceKind(path) !== 'missing';
      }));
    }
    for (const parsed of explicit.values()) {
      if (parsed.Type === 'volume') this.#volumes.validate({ Name: parsed.Name, Driver: parsed.Driver, DriverOpts: parsed.DriverOptions });
    }
    const mounted = new Set([...explicit.keys(), ...tmpfs]);
    const points = new Map<string, MountPoint>();
    for (const m of inherited) if (!mounted.has(m.Destination)) points.set(m.Destination, m);
    // Image VOLUMEs and `-v /path` (Config.Volumes) become anonymous volumes unless something
    // else is mounted there already (moby createContainerOSSpecificSettings).
    const anonymous: string[] = [];
    for (const raw of new Set([...imageVolumes, ...Object.keys(record.Config.Volumes ?? {})])) {
      if (!raw.startsWith('/')) throw invalid(`invalid mount config for type "volume": invalid mount path: '${raw}' mount path must be absolute`);
      const destination = cleanPath(raw);
      if (destination === '/') throw invalid('invalid mount config for type "volume": invalid specification: destination can\'t be \'/\'');
      if (!mounted.has(destination) && !points.has(destination) && !anonymous.includes(destination)) anonymous.push(destination);
    }

    record.Mounts = [];
    const keep = (point: MountPoint) => {
      record.Mounts!.push(point);
      if (point.Type === 'volume' && point.Name) this.#volumes.refs.add(point.Name, record.Id);
    };
    for (const point of points.values()) keep(point);
    for (const p of explicit.values()) keep(await this.#pointFor(p));
    for (const destination of anonymous) {
      const volume = await this.#volumes.createAnonymous();
      keep({ Type: 'volume', Name: volume.Name, Source: this.#volumes.path(volume.Name), Destination: destination, Driver: volume.Driver, Mode: '', RW: true, Propagation: '', Anonymous: true });
    }
  }

  async #pointFor(p: ParsedMount): Promise<MountPoint> {
    if (p.Type === 'bind') {
      return { Type: 'bind', Source: p.Source, Destination: p.Destination, Mode: p.Mode, RW: p.RW, Propagation: p.Propagation, CreateSource: p.CreateSource, NonRecursive: p.NonRecursive };
    }
    if (p.Type === 'tmpfs') {
      return { Type: 'tmpfs', Source: '', Destination: p.Destination, Mode: '', RW: p.RW, Propagation: '', TmpfsData: p.TmpfsData };
    }
    const input = { Driver: p.Driver, DriverOpts: p.DriverOptions, Labels: p.Labels };
    const volume = p.Name ? await this.#volumes.create({ ...input, Name: p.Name }) : await this.#volumes.createAnonymous(input);
    return {
      Type: 'volume', Name: volume.Name, Source: this.#volumes.path(volume.Name), Destination: p.Destination, Driver: volume.Driver,
      Mode: p.Mode, RW: p.RW, Propagation: '', Anonymous: p.Name === '', NoCopy: !p.CopyData,
    };
  }

  async mounts(record: ContainerRecord, rootfs: string): Promise<SpecMount[]> {
    const out: SpecMount[] = [];
    try {
      for (const m of record.Mounts ?? []) out.push(await this.#specFor(record, m, rootfs));
    } catch (error) {
      await this.unmount(record).catch(() => undefined);
      throw error;
    }
    return out;
  }

  async #specFor(record: ContainerRecord, m: MountPoint, rootfs: string): Promise<SpecMount> {
    const ro = m.RW ? [] : ['ro'];
    if (m.Type === 'tmpfs') {
      // No mount point made here: runc gives a tmpfs the mode of a directory that existed before
      // (libcontainer mountToRootfs), so one of ours would override `tmpfs-mode`. runc creates a
      // missing one itself, inside the rootfs, as it does for dockerd.
      return this.#host.tmpfsMount(m.Destination, m.TmpfsData ?? tmpfsData(m.TmpfsOptions, !m.RW));
    }
    if (m.Type === 'volume') {
      if (!m.Name) throw invalid(`mount at ${m.Destination} names no volume`);
      const volume = this.#volumes.get(m.Name);
      await this.#volumes.mountFor(m.Name, { id: record.Id, destination: m.Destination, rw: m.RW, propagation: m.Propagation });
      const source = this.#volumes.path(m.Name);
      // dockerd copies image content through a mount of its own, which for a tmpfs volume is a
      // tmpfs of its own that goes with the copy: such a volume starts empty, with the owner and
      // mode its options give.
      if (m.NoCopy || volume.Options['type'] === 'tmpfs') await this.#host.prepareTarget(rootfs, m.Destination, 'dir');
      else await this.#host.copyUp(rootfs, m.Destination, source);
      return { destination: m.Destination, type: 'bind', source, options: ['rbind', 'rprivate', ...ro] };
    }
    // Again at start: the shares may have changed since create (a folder removed, the VM restarted).
    checkShared(m.Source, this.#shared);
    let kind = this.#host.sourceKind(m.Source);
    if (kind === 'missing') {
      if (!m.CreateSource) throw invalid(`invalid mount config for type "bind": bind source path does not exist: ${m.Source}`);
      await this.#host.createSourceDir(m.Source);
      kind = 'dir';
    }
    await this.#host.prepareTarget(rootfs, m.Destination, kind === 'dir' ? 'dir' : 'file');
    return { destination: m.Destination, type: 'bind', source: m.Source, options: [m.NonRecursive ? 'bind' : 'rbind', m.Propagation || 'rprivate', ...ro] };
  }

  /** After an exit or a failed start: unmount what only this container had mounted. */
  async unmount(record: ContainerRecord): Promise<void> {
    await this.#volumes.unmountFor(record.Id);
  }

  async release(record: ContainerRecord, removeAnonymous: boolean): Promise<void> {
    await this.#volumes.unmountFor(record.Id);
    this.#volumes.refs.removeContainer(record.Id);
    if (!removeAnonymous) return;
    for (const m of record.Mounts ?? []) {
      if (m.Type !== 'volume' || !m.Anonymous || !m.Name) continue;
      // Still used by another container (--volumes-from): keeping it is not an error (moby
      // removeMountPoints ignores "in use").
      await this.#volumes.remove(m.Name).catch((error: unknown) => {
        if (!(error instanceof EngineError) || (error.kind !== 'conflict' && error.kind !== 'not-found')) throw error;
      });
    }
  }
}
