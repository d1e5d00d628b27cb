// listVolumeFiles: browsing a volume's contents straight from its Mountpoint, which works when the
// engine keeps the volume on this machine (berthd or dockerd on Linux, run by a user who can read
// the data root). The path is resolved inside the mountpoint without following any symlink, so
// no link in the volume can lead the listing outside it (DESIGN.md rule 5).
import { lstat, readdir, readlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { FileEntry, FileListing } from '../../common/desktop-api.ts';
import { absolutePath } from '../argument-checks.ts';
import type { BackendContext } from '../backend-context.ts';
import { BackendError, badRequest } from '../backend-error.ts';
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

export async function listVolumeFiles(context: BackendContext, nameArg: unknown, pathArg: unknown): Promise<FileListing> {
  const path = absolutePath(pathArg, 'path');
  const volume = await inspectVolume(context, nameArg);
  const root = volume.Mountpoint;
  if (process.platform !== 'linux' || !root || !root.startsWith('/')) throw unreachable(volume.Name, 'the engine keeps it elsewhere');
  try {
    if (!(await lstat(root)).isDirectory()) throw unreachable(volume.Name, `${root} is not a directory here`);
  } catch (error) {
    if (error instanceof BackendError) throw error;
    throw unreachable(volume.Name, `${root} cannot be read here (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  // Walk component by component with lstat: every step must be a real directory, never a link.
  let current = root;
  for (const part of path.split('/').filter(Boolean)) {
    current = join(current, part);
    let stats;
    try {
      stats = await lstat(current);
    } catch {
      throw new BackendError(404, `${path} does not exist in volume ${volume.Name}`);
    }
    if (stats.isSymbolicLink()) throw badRequest(`${path} goes through a symbolic link, which is not followed when browsing a volume`);
    if (!stats.isDirectory()) throw badRequest(`${path} is not a directory`);
  }
  let names: string[];
  try {
    names = (await readdir(current)).sort();
  } catch (error) {
    throw unreachable(volume.Name, `${current} cannot be listed (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
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
