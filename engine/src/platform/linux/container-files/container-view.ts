// The container's filesystem as `docker cp` sees it: the mounted rootfs with the container's
// volumes and bind mounts laid over it. dockerd builds that view with real mounts in a private
// mount namespace (daemon/containerfs_linux.go openContainerFS); Node cannot unshare, so the
// view maps paths instead: a container path under a mount's Destination lives at Source + rest
// (the longest Destination wins, as the innermost mount shadows the others).
//
// Every lookup goes one name at a time through directories held open (../fs/at.ts): symlinks
// are followed by hand, chroot-style (`/` and `..` stop at the view's root), and nothing is ever
// resolved by a host path below the roots, so a container that swaps a directory for a symlink
// while we work cannot lead a read or a write out of it (CVE-2018-15664).
import { stat as statPath } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { invalid } from '../../../core/errors.ts';
import { HandleScope, lstatAt, mkdirAt, openDirAt, openRoot, readlinkAt, type Loc } from '../fs/at.ts';
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
  parts: string[];
  /** Where the entry lives: a held directory and a name in it ('' = that directory). */
  loc: Loc;
  /** The mount the path lies in, if any. */
  mount?: ViewMount;
}

/** Linux gives up after 40 symlinks in one lookup (MAXSYMLINKS); so do we. */
const MAX_SYMLINK_HOPS = 40;

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

function components(path: string): string[] {
  return path.split('/').filter((c) => c !== '' && c !== '.');
}

export class ContainerView {
  readonly rootfs: string;
  readonly mounts: ViewMount[];
  /** Every directory the view opened; closed together by close(). */
  readonly #scope = new HandleScope();
  readonly #roots = new Map<string, Promise<Loc>>();

  constructor(rootfs: string, mounts: ViewMount[]) {
    this.rootfs = rootfs;
    // Longest destination first: the innermost mount wins.
    this.mounts = mounts
      .map((m) => ({ ...m, destination: cleanCpPath(m.destination).clean }))
      .sort((a, b) => b.destination.length - a.destination.length);
  }

  /** Releases the directories held for lookups. */
  close(): Promise<void> {
    this.#roots.clear();
    return this.#scope.close();
  }

  /** The mount whose destination is `path` or one of its ancestors. */
  mountOf(path: string): ViewMount | undefined {
    return this.mounts.find((m) => m.destination === '/' || path === m.destination || path.startsWith(m.destination + '/'));
  }

  /** The mount whose destination is exactly `path`. */
  mountAt(path: string): ViewMount | undefined {
    return this.mounts.find((m) => m.destination === path);
  }

  /** Where the view's `/` lives. */
  root(): Promise<Loc> {
    const mount = this.mountAt('/');
    return this.#rootOf(mount ? mount.source : this.rootfs, mount !== undefined);
  }

  /** Where a mount's content lives: its source directory, or the directory holding a file
   * source (the engine's /etc/hosts, a file bind mount) and its name. Sources are the engine's
   * or the user's own host paths, so they are opened as given. */
  mountLoc(mount: ViewMount): Promise<Loc> {
    return this.#rootOf(mount.source, true);
  }

