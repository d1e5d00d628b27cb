// listVolumeFiles / readVolumeFile: browsing a volume's contents straight from its Mountpoint,
// which works when the engine keeps the volume on this machine (berthd or dockerd on Linux, run by
// a user who can read the data root). Paths are resolved inside the mountpoint without following
// any symlink, so no link in the volume can lead outside it (DESIGN.md rule 5).
import { constants } from 'node:fs';
import { lstat, open, readdir, readlink } from 'node:fs/promises';
import { basename, join } from 'node:path';
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

interface ResolvedPath { volumeName: string; full: string }

/** Resolves `path` inside the volume's mountpoint, lstat-ing each step: every directory on the
 * way must be a real directory, never a link; `last` says what the final component must be. */
async function resolveInVolume(context: BackendContext, nameArg: unknown, path: string, last: 'dir' | 'file'): Promise<ResolvedPath> {
  const volume = await inspectVolume(context, nameArg);
  const root = volume.Mountpoint;
  if (process.platform !== 'linux' || !root || !root.startsWith('/')) throw unreachable(volume.Name, 'the engine keeps it elsewhere');
  try {
    if (!(await lstat(root)).isDirectory()) throw unreachable(volume.Name, `${root} is not a directory here`);
  } catch (error) {
    if (error instanceof BackendError) throw error;
    throw unreachable(volume.Name, `${root} cannot be read here (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  const parts = path.split('/').filter(Boolean);
  let current = root;
  for (const [index, part] of parts.entries()) {
    current = join(current, part);
    let stats;
    try {
      stats = await lstat(current);
    } catch {
      throw new BackendError(404, `${path} does not exist in volume ${volume.Name}`);
    }
    if (stats.isSymbolicLink()) throw badRequest(`${path} goes through a symbolic link, which is not followed when browsing a volume`);
    const isLast = index === parts.length - 1;
    if (isLast && last === 'file') {
      if (stats.isDirectory()) throw badRequest(`${path} is a directory`);
      if (!stats.isFile()) throw badRequest(`${path} is not a regular file`);
    } else if (!stats.isDirectory()) {
      throw badRequest(`${path} is not a directory`);
    }
  }
  if (last === 'file' && parts.length === 0) throw badRequest('/ is a directory');
  return { volumeName: volume.Name, full: current };
}

export async function readVolumeFile(context: BackendContext, nameArg: unknown, pathArg: unknown): Promise<FileContent> {
  const path = absolutePath(pathArg, 'path');
  const { full } = await resolveInVolume(context, nameArg, path, 'file');
  // O_NOFOLLOW: a file swapped for a link after the lstat above is refused, not followed.
  const handle = await open(full, constants.O_RDONLY | constants.O_NOFOLLOW);
  try {
    const { size } = await handle.stat();
    if (size > MAX_FILE_BYTES) throw new BackendError(413, `${path} is ${size} bytes; files over 256 MiB cannot be opened here (use docker cp)`);
    const bytes = await handle.readFile();
    return { name: basename(path), size: bytes.length, base64: bytes.toString('base64') };
  } finally {
    await handle.close();
  }
}

export async function listVolumeFiles(context: BackendContext, nameArg: unknown, pathArg: unknown): Promise<FileListing> {
  const path = absolutePath(pathArg, 'path');
  const { volumeName, full: current } = await resolveInVolume(context, nameArg, path, 'dir');
  let names: string[];
  try {
    names = (await readdir(current)).sort();
  } catch (error) {
    throw unreachable(volumeName, `${current} cannot be listed (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  const truncated = names.length > MAX_ENTRIES;
  const entries: FileEntry[] = [];
  for (const name of names.slice(0, MAX_ENTRIES)) {
    const full = join(current, name);
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
