// Tar streams out of a container view: `GET /containers/{id}/archive` (one path, named the way
// moby's TarResourceRebaseOpts names it) and `GET /containers/{id}/export` (the whole rootfs,
// names relative to it, the root itself left out, as archive.TarWithOptions(rootfs) does).
// Files are streamed, never buffered whole; hard links become tar link entries as in go-archive
// (the busybox image alone holds ~400 links to one binary).
import { constants, type BigIntStats } from 'node:fs';
import { lstat, open, readdir, readlink } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pack as tarPack, type Header, type Pack } from 'tar-stream';
import type { ContainerView } from './container-view.ts';
import { packFileEntry } from '../tar-file-entry.ts';


type Headers = Partial<Header> & { name: string };

export interface TarOutOptions {
  /** Container path (canonical, symlinks resolved) of the tree or file to archive. */
  parts: string[];
  /** Name of the top entry in the archive ('' = leave the top directory out, as export does). */
  topName: string;
  /** Prefix for the children's names (dockerd: topName, or '' when archiving "/"). */
  childPrefix: string;
  onError?: (error: unknown) => void;
}

/** Streams a tar of `options.parts` (and everything below it if it is a directory). */
export function tarFromView(view: ContainerView, options: TarOutOptions): Readable {
  const pack = tarPack();
  const links = new Map<string, string>();
  void (async () => {
    try {
      await addTree(pack, view, links, options.parts, options.topName, options.childPrefix);
      pack.finalize();
    } catch (error) {
      // Headers are gone already: all we can do is cut the stream, which clients see as an error.
      options.onError?.(error);
      pack.destroy(error instanceof Error ? error : new Error(String(error)));
    }
  })();
  // A Node stream for the HTTP layer (tar-stream packs are streamx streams).
  return Readable.from(pack);
}

async function addTree(pack: Pack, view: ContainerView, links: Map<string, string>, parts: string[], name: string, childPrefix: string): Promise<void> {
  if (pack.destroyed) return;
  const host = view.hostOf(parts);
  const stats = await lstat(host, { bigint: true }).catch((error: NodeJS.ErrnoException) => {
    // The container keeps running while we walk: a file gone meanwhile is skipped, as go-archive
    // logs and skips what it cannot stat.
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
  if (!stats) return;
  if (name !== '') await addEntry(pack, host, stats, name, links);
  if (!stats.isDirectory()) return;
  const children = (await readdir(host).catch(() => [] as string[])).sort();
  for (const child of children) {
    const childName = childPrefix === '' && name === '' ? child : `${childPrefix}/${child}`;
    await addTree(pack, view, links, [...parts, child], childName, childName);
  }
}

async function addEntry(pack: Pack, host: string, stats: BigIntStats, name: string, links: Map<string, string>): Promise<void> {
  const header: Headers = {
    name,
    mode: Number(stats.mode) & 0o7777,
    uid: Number(stats.uid),
    gid: Number(stats.gid),
    mtime: new Date(Number(stats.mtimeMs)),
  };
  if (stats.isDirectory()) return entry(pack, { ...header, name: name.endsWith('/') ? name : `${name}/`, type: 'directory' });
  if (stats.isSymbolicLink()) return entry(pack, { ...header, type: 'symlink', linkname: await readlink(host) });
  if (stats.isSocket()) return; // go-archive: "skipping ... since it is a socket"
  if (stats.isFIFO()) return entry(pack, { ...header, type: 'fifo' });
  if (stats.isCharacterDevice() || stats.isBlockDevice()) {
    const rdev = Number(stats.rdev);
    return entry(pack, {
      ...header,
      type: stats.isCharacterDevice() ? 'character-device' : 'block-device',
      devmajor: ((rdev >> 8) & 0xfff) | (Math.floor(rdev / 2 ** 32) & ~0xfff),
      devminor: (rdev & 0xff) | ((rdev >> 12) & 0xfff00),
    });
  }
  if (stats.nlink > 1n) {
    const key = `${stats.dev}:${stats.ino}`;
    const first = links.get(key);
    if (first !== undefined) return entry(pack, { ...header, type: 'link', linkname: first });
    links.set(key, name);
  }
  await fileEntry(pack, host, { ...header, type: 'file', size: Number(stats.size) });
}

function entry(pack: Pack, header: Headers): Promise<void> {
  return new Promise((resolve, reject) => {
    pack.entry(header, (error) => (error ? reject(error) : resolve()));
  });
}

/** Streams exactly `size` bytes: a file that shrank while we read is padded with zeros and one
 * that grew is cut, so the archive stays well-formed (the header already promised the size). */
async function fileEntry(pack: Pack, host: string, header: Headers & { size: number }): Promise<void> {
  // O_NOFOLLOW: a symlink swapped in since lstat is not followed out of the container.
  const handle = await open(host, constants.O_RDONLY | constants.O_NOFOLLOW);
  try {
    await packFileEntry(pack, header, handle);
  } finally {
    await handle.close();
  }
}
