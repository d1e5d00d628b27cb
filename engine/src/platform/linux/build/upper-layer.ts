// A build step's layer: the overlay upper directory of its snapshot as an uncompressed OCI
// layer tar (image-spec layer.md "Representing Changes"): overlayfs whiteouts (0:0 character
// devices) become `.wh.<name>` entries, and a directory that hides its lower contents (opaque)
// gets `.wh..wh..opq`. The tar is hashed as it is written: its digest is the layer's diff ID.
import { createHash } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';
import { pack as tarPack, type Pack } from 'tar-stream';
import { HandleScope, lstatAt, openDirAt, openRoot, readdirAt } from '../fs/at.ts';
import { addEntry, isWhiteoutDevice, openEntry, packEntry } from '../tar-file-entry.ts';

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
    await walk(pack, input, new Map());
    pack.finalize();
  } catch (error) {
    pack.destroy(error as Error);
    await collected.catch(() => undefined);
    throw error;
  }
  await collected;
  return { tar: Buffer.concat(chunks), diffId: `sha256:${hash.digest('hex')}` };
}

/** The directories of one level of the tree, each held open: the upper's, each lower's that has
 * it, and the merged view's. */
interface Level {
  upper: FileHandle;
  lowers: FileHandle[];
  merged?: FileHandle;
}

async function walk(pack: Pack, input: UpperLayerInput, links: Map<string, string>): Promise<void> {
  const scope = new HandleScope();
  try {
    const level: Level = {
      upper: scope.track(await openRoot(input.upper)),
      lowers: await Promise.all(input.lowers.map(async (dir) => scope.track(await openRoot(dir)))),
      merged: input.merged ? scope.track(await openRoot(input.merged)) : undefined,
    };
    await walkLevel(pack, level, '', links);
  } finally {
    await scope.close();
  }
}

async function walkLevel(pack: Pack, level: Level, rel: string, links: Map<string, string>): Promise<void> {
  for (const name of await readdirAt(level.upper)) {
    const path = rel === '' ? name : `${rel}/${name}`;
    const entry = await openEntry({ dir: level.upper, name });
    if (!entry) continue;
    try {
      const { stats } = entry;
      if (isWhiteoutDevice(stats)) {
        await addEntry(pack, { name: rel === '' ? `.wh.${name}` : `${rel}/.wh.${name}`, type: 'file', size: 0, mode: 0o644 });
        continue;
      }
      if (MOUNT_POINTS.has(path) && stats.isFile() && stats.size === 0n) continue;
      await packEntry(pack, entry, path, { links });
      if (!stats.isDirectory()) continue;
      const child = await descend(level, name, entry.handle);
      try {
        if (await isOpaque(child)) await addEntry(pack, { name: `${path}/.wh..wh..opq`, type: 'file', size: 0, mode: 0o644 });
        await walkLevel(pack, child, path, links);
      } finally {
        await Promise.all([...child.lowers, ...(child.merged ? [child.merged] : [])].map((h) => h.close()));
      }
    } finally {
      await entry.handle.close();
    }
  }
}

/** The next level down: `name` in each lower and in the merged view, where it is a directory. */
async function descend(level: Level, name: string, upper: FileHandle): Promise<Level> {
  const lowers: FileHandle[] = [];
  for (const lower of level.lowers) {
    const dir = await openDirAt({ dir: lower, name });
    if (typeof dir !== 'string') lowers.push(dir);
  }
  const merged = level.merged && (await openDirAt({ dir: level.merged, name }));
  return { upper, lowers, merged: typeof merged === 'string' ? undefined : merged };
}

/** A directory that exists below and hides a lower name the merged view no longer shows. */
async function isOpaque(level: Level): Promise<boolean> {
  if (!level.merged) return false;
  const upperNames = new Set(await readdirAt(level.upper).catch(() => [] as string[]));
  for (const lower of level.lowers) {
    for (const name of await readdirAt(lower).catch(() => [] as string[])) {
      if (upperNames.has(name)) continue;
      if (!(await lstatAt({ dir: level.merged, name }))) return true;
    }
  }
  return false;
}
