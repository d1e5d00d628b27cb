// COPY/ADD sources on the host side: the tree of a build context (or of a mounted stage), the
// checksum the classic builder puts in its cache key, and the tar that carries the chosen files
// into the step's snapshot (extracted there by the same code as `docker cp`, so symlinks in the
// image never lead writes out of it).
import { createHash } from 'node:crypto';
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pack as tarPack } from 'tar-stream';
import { ContainerView } from '../container-files/container-view.ts';
import { readdirAt, readlinkAt, openFileAt, type Loc } from '../fs/at.ts';
import { addEntry, openEntry, packEntry } from '../tar-file-entry.ts';

export interface TreeEntry {
  /** Slash-separated path relative to the root, no leading slash. */
  rel: string;
  type: 'file' | 'dir' | 'symlink' | 'other';
  mode: number;
  size: number;
  mtimeMs: number;
}

/** Every entry at `loc` (named `rel`) and below, not following symlinks, parents before
 * children; each directory is looked into through its own handle (fs/at.ts). */
export async function listTreeAt(loc: Loc, rel: string): Promise<TreeEntry[]> {
  const entry = await openEntry(loc);
  if (!entry) return [];
  const out: TreeEntry[] = [];
  try {
    const { stats } = entry;
    const type = stats.isDirectory() ? 'dir' : stats.isFile() ? 'file' : stats.isSymbolicLink() ? 'symlink' : 'other';
    // The root of the source itself is not an entry of its tree.
    if (rel !== '' || type !== 'dir') out.push({ rel, type, mode: Number(stats.mode) & 0o7777, size: Number(stats.size), mtimeMs: Number(stats.mtimeMs) });
    if (type === 'dir') {
      for (const name of await readdirAt(entry.handle)) out.push(...(await listTreeAt({ dir: entry.handle, name }, rel === '' ? name : `${rel}/${name}`)));
    }
  } finally {
    await entry.handle.close();
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

/** Looks `rel` up in `root` chroot-style, the last component not followed, and hands where it
 * lives to `fn` (undefined when a directory on the way is gone). */
async function withSource<T>(view: ContainerView, rel: string, fn: (loc: Loc | undefined) => Promise<T>): Promise<T> {
  const found = await view.resolve(`/${rel}`, false);
  return fn(found?.loc);
}

/** sha256 over names, modes, link targets and content digests (the role of moby's tarsum).
 * `known` holds content digests already computed (the context's, hashed on arrival). */
export async function checksumItems(root: string, items: readonly CopyItem[], known?: ReadonlyMap<string, string>): Promise<string> {
  const hash = createHash('sha256');
  const view = new ContainerView(root, []);
  try {
    for (const item of items) {
      hash.update(`${item.dest}\0${item.type}\0${item.mode}\0`);
      if (item.type === 'symlink') hash.update((await withSource(view, item.source, async (loc) => loc && readlinkAt(loc))) ?? '');
      if (item.type !== 'file') continue;
      let digest = known?.get(item.source);
      if (digest === undefined) {
        const content = createHash('sha256');
        await withSource(view, item.source, async (loc) => {
          const file = loc && (await openFileAt(loc));
          if (!file) return;
          try {
            for await (const chunk of file.handle.createReadStream({ autoClose: false })) content.update(chunk as Buffer);
          } finally {
            await file.handle.close();
          }
        });
        digest = content.digest('hex');
      }
      hash.update(digest);
    }
  } finally {
    await view.close();
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
  const view = new ContainerView(input.root, []);
  void (async () => {
    try {
      const owner = { uid: input.uid, gid: input.gid };
      for (const dir of input.dirs) await addEntry(pack, { name: `${dir}/`, type: 'directory', mode: 0o755, ...owner, mtime: new Date() });
      for (const item of input.items) {
        if (item.type === 'other') continue;
        await withSource(view, item.source, async (loc) => {
          const entry = loc && (await openEntry(loc));
          if (!entry) return;
          try {
            await packEntry(pack, entry, item.dest, { owner });
          } finally {
            await entry.handle.close();
          }
        });
      }
      pack.finalize();
    } catch (error) {
      pack.destroy(error as Error);
    } finally {
      await view.close();
    }
  })();
  return Readable.from(pack);
}

/** Whether a local ADD source is an archive Docker unpacks (tar, or gzip/bzip2/xz/zstd). */
export async function isArchive(path: string): Promise<boolean> {
  // The path came from a no-follow listing; O_NOFOLLOW|O_NONBLOCK keep it a plain file read.
  const handle = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
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
