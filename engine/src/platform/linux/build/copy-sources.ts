// COPY/ADD sources on the host side: the tree of a build context (or of a mounted stage), the
// checksum the classic builder puts in its cache key, and the tar that carries the chosen files
// into the step's snapshot (extracted there by the same code as `docker cp`, so symlinks in the
// image never lead writes out of it).
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { lstat, open, readdir, readlink } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pack as tarPack, type Header, type Pack } from 'tar-stream';
import { packFileEntry } from '../tar-file-entry.ts';

export interface TreeEntry {
  /** Slash-separated path relative to the root, no leading slash. */
  rel: string;
  type: 'file' | 'dir' | 'symlink' | 'other';
  mode: number;
  size: number;
  mtimeMs: number;
}

/** Every entry under `root`/`rel` (not following symlinks), parents before children. */
export async function listTree(root: string, rel = ''): Promise<TreeEntry[]> {
  const stats = await lstat(join(root, rel)).catch(() => undefined);
  if (!stats) return [];
  if (!stats.isDirectory()) return [{ rel, type: stats.isFile() ? 'file' : stats.isSymbolicLink() ? 'symlink' : 'other', mode: stats.mode & 0o7777, size: stats.size, mtimeMs: stats.mtimeMs }];
  const self: TreeEntry[] = rel === '' ? [] : [{ rel, type: 'dir', mode: stats.mode & 0o7777, size: 0, mtimeMs: stats.mtimeMs }];
  return [...self, ...(await listChildren(root, rel))];
}

async function listChildren(root: string, rel: string): Promise<TreeEntry[]> {
  const out: TreeEntry[] = [];
  const names = (await readdir(join(root, rel))).sort();
  for (const name of names) {
    const path = rel === '' ? name : `${rel}/${name}`;
    const stats = await lstat(join(root, path));
    const type = stats.isDirectory() ? 'dir' : stats.isFile() ? 'file' : stats.isSymbolicLink() ? 'symlink' : 'other';
    out.push({ rel: path, type, mode: stats.mode & 0o7777, size: stats.size, mtimeMs: stats.mtimeMs });
    if (type === 'dir') out.push(...(await listChildren(root, path)));
  }
  return out;
}

export interface CopyItem {
  /** Source path relative to the source root. */
  source: string;
  /** Destination path in the image, no leading slash. */
  dest: string;
  type: TreeEntry['type'];
  mode: number;
  mtimeMs: number;
}

/** sha256 over names, modes, link targets and content digests (the role of moby's tarsum).
 * `known` holds content digests already computed (the context's, hashed on arrival). */
export async function checksumItems(root: string, items: readonly CopyItem[], known?: ReadonlyMap<string, string>): Promise<string> {
  const hash = createHash('sha256');
  for (const item of items) {
    hash.update(`${item.dest}\0${item.type}\0${item.mode}\0`);
    if (item.type === 'symlink') hash.update(await readlink(join(root, item.source)));
    if (item.type !== 'file') continue;
    let digest = known?.get(item.source);
    if (digest === undefined) {
      const content = createHash('sha256');
      for await (const chunk of createReadStream(join(root, item.source))) content.update(chunk as Buffer);
      digest = content.digest('hex');
    }
    hash.update(digest);
  }
  return hash.digest('hex');
}

export interface PackCopyInput {
  root: string;
  items: readonly CopyItem[];
  /** Directories to create first (missing parents of the destination), no leading slash. */
  dirs: readonly string[];
  uid: number;
  gid: number;
}

/** A tar of `dirs` then `items`, owned by uid/gid, to extract at the image root. */
export function packCopy(input: PackCopyInput): Readable {
  const pack = tarPack();
  void (async () => {
    try {
      const owner = { uid: input.uid, gid: input.gid };
      for (const dir of input.dirs) await entry(pack, { name: `${dir}/`, type: 'directory', mode: 0o755, ...owner, mtime: new Date() });
      for (const item of input.items) {
        const header = { name: item.dest, mode: item.mode, mtime: new Date(item.mtimeMs), ...owner };
        if (item.type === 'dir') await entry(pack, { ...header, name: `${item.dest}/`, type: 'directory' });
        else if (item.type === 'symlink') await entry(pack, { ...header, type: 'symlink', linkname: await readlink(join(input.root, item.source)) });
        else if (item.type === 'file') await fileEntry(pack, join(input.root, item.source), header);
      }
      pack.finalize();
    } catch (error) {
      pack.destroy(error as Error);
    }
  })();
  return Readable.from(pack);
}

function entry(pack: Pack, header: Partial<Header> & { name: string }): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = (error?: Error | null) => (error ? reject(error) : resolve());
    // A file entry without a body would wait for one: empty ones (whiteouts) get an empty buffer.
    if (header.type === 'file') pack.entry(header, Buffer.alloc(0), done);
    else pack.entry(header, done);
  });
}

async function fileEntry(pack: Pack, host: string, header: Partial<Header> & { name: string }): Promise<void> {
  const handle = await open(host, 'r');
  try {
    const size = (await handle.stat()).size;
    await packFileEntry(pack, { ...header, type: 'file', size }, handle);
  } finally {
    await handle.close();
  }
}

/** Whether a local ADD source is an archive Docker unpacks (tar, or gzip/bzip2/xz/zstd). */
export async function isArchive(path: string): Promise<boolean> {
  const handle = await open(path, 'r');
  try {
    const head = Buffer.alloc(512);
    const { bytesRead } = await handle.read(head, 0, 512, 0);
    if (bytesRead >= 2 && head[0] === 0x1f && head[1] === 0x8b) return true;
    if (bytesRead >= 4 && head.readUInt32LE(0) === 0xfd2fb528) return true;
    return bytesRead >= 262 && head.subarray(257, 262).toString('latin1') === 'ustar';
  } finally {
    await handle.close();
  }
}
