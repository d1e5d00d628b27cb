// listVolumeFiles / readVolumeFile: browsing a volume's contents straight from its Mountpoint,
// which works when the engine keeps the volume on this machine (berthd or dockerd on Linux, run by
// a user who can read the data root). Paths are resolved inside the mountpoint without following
// any symlink, so no link in the volume can lead outside it (DESIGN.md rule 5).
import { constants } from 'node:fs';
import { lstat, open, readdir, readlink, type FileHandle } from 'node:fs/promises';
import { basename } from 'node:path';
import type { FileContent, FileEntry, FileListing } from '../../common/desktop-api.ts';
import { absolutePath } from '../argument-checks.ts';
import type { BackendContext } from '../backend-context.ts';
import { BackendError, badRequest } from '../backend-error.ts';
import { MAX_FILE_BYTES } from './container-archive.ts';
import { inspectVolume } from './volumes.ts';

const MAX_ENTRIES = 5000;

function typeOf(stats: { isFile(): boolean; isDirectory(): boolean; isSymbolicLink(): boolean }): FileEntry['type'] {
  if (stats.isSymbolicLink()) return 'symlink';
  if (stats.isDirectory()) return 'dir';
  if (stats.isFile()) return 'file';
  return 'other';
}

function unreachable(name: string, detail: string): BackendError {
  return new BackendError(501, `Browsing volume "${name}" needs its data on this machine (a local engine on Linux, readable by this user): ${detail}`);
}

/** open(2)'s O_PATH (asm-generic value, x86_64 and arm64): a handle with no side effects. */
const O_PATH = 0o10000000;
const { O_DIRECTORY, O_NOFOLLOW, O_RDONLY, O_NONBLOCK, O_NOCTTY } = constants;

/** `name` looked up in the directory `dir` holds, and only there: the kernel jumps through our
 * own /proc/self/fd link to that directory, then looks up one name (the openat(2) Node lacks). */
const inDir = (dir: FileHandle, name?: string) => (name === undefined ? `/proc/self/fd/${dir.fd}` : `/proc/self/fd/${dir.fd}/${name}`);

interface ResolvedPath { volumeName: string; dir: FileHandle; name?: string }

/** Resolves `path` inside the volume's mountpoint one name at a time, each looked up in the
 * directory held open before it with O_NOFOLLOW: every directory on the way must be a real
 * directory, never a link, and a container swapping one for a link meanwhile cannot lead the
 * lookup out of the volume (the CVE-2018-15664 race; DESIGN.md rule 5). `last` says what the final
 * component must be. The caller closes `dir`. */
async function resolveInVolume(context: BackendContext, nameArg: unknown, path: string, last: 'dir' | 'file'): Promise<ResolvedPath> {
  const volume = await inspectVolume(context, nameArg);
  const root = volume.Mountpoint;
  if (process.platform !== 'linux' || !root || !root.startsWith('/')) throw unreachable(volume.Name, 'the engine keeps it elsewhere');
  let dir: FileHandle;
  try {
    dir = await open(root, O_PATH | O_DIRECTORY);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOTDIR') throw unreachable(volume.Name, `${root} is not a directory here`);
    throw unreachable(volume.Name, `${root} cannot be read here (${code ?? String(error)})`);
  }
  const parts = path.split('/').filter(Boolean);
  if (last === 'file' && parts.length === 0) {
    await dir.close();
    throw badRequest('/ is a directory');
  }
  try {
    for (const [index, part] of parts.entries()) {
      const isLast = index === parts.length - 1;
      let next: FileHandle;
      try {
        next = await open(inDir(dir, part), O_PATH | O_NOFOLLOW);
      } catch {
        throw new BackendError(404, `${path} does not exist in volume ${volume.Name}`);
      }
      const stats = await next.stat().catch(async (error: unknown) => {
        await next.close();
        throw error;
      });
      if (isLast && last === 'file') {
        await next.close();
        if (stats.isSymbolicLink()) throw badRequest(`${path} goes through a symbolic link, which is not followed when browsing a volume`);
        if (stats.isDirectory()) throw badRequest(`${path} is a directory`);
        if (!stats.isFile()) throw badRequest(`${path} is not a regular file`);
        return { volumeName: volume.Name, dir, name: part };
      }
      if (!stats.isDirectory()) {
        await next.close();
        if (stats.isSymbolicLink()) throw badRequest(`${path} goes through a symbolic link, which is not followed when browsing a volume`);
        throw badRequest(`${path} is not a directory`);
      }
      await dir.close();
      dir = next;
    }
  } catch (error) {
    await dir.close();
    throw error;
  }
  return { volumeName: volume.Name, dir };
}

export async function readVolumeFile(context: BackendContext, nameArg: unknown, pathArg: unknown): Promise<FileContent> {
  const path = absolutePath(pathArg, 'path');
  const { dir, name } = await resolveInVolume(context, nameArg, path, 'file');
  let handle: FileHandle;
  try {
    // O_NOFOLLOW in the held directory: a file swapped for a link after the check is refused;
    // O_NONBLOCK: one swapped for a fifo does not hang; the type is checked again on the handle.
    handle = await open(inDir(dir, name), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY);
  } catch {
    throw badRequest(`${path} changed while it was opened`);
  } finally {
    await dir.close();
  }
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) throw badRequest(`${path} is not a regular file`);
    const { size } = stats;
    if (size > MAX_FILE_BYTES) throw new BackendError(413, `${path} is ${size} bytes; files over 256 MiB cannot be opened here (use docker cp)`);
    const bytes = await handle.readFile();
    return { name: basename(path), size: bytes.length, base64: bytes.toString('base64') };
  } finally {
    await handle.close();
  }
}

export async function listVolumeFiles(context: BackendContext, nameArg: unknown, pathArg: unknown): Promise<FileListing> {
  const path = absolutePath(pathArg, 'path');
  const { volumeName, dir } = await resolveInVolume(context, nameArg, path, 'dir');
  try {
    return await listDir(volumeName, dir, path);
  } finally {
    await dir.close();
  }
}

async function listDir(volumeName: string, dir: FileHandle, path: string): Promise<FileListing> {
  let names: string[];
  try {
    names = (await readdir(inDir(dir))).sort();
  } catch (error) {
    throw unreachable(volumeName, `${path} cannot be listed (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  const truncated = names.length > MAX_ENTRIES;
  const entries: FileEntry[] = [];
  for (const name of names.slice(0, MAX_ENTRIES)) {
    const full = inDir(dir, name);
    try {
      const stats = await lstat(full);
      const type = typeOf(stats);
      entries.push({
        name,
        path: path === '/' ? `/${name}` : `${path}/${name}`,
        type,
        size: stats.size,
        mode: stats.mode & 0o7777,
        modified: stats.mtimeMs,
        ...(type === 'symlink' ? { linkTarget: await readlink(full).catch(() => '') } : {}),
      });
    } catch {
      // Removed while listing: skip it, the next refresh shows the truth.
    }
  }
  return truncated ? { path, entries, truncated } : { path, entries };
}
