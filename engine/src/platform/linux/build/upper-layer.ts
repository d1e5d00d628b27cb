// A build step's layer: the overlay upper directory of its snapshot as an uncompressed OCI
// layer tar (image-spec layer.md "Representing Changes"): overlayfs whiteouts (0:0 character
// devices) become `.wh.<name>` entries, and a directory that hides its lower contents (opaque)
// gets `.wh..wh..opq`. The tar is hashed as it is written: its digest is the layer's diff ID.
import { createHash } from 'node:crypto';
import { constants, type BigIntStats } from 'node:fs';
import { lstat, open, readdir, readlink } from 'node:fs/promises';
import { join } from 'node:path';
import { pack as tarPack, type Header, type Pack } from 'tar-stream';
import { packFileEntry } from '../tar-file-entry.ts';

/** Files the engine bind-mounts into every container: the (empty) mount points runc makes
 * for them are no part of what the step changed (dockerd leaves them out of commits too). */
const MOUNT_POINTS = new Set(['etc/hosts', 'etc/hostname', 'etc/resolv.conf']);

export interface UpperLayerInput {
  upper: string;
  /** Lower layer diff directories, topmost first (to tell opaque directories). */
  lowers: string[];
  /** The mounted overlay, when available: a lower name it no longer shows was hidden. */
  merged?: string;
}

export interface BuiltLayer {
  tar: Buffer;
  diffId: string;
}

export async function layerFromUpper(input: UpperLayerInput): Promise<BuiltLayer> {
  const pack = tarPack();
  const chunks: Buffer[] = [];
  const hash = createHash('sha256');
  const collected = (async () => {
    for await (const chunk of pack) {
      const buffer = chunk as Buffer;
      hash.update(buffer);
      chunks.push(buffer);
    }
  })();
  try {
    await walk(pack, input, '', new Map());
    pack.finalize();
  } catch (error) {
    pack.destroy(error as Error);
    await collected.catch(() => undefined);
    throw error;
  }
  await collected;
  return { tar: Buffer.concat(chunks), diffId: `sha256:${hash.digest('hex')}` };
}

async function walk(pack: Pack, input: UpperLayerInput, rel: string, links: Map<string, string>): Promise<void> {
  const names = (await readdir(join(input.upper, rel))).sort();
  for (const name of names) {
    const path = rel === '' ? name : `${rel}/${name}`;
    const host = join(input.upper, path);
    const stats = await lstat(host, { bigint: true });
    if (stats.isCharacterDevice() && stats.rdev === 0n) {
      await entry(pack, { name: rel === '' ? `.wh.${name}` : `${rel}/.wh.${name}`, type: 'file', size: 0, mode: 0o644 });
      continue;
    }
    if (MOUNT_POINTS.has(path) && stats.isFile() && stats.size === 0n) continue;
    const header: Partial<Header> & { name: string } = {
      name: path,
      mode: Number(stats.mode) & 0o7777,
      uid: Number(stats.uid),
      gid: Number(stats.gid),
      mtime: new Date(Number(stats.mtimeMs)),
    };
    if (stats.isDirectory()) {
      await entry(pack, { ...header, name: `${path}/`, type: 'directory' });
      if (await isOpaque(input, path)) await entry(pack, { name: `${path}/.wh..wh..opq`, type: 'file', size: 0, mode: 0o644 });
      await walk(pack, input, path, links);
    } else if (stats.isSymbolicLink()) {
      await entry(pack, { ...header, type: 'symlink', linkname: await readlink(host) });
    } else if (stats.isFIFO()) {
      await entry(pack, { ...header, type: 'fifo' });
    } else if (stats.isCharacterDevice() || stats.isBlockDevice()) {
      const rdev = Number(stats.rdev);
      await entry(pack, { ...header, type: stats.isCharacterDevice() ? 'character-device' : 'block-device', devmajor: (rdev >> 8) & 0xfff, devminor: (rdev & 0xff) | ((rdev >> 12) & 0xfff00) });
    } else if (stats.isFile()) {
      const key = `${stats.dev}:${stats.ino}`;
      const first = stats.nlink > 1n ? links.get(key) : undefined;
      if (first !== undefined) {
        await entry(pack, { ...header, type: 'link', linkname: first });
        continue;
      }
      if (stats.nlink > 1n) links.set(key, path);
      await fileEntry(pack, host, { ...header, type: 'file', size: Number(stats.size) }, stats);
    }
  }
}

/** A directory that exists below and hides a lower name the merged view no longer shows. */
async function isOpaque(input: UpperLayerInput, rel: string): Promise<boolean> {
  if (!input.merged) return false;
  const upperNames = new Set(await readdir(join(input.upper, rel)).catch(() => [] as string[]));
  for (const lower of input.lowers) {
    const names = await readdir(join(lower, rel)).catch(() => undefined);
    if (!names) continue;
    for (const name of names) {
      if (upperNames.has(name)) continue;
      if (!(await lstat(join(input.merged, rel, name)).catch(() => undefined))) return true;
    }
  }
  return false;
}

function entry(pack: Pack, header: Partial<Header> & { name: string }): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = (error?: Error | null) => (error ? reject(error) : resolve());
    // A file entry without a body would wait for one: empty ones (whiteouts) get an empty buffer.
    if (header.type === 'file') pack.entry(header, Buffer.alloc(0), done);
    else pack.entry(header, done);
  });
}

async function fileEntry(pack: Pack, host: string, header: Partial<Header> & { name: string; size: number }, _stats: BigIntStats): Promise<void> {
  const handle = await open(host, constants.O_RDONLY | constants.O_NOFOLLOW);
  try {
    await packFileEntry(pack, header, handle);
  } finally {
    await handle.close();
  }
}
