// Files tab: listing a container's directories and downloading a file.
// A running container is listed with `find <dir>/. -maxdepth 1 -exec stat -c …` inside it (both
// busybox and coreutils understand it; the path is an argv element, never part of a shell
// string). Stopped containers, and images without find/stat, are listed from the archive
// endpoint's tar headers instead.
import { posix } from 'node:path';
import type { FileContent, FileEntry, FileListing } from '../../common/desktop-api.ts';
import { absolutePath, resourceId } from '../argument-checks.ts';
import type { BackendContext } from '../backend-context.ts';
import { BackendError, badRequest } from '../backend-error.ts';
import { execCollect } from '../container-exec.ts';
import { engineJson } from '../engine-request.ts';
import { listFromArchive, MAX_LISTED_ENTRIES, readFromArchive } from './container-archive.ts';

/** Two lines per entry: "<raw mode hex>/<size>/<mtime s>/<path>" and %N ("'a' -> 'b'" for links). */
const STAT_FORMAT = '%f/%s/%Y/%n\n%N';
const MAX_EXEC_OUTPUT = 4 * 1024 * 1024;

const S_IFMT = 0o170000;
function typeFromMode(mode: number): FileEntry['type'] {
  switch (mode & S_IFMT) {
    case 0o040000: return 'dir';
    case 0o100000: return 'file';
    case 0o120000: return 'symlink';
    default: return 'other';
  }
}

function linkTargetOf(quoted: string): string | undefined {
  const arrow = quoted.indexOf(' -> ');
  if (arrow === -1) return undefined;
  const target = quoted.slice(arrow + 4);
  const match = /^(['"`])(.*)\1$/s.exec(target);
  return match ? match[2] : target;
}

/** Parses find+stat output; the first record is the directory itself (<dir>/.). */
export function parseStatListing(dir: string, output: string): { self?: FileEntry['type']; entries: FileEntry[] } {
  const lines = output.split('\n');
  const entries: FileEntry[] = [];
  let self: FileEntry['type'] | undefined;
  for (let i = 0; i < lines.length; i++) {
    const match = /^([0-9a-f]+)\/(\d+)\/(\d+)\/(\/.*)$/.exec(lines[i]);
    if (!match) continue;
    const mode = parseInt(match[1], 16);
    const fullPath = match[4];
    const next = lines[i + 1] ?? '';
    const isNameLine = !/^([0-9a-f]+)\/(\d+)\/(\d+)\/(\/.*)$/.test(next);
    if (isNameLine) i++;
    const name = posix.basename(fullPath);
    const type = typeFromMode(mode);
    if (name === '.' && fullPath.endsWith('/.')) {
      self = type;
      continue;
    }
    if (name === '..' || name === '') continue;
    const linkTarget = type === 'symlink' && isNameLine ? linkTargetOf(next) : undefined;
    entries.push({
      name,
      path: dir === '/' ? `/${name}` : `${dir}/${name}`,
      type,
      size: Number(match[2]),
      mode: mode & 0o7777,
      modified: Number(match[3]) * 1000,
      ...(linkTarget !== undefined ? { linkTarget } : {}),
    });
  }
  return { self, entries };
}

async function listWithExec(context: BackendContext, id: string, dir: string): Promise<FileListing | undefined> {
  const start = dir === '/' ? '/.' : `${dir}/.`;
  let result;
  try {
    result = await execCollect(context.target.docker, id, ['find', start, '-maxdepth', '1', '-exec', 'stat', '-c', STAT_FORMAT, '{}', '+'], MAX_EXEC_OUTPUT);
  } catch (error) {
    // Exec refused (no find binary, 126/127 style failures, exec unsupported): use the archive.
    if ((error as { statusCode?: number }).statusCode === 404 && /no such container/i.test((error as Error).message)) throw error;
    return undefined;
  }
  const text = result.stdout.toString('utf8');
  const { self, entries } = parseStatListing(dir, text);
  if (self === undefined) {
    if (/not a directory/i.test(result.stderr)) throw badRequest(`${dir} is not a directory`);
    if (/no such file or directory/i.test(result.stderr)) throw new BackendError(404, `${dir} does not exist in the container`);
    return undefined; // find or stat missing or misbehaving: fall back
  }
  if (self !== 'dir') throw badRequest(`${dir} is not a directory`);
  entries.sort((a, b) => a.name.localeCompare(b.name));
  const truncated = result.truncated || entries.length > MAX_LISTED_ENTRIES;
  const kept = entries.slice(0, MAX_LISTED_ENTRIES);
  return truncated ? { path: dir, entries: kept, truncated: true } : { path: dir, entries: kept };
}

export async function listContainerFiles(context: BackendContext, idArg: unknown, pathArg: unknown): Promise<FileListing> {
  const id = resourceId(idArg, 'container id');
  const dir = absolutePath(pathArg, 'path');
  const info = await engineJson<{ State?: { Running?: boolean; Paused?: boolean } }>(context.target.docker, {
    method: 'GET', path: `/containers/${encodeURIComponent(id)}/json`,
  });
  if (info.State?.Running && !info.State.Paused) {
    const listing = await listWithExec(context, id, dir);
    if (listing) return listing;
  }
  return listFromArchive(context, id, dir);
}

export async function readContainerFile(context: BackendContext, idArg: unknown, pathArg: unknown): Promise<FileContent> {
  const id = resourceId(idArg, 'container id');
  const path = absolutePath(pathArg, 'path');
  if (path === '/') throw badRequest('/ is a directory');
  return readFromArchive(context, id, path);
}