  #rootOf(source: string, mayBeFile: boolean): Promise<Loc> {
    let found = this.#roots.get(source);
    if (!found) {
      found = (async (): Promise<Loc> => {
        if (mayBeFile && !(await statPath(source)).isDirectory()) {
          return { dir: this.#scope.track(await openRoot(dirname(source))), name: basename(source) };
        }
        return { dir: this.#scope.track(await openRoot(source)), name: '' };
      })();
      this.#roots.set(source, found);
    }
    return found;
  }

  /**
   * Resolves a container path within the view: every symlink on the way is followed chroot-style
   * (the last component too unless `followLast` is false, like lstat(2)). Undefined when a
   * component before the last is missing or not a directory; a missing last component resolves
   * (its entry then does not exist). Directories opened on the way belong to `scope` (the
   * view's own by default, closed with the view). With `create`, missing components become
   * directories (mode 0755, as go-archive makes the parents an archive does not list) after
   * `create` approved their canonical path.
   */
  async resolve(path: string, followLast = true, scope: HandleScope = this.#scope, create?: (canonical: string) => void): Promise<ResolvedPath | undefined> {
    const walked = await this.#walk(path, followLast, scope, create);
    return 'deadEnd' in walked ? undefined : walked;
  }

  /** The canonical container path of `path` (symlinks followed), even when it does not exist:
   * what dockerd reports as a link's target. */
  async canonical(path: string): Promise<string> {
    const scope = new HandleScope();
    const walked = await this.#walk(path, true, scope).finally(() => scope.close());
    return 'deadEnd' in walked ? '/' + walked.deadEnd.join('/') : walked.path;
  }

  async #walk(path: string, followLast: boolean, scope: HandleScope, create?: (canonical: string) => void): Promise<ResolvedPath | { deadEnd: string[] }> {
    const todo = components(path);
    const stack: Array<{ part: string; dir: Loc['dir'] }> = [];
    const base = await this.root();
    if (base.name !== '') throw invalid('the container root is not a directory');
    let hops = 0;
    while (todo.length > 0) {
      const part = todo.shift() as string;
      if (part === '..') {
        stack.pop(); // `..` at the root stays at the root, as in a chroot
        continue;
      }
      const isLast = todo.length === 0;
      const parts = [...stack.map((s) => s.part), part];
      const canonical = '/' + parts.join('/');
      const mount = this.mountAt(canonical);
      if (mount) {
        const loc = await this.mountLoc(mount);
        if (loc.name === '') {
          stack.push({ part, dir: loc.dir });
          continue;
        }
        return isLast ? { path: canonical, parts, loc, mount } : { deadEnd: [...parts, ...todo] };
      }
      const parent = stack.length > 0 ? stack[stack.length - 1].dir : base.dir;
      const here: Loc = { dir: parent, name: part };
      if (isLast && !followLast) return { path: canonical, parts, loc: here, mount: this.mountOf(canonical) };
      let dir = await openDirAt(here);
      if (dir === 'missing' && create) {
        create(canonical);
        await mkdirAt(here, 0o755).catch((error: NodeJS.ErrnoException) => {
          if (error.code !== 'EEXIST') throw error;
        });
        dir = await openDirAt(here);
      }
      if (dir === 'missing') return isLast ? { path: canonical, parts, loc: here, mount: this.mountOf(canonical) } : { deadEnd: [...parts, ...todo] };
      if (dir !== 'other') {
        stack.push({ part, dir: scope.track(dir) });
        continue;
      }
      const target = await readlinkAt(here);
      if (target === undefined) {
        // A file, a device, a socket: fine as the last component, a dead end before it.
        return isLast ? { path: canonical, parts, loc: here, mount: this.mountOf(canonical) } : { deadEnd: [...parts, ...todo] };
      }
      if (++hops > MAX_SYMLINK_HOPS) throw invalid(`${path}: too many levels of symbolic links`);
      if (target.startsWith('/')) stack.length = 0; // an absolute link restarts at the view's root
      todo.unshift(...components(target));
    }
    const parts = stack.map((s) => s.part);
    const canonical = '/' + parts.join('/');
    const dir = stack.length > 0 ? stack[stack.length - 1].dir : base.dir;
    return { path: canonical, parts, loc: { dir, name: '' }, mount: this.mountOf(canonical) };
  }

  /**
   * What dockerd's containerFSView.Stat returns for a cp path: lstat of the path (the link
   * itself, unless a trailing "/" or "/." asks for the directory behind it), with a symlink's
   * target fully resolved in the container (moby symlink.FollowSymlinkInScope). Undefined when
   * the path does not exist.
   */
  async stat(raw: string): Promise<{ stat: PathStat; resolved: ResolvedPath } | undefined> {
    const { clean, assertsDir } = cleanCpPath(raw);
    const resolved = await this.resolve(clean, assertsDir);
    if (!resolved) return undefined;
    const stats = await lstatAt(resolved.loc);
    if (!stats) return undefined;
    // A trailing slash on a non-directory fails in the kernel (ENOTDIR); dockerd reports it missing.
    if (assertsDir && !stats.isDirectory()) return undefined;
    const linkTarget = stats.isSymbolicLink() ? await this.canonical(clean) : '';
    return { stat: pathStatOf(cpBaseName(raw), stats, linkTarget), resolved };
  }
}

/** Runs `fn` on a view of a plain tree (no mounts mapped in) and closes every handle it opened. */
export async function withTreeView<T>(root: string, fn: (view: ContainerView) => Promise<T>): Promise<T> {
  const view = new ContainerView(root, []);
  try {
    return await fn(view);
  } finally {
    await view.close();
  }
}
