// The *at(2) family for Node (DESIGN.md rule 5): every operation names one entry of a directory
// the engine holds open, never a path walked from a root. Node has no openat/fstatat/mkdirat, but
// Linux has the same thing by path: `/proc/self/fd/<dirfd>/<name>` makes the kernel jump to the
// directory held by <dirfd> (a magic link we own, pointing at an inode we already checked) and
// look up exactly one name in it. With O_NOFOLLOW (or an l* call) on that one name, no symlink is
// ever followed, so a container that swaps a directory for a symlink between two of our steps
// cannot lead us out of its root: the swap only changes which name we find in the directory we
// already hold (the CVE-2018-15664 race dockerd had; runc's securejoin and libpathrs work the
// same way). Directories are held as O_PATH descriptors: opening one has no side effects, and
// fstat, readdir (via the magic link) and lookups all work on them.
import { constants, type BigIntStats, type Dirent } from 'node:fs';
import { chmod, chown, lchown, link, lstat, lutimes, mkdir, open, readdir, readlink, rmdir, symlink, unlink, utimes, type FileHandle } from 'node:fs/promises';
import { invalid } from '../../../core/errors.ts';

/** open(2) flags Node does not export (same value on x86_64 and arm64: asm-generic/fcntl.h). */
export const O_PATH = 0o10000000;
const { O_DIRECTORY, O_NOFOLLOW, O_RDONLY, O_WRONLY, O_CREAT, O_EXCL, O_NONBLOCK, O_NOCTTY } = constants;

/** An entry of an open directory; name '' is the directory itself. */
export interface Loc {
  dir: FileHandle;
  name: string;
}

/** A name that looks up exactly one entry: no '/', not '.' or '..', no NUL. */
export function checkName(name: string): void {
  if (name === '' || name === '.' || name === '..' || name.includes('/') || name.includes('\0')) {
    throw invalid(`invalid file name ${JSON.stringify(name)}`);
  }
}

/** The path that makes the kernel look up `name` in `dir` (and only there). */
export function at(loc: Loc): string {
  if (loc.name === '') return `/proc/self/fd/${loc.dir.fd}`;
  checkName(loc.name);
  return `/proc/self/fd/${loc.dir.fd}/${loc.name}`;
}

function errno(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code;
}

/** Opens a root the engine itself chose (a rootfs, a volume, a context dir): this one path is
 * trusted, so it may be followed. */
export function openRoot(hostPath: string): Promise<FileHandle> {
  return open(hostPath, O_PATH | O_DIRECTORY);
}

/** The directory named `loc`, if it is one (a symlink there is not followed). 'missing' when no
 * such entry exists, 'other' when it is something else. */
export async function openDirAt(loc: Loc): Promise<FileHandle | 'missing' | 'other'> {
  if (loc.name === '') return open(at(loc), O_PATH | O_DIRECTORY);
  try {
    return await open(at(loc), O_PATH | O_DIRECTORY | O_NOFOLLOW);
  } catch (error) {
    const code = errno(error);
    if (code === 'ENOENT') return 'missing';
    if (code === 'ENOTDIR' || code === 'ELOOP') return 'other';
    throw error;
  }
}

/** Whatever is at `loc`, the symlink itself if it is one; undefined when missing. */
export async function openPathAt(loc: Loc): Promise<FileHandle | undefined> {
  try {
    return await open(at(loc), O_PATH | (loc.name === '' ? 0 : O_NOFOLLOW));
  } catch (error) {
    if (errno(error) === 'ENOENT' || errno(error) === 'ENOTDIR') return undefined;
    throw error;
  }
}

/** Re-opens an O_PATH handle of a regular file for reading: the same inode, whatever its name
 * holds by now. Callers check with fstat that it is a regular file first, so no device or fifo
 * is ever opened. */
export function reopenForRead(handle: FileHandle): Promise<FileHandle> {
  return open(`/proc/self/fd/${handle.fd}`, O_RDONLY | O_NOCTTY | O_NONBLOCK);
}

/** Opens the regular file at `loc` for reading with its stat; undefined when it is missing or
 * not a regular file (a symlink, a device, a fifo: never opened). */
export async function openFileAt(loc: Loc): Promise<{ handle: FileHandle; stats: BigIntStats } | undefined> {
  const path = await openPathAt(loc);
  if (!path) return undefined;
  try {
    const stats = await path.stat({ bigint: true });
    if (!stats.isFile()) return undefined;
    return { handle: await reopenForRead(path), stats };
  } finally {
    await path.close();
  }
}

