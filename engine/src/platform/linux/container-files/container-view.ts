// The container's filesystem as `docker cp` sees it: the mounted rootfs with the container's
// volumes and bind mounts laid over it. dockerd builds that view with real mounts in a private
// mount namespace (daemon/containerfs_linux.go openContainerFS); Node cannot unshare, so the
// view maps paths instead: a container path under a mount's Destination lives at Source + rest
// (the longest Destination wins, as the innermost mount shadows the others). Symlinks resolve
// as in a chroot of the view, so no path leads out of it (CVE-2018-15664 family).
import { lstat } from 'node:fs/promises';
import { join } from 'node:path';
import { resolveContainerPath } from '../oci-spec/rootfs-path.ts';
import { pathStatOf } from './file-mode.ts';
import type { PathStat } from '../../../services/containers/container-files.ts';

/** One mount of the view: a host directory or file shown at a container path. */
export interface ViewMount {
  destination: string;
  source: string;
  rw: boolean;
}

export interface ResolvedPath {
  /** Canonical container path ("/" for the root). */
  path: string;
  host: string;
  /** The mount the path lies in, if any. */
  mount?: ViewMount;
}

/** Go's path.Clean of "/"+p, keeping a trailing "/" or "/." the way moby's
 * archive.PreserveTrailingDotOrSeparator does: both assert "a directory, follow the link". */
export function cleanCpPath(raw: string): { clean: string; assertsDir: boolean; currentDir: boolean } {
  const parts: string[] = [];
  for (const part of raw.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') parts.pop();
    else parts.push(part);
  }
  const currentDir = raw === '.' || raw.endsWith('/.');
  const assertsDir = currentDir || raw.endsWith('/');
  return { clean: '/' + parts.join('/'), assertsDir, currentDir };
}

/** The stat name dockerd reports: Go filepath.Base of the preserved path ("." for "/x/."). */
export function cpBaseName(raw: string): string {
  const { clean, currentDir } = cleanCpPath(raw);
  if (currentDir) return '.';
  return clean === '/' ? '/' : clean.slice(clean.lastIndexOf('/') + 1);
}

export class ContainerView {
  readonly rootfs: string;
  readonly mounts: ViewMount[];

  constructor(rootfs: string, mounts: ViewMount[]) {
    this.rootfs = rootfs;
    // Longest destination first: the innermost mount wins.
    this.mounts = mounts
      .map((m) => ({ ...m, destination: cleanCpPath(m.destination).clean }))
      .sort((a, b) => b.destination.length - a.destination.length);
  }

  /** The mount whose destination is `path` or one of its ancestors. */
  mountOf(path: string): ViewMount | undefined {
    return this.mounts.find((m) => m.destination === '/' || path === m.destination || path.startsWith(m.destination + '/'));
  }

  /** Host path of a canonical (symlink-free) container path. */
  hostOf(parts: string[]): string {
    const path = '/' + parts.join('/');
    const mount = this.mountOf(path);
    if (!mount) return join(this.rootfs, ...parts);
    const rest = path.slice(mount.destination.length).split('/').filter(Boolean);
    return join(mount.source, ...rest);
  }

  /** Resolves every symlink of `path` within the view, the last component too. */
  async resolve(path: string): Promise<ResolvedPath> {
    const { parts, host } = await resolveContainerPath(path, (p) => this.hostOf(p));
    const canonical = '/' + parts.join('/');
    return { path: canonical, host, mount: this.mountOf(canonical) };
  }

  /** Resolves the parent of `path` and keeps the last component as named, like lstat(2). */
  async resolveNoFollow(path: string): Promise<ResolvedPath> {
    const { clean } = cleanCpPath(path);
    if (clean === '/') return this.resolve('/');
    const slash = clean.lastIndexOf('/');
    const parent = await this.resolve(clean.slice(0, slash) || '/');
    const parts = [...parent.path.split('/').filter(Boolean), clean.slice(slash + 1)];
    const canonical = '/' + parts.join('/');
    return { path: canonical, host: this.hostOf(parts), mount: this.mountOf(canonical) };
  }

  /**
   * What dockerd's containerFSView.Stat returns for a cp path: lstat of the path (the link
   * itself, unless a trailing "/" or "/." asks for the directory behind it), with a symlink's
   * target fully resolved in the container (moby symlink.FollowSymlinkInScope). Undefined when
   * the path does not exist.
   */
  async stat(raw: string): Promise<{ stat: PathStat; resolved: ResolvedPath } | undefined> {
    const { clean, assertsDir } = cleanCpPath(raw);
    const resolved = assertsDir ? await this.resolve(clean) : await this.resolveNoFollow(clean);
    const stats = await lstat(resolved.host, { bigint: true }).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT' || error.code === 'ENOTDIR') return undefined;
      throw error;
    });
    if (!stats) return undefined;
    // A trailing slash on a non-directory fails in the kernel (ENOTDIR); dockerd reports it missing.
    if (assertsDir && !stats.isDirectory()) return undefined;
    const linkTarget = stats.isSymbolicLink() ? (await this.resolve(clean)).path : '';
    return { stat: pathStatOf(cpBaseName(raw), stats, linkTarget), resolved };
  }
}
