// What `docker cp`, `docker diff` and `docker export` need from the host filesystem (the seam
// platform/linux/container-files implements), and the container rootfs kept mounted while they
// run: Docker allows all three on stopped containers, so the rootfs is mounted on demand and
// unmounted afterwards unless the container is running by then.
import type { Readable } from 'node:stream';
import type { ContainerRecord } from '../../core/container-types.ts';
import type { ContainerContext } from './context.ts';

/** A host directory or file shown at a container path (volume, bind, engine-managed file). */
export interface FileMount {
  destination: string;
  source: string;
  rw: boolean;
}

/** API "ContainerArchiveInfo": mode in Go os.FileMode bits, mtime RFC 3339. */
export interface PathStat {
  name: string;
  size: number;
  mode: number;
  mtime: string;
  linkTarget: string;
}

/** API "FilesystemChange": Kind 0 modified, 1 added, 2 deleted. */
export interface FilesystemChange {
  Path: string;
  Kind: 0 | 1 | 2;
}

export interface ExtractRequest {
  path: string;
  body: Readable;
  noOverwriteDirNonDir: boolean;
  /** Owner for every entry (copyUIDGID with a container user); else the tar's own ids. */
  chown?: { uid: number; gid: number };
  readonlyRootfs: boolean;
}

export interface ContainerFiles {
  /** undefined when the path does not exist. */
  stat(rootfs: string, mounts: FileMount[], path: string): Promise<PathStat | undefined>;
  archive(rootfs: string, mounts: FileMount[], path: string, onError: (error: unknown) => void): Promise<{ stat: PathStat; stream: Readable } | undefined>;
  /** Extracts into the directory at request.path; throws not-found when it does not exist. */
  extract(rootfs: string, mounts: FileMount[], request: ExtractRequest): Promise<void>;
  /** uid/gid of a Docker `User` in the container's /etc/passwd and /etc/group. */
  userIds(rootfs: string, user: string): Promise<{ uid: number; gid: number }>;
  changes(record: ContainerRecord, merged: string, ignore: ReadonlySet<string>): Promise<FilesystemChange[]>;
  exportRootfs(rootfs: string, onError: (error: unknown) => void): Readable;
}

const holds = new WeakMap<ContainerContext, Map<string, number>>();

/** Mounts the container's rootfs for a file operation; `release` undoes it when no other
 * operation holds it and the container is not running (its start mounted it for itself). */
export async function holdRootfs(ctx: ContainerContext, record: ContainerRecord): Promise<{ rootfs: string; release: () => Promise<void> }> {
  let counts = holds.get(ctx);
  if (!counts) holds.set(ctx, (counts = new Map()));
  const held = counts;
  // Under the container's lock: a start or a stop never sees a half-made mount decision.
  const rootfs = await ctx.withLock(record.Id, async () => {
    held.set(record.Id, (held.get(record.Id) ?? 0) + 1);
    try {
      return await ctx.snapshotter.mountContainer(record.Id, record.TopChainId);
    } catch (error) {
      held.set(record.Id, (held.get(record.Id) ?? 1) - 1);
      throw error;
    }
  });
  let released = false;
  const release = async () => {
    if (released) return;
    released = true;
    await ctx.withLock(record.Id, async () => {
      const left = (held.get(record.Id) ?? 1) - 1;
      if (left > 0) {
        held.set(record.Id, left);
        return;
      }
      held.delete(record.Id);
      const current = ctx.store.find(record.Id);
      const live = current !== undefined && ['running', 'paused', 'restarting', 'removing'].includes(current.State.Status);
      if (current && !live) await ctx.snapshotter.unmountContainer(record.Id).catch(() => undefined);
    });
  };
  return { rootfs, release };
}

/** Engine-managed files dockerd bind-mounts into every container (its "network mounts"). */
export interface ManagedFiles {
  hostsPath: string;
  hostnamePath: string;
  resolvConfPath: string;
}

export const MANAGED_PATHS = ['/etc/hosts', '/etc/hostname', '/etc/resolv.conf'] as const;

/** The view's mounts: tmpfs mounts are left out as dockerd's setupMounts leaves them out (their
 * content lives only in the container), and user mounts win over the managed /etc files. */
export function fileMounts(record: ContainerRecord, managed?: ManagedFiles): FileMount[] {
  const mounts: FileMount[] = (record.Mounts ?? [])
    .filter((m) => m.Type !== 'tmpfs' && m.Source !== '')
    .map((m) => ({ destination: m.Destination, source: m.Source, rw: m.RW }));
  if (managed) {
    const sources = [managed.hostsPath, managed.hostnamePath, managed.resolvConfPath];
    MANAGED_PATHS.forEach((destination, i) => {
      if (!mounts.some((m) => m.destination === destination)) mounts.push({ destination, source: sources[i], rw: true });
    });
  }
  return mounts;
}