/** lstat of the entry (stat of the directory itself for name ''); undefined when missing. */
export async function lstatAt(loc: Loc): Promise<BigIntStats | undefined> {
  try {
    return loc.name === '' ? await loc.dir.stat({ bigint: true }) : await lstat(at(loc), { bigint: true });
  } catch (error) {
    if (errno(error) === 'ENOENT' || errno(error) === 'ENOTDIR') return undefined;
    throw error;
  }
}

/** The target of the symlink at `loc`; undefined when it is not a symlink (or is gone). */
export async function readlinkAt(loc: Loc): Promise<string | undefined> {
  if (loc.name === '') return undefined;
  try {
    return await readlink(at(loc));
  } catch (error) {
    const code = errno(error);
    if (code === 'EINVAL' || code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw error;
  }
}

/** Names in a directory handle (sorted: archives and listings are deterministic). */
export async function readdirAt(dir: FileHandle): Promise<string[]> {
  return (await readdir(`/proc/self/fd/${dir.fd}`)).sort();
}

/** Entries of a directory handle with the type readdir(3) reports (d_type), sorted by name. The
 * type is a hint from the moment of the listing: whoever acts on it checks it again. */
export async function readdirTypedAt(dir: FileHandle): Promise<Dirent[]> {
  return (await readdir(`/proc/self/fd/${dir.fd}`, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

export function mkdirAt(loc: Loc, mode: number): Promise<void> {
  return mkdir(at(loc), { mode }).then(() => undefined);
}

export function symlinkAt(target: string, loc: Loc): Promise<void> {
  return symlink(target, at(loc));
}

/** link(2) on Linux never follows a symlink at `from`: the new name shares that very inode. */
export function linkAt(from: Loc, to: Loc): Promise<void> {
  return link(at(from), at(to));
}

/** Creates a new regular file (O_EXCL|O_NOFOLLOW: never through anything already there). */
export function createFileAt(loc: Loc, mode: number): Promise<FileHandle> {
  return open(at(loc), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_NOCTTY, mode);
}

/** Ownership of the entry itself (a symlink's own, not its target's). */
export function lchownAt(loc: Loc, uid: number, gid: number): Promise<void> {
  return loc.name === '' ? chown(at(loc), uid, gid) : lchown(at(loc), uid, gid);
}

/** chmod of a directory handle or of an entry known to be no symlink (chmod follows links, and
 * Linux has no lchmod: callers pass only what they just created or checked). */
export function chmodAt(loc: Loc, mode: number): Promise<void> {
  return chmod(at(loc), mode);
}

export function lutimesAt(loc: Loc, atime: number, mtime: number): Promise<void> {
  return loc.name === '' ? utimes(at(loc), atime, mtime) : lutimes(at(loc), atime, mtime);
}

/** Removes the entry at `loc` and, for a directory, everything in it, descending only through
 * directories opened with O_NOFOLLOW: a symlink swapped in meanwhile is unlinked, never entered. */
export async function removeAt(loc: Loc, attempts = 3): Promise<void> {
  checkName(loc.name);
  const dir = await openDirAt(loc);
  if (dir === 'missing') return;
  if (dir === 'other') {
    await unlink(at(loc)).catch((error: unknown) => {
      if (errno(error) !== 'ENOENT') throw error;
    });
    return;
  }
  try {
    for (const name of await readdirAt(dir)) await removeAt({ dir, name }, attempts);
  } finally {
    await dir.close();
  }
  await rmdir(at(loc)).catch(async (error: unknown) => {
    const code = errno(error);
    if (code === 'ENOENT') return;
    // Replaced by a non-directory, or refilled, since we emptied it: try once more from the top.
    if ((code === 'ENOTDIR' || code === 'ENOTEMPTY') && attempts > 1) return removeAt(loc, attempts - 1);
    throw error;
  });
}

/** Closes every handle opened for one operation, once. */
export class HandleScope {
  readonly #handles = new Set<FileHandle>();

  track<T extends FileHandle>(handle: T): T {
    this.#handles.add(handle);
    return handle;
  }

  async close(): Promise<void> {
    const handles = [...this.#handles];
    this.#handles.clear();
    await Promise.all(handles.map((h) => h.close().catch(() => undefined)));
  }
}
