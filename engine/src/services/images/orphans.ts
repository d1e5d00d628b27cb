// Blobs and layers no image references: the finished downloads of a pull that failed (full disk,
// lost connection, engine killed), the layers it had applied, what a failed load or build stored.
// A retry reuses them, so they are not deleted on failure; image prune (and with it system prune)
// collects them, and system df counts them, so the space can always be seen and got back.
// Reachability, as containerd's garbage collector walks it: an image keeps its config, its layers
// (compressed blob, the uncompressed tar kept for save/push, the unpacked layer and every layer
// below it), and the manifests it was pulled or pushed with (an index keeps its children).
import type { ContainerRecord } from '../../core/container-types.ts';
import type { ImageService } from './image-service.ts';

export interface Orphans {
  blobs: Array<{ digest: string; size: number }>;
  /** Children before parents: the order they can be removed in. */
  layers: Array<{ chainId: string; size: number }>;
}

/** Digests of the manifests an index document lists (an unparsable blob lists none). */
function indexChildren(bytes: Buffer): string[] {
  try {
    const doc = JSON.parse(bytes.toString('utf8')) as { manifests?: unknown };
    if (!Array.isArray(doc?.manifests)) return [];
    return doc.manifests.map((m: unknown) => (m as { digest?: unknown } | null)?.digest).filter((d): d is string => typeof d === 'string');
  } catch {
    return [];
  }
}

async function referencedBlobs(images: ImageService): Promise<Set<string>> {
  const keep = new Set<string>();
  for (const image of images.store.list()) {
    keep.add(image.id);
    for (const layer of image.layers) {
      keep.add(layer.diffId);
      if (layer.digest) keep.add(layer.digest);
    }
    for (const repoDigest of image.repoDigests) {
      const digest = repoDigest.slice(repoDigest.lastIndexOf('@') + 1);
      keep.add(digest);
      const bytes = await images.content.read(digest).catch(() => undefined);
      if (bytes) for (const child of indexChildren(bytes)) keep.add(child);
    }
  }
  return keep;
}

export async function findOrphans(images: ImageService, containers: () => ContainerRecord[]): Promise<Orphans> {
  const keepBlobs = await referencedBlobs(images);
  const blobs: Orphans['blobs'] = [];
  for (const digest of await images.content.list()) {
    if (keepBlobs.has(digest)) continue;
    const size = await images.content.size(digest);
    if (size !== undefined) blobs.push({ digest, size });
  }
  const keepLayers = new Set(images.store.list().flatMap((image) => image.layers.map((layer) => layer.chainId)));
  // A container's writable layer sits on its image's top layer; the snapshotter refuses to remove
  // a layer another one builds on, which protects the layers below.
  for (const record of containers()) if (record.TopChainId) keepLayers.add(record.TopChainId);
  const candidates = (await images.snapshotter.listLayers()).filter((chainId) => !keepLayers.has(chainId));
  const layers: Orphans['layers'] = [];
  for (const chainId of candidates) {
    const size = await images.snapshotter.layerSize(chainId).catch(() => undefined);
    if (size !== undefined) layers.push({ chainId, size });
  }
  return { blobs, layers };
}

/** Bytes the orphans occupy (system df adds them to the images' share). */
export function orphanBytes(orphans: Orphans): number {
  return orphans.blobs.reduce((sum, b) => sum + b.size, 0) + orphans.layers.reduce((sum, l) => sum + l.size, 0);
}

/**
 * Removes every orphan; returns the layers removed (dockerd reports removed layers as `Deleted`
 * chain IDs) and the bytes freed. Skipped while a pull, load, import, commit, push or build is
 * storing content: what it stored is not referenced until it records its image.
 */
export async function collectOrphans(images: ImageService, containers: () => ContainerRecord[]): Promise<{ layers: string[]; reclaimed: number }> {
  if (images.contentBusy) return { layers: [], reclaimed: 0 };
  const orphans = await findOrphans(images, containers);
  const removed: string[] = [];
  let reclaimed = 0;
  // Without parent links at hand, remove in passes: a layer whose child is still there refuses
  // (conflict) and goes in a later pass, once the child is gone.
  let pending = orphans.layers;
  while (pending.length > 0) {
    const refused: Orphans['layers'] = [];
    for (const layer of pending) {
      if (images.contentBusy) return { layers: removed, reclaimed };
      try {
        await images.snapshotter.removeLayer(layer.chainId);
        removed.push(layer.chainId);
        reclaimed += layer.size;
      } catch {
        refused.push(layer);
      }
    }
    if (refused.length === pending.length) break; // kept by a container's layer, or still in use
    pending = refused;
  }
  for (const blob of orphans.blobs) {
    if (images.contentBusy) break;
    await images.content.delete(blob.digest);
    reclaimed += blob.size;
  }
  return { layers: removed, reclaimed };
}
