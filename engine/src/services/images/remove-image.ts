// `docker rmi` and `docker image prune`, with dockerd's rules (daemon/images/image_delete.go and
// image_prune.go) for what may be untagged, what may be deleted, which conflicts only --force
// overrides, and which parents go with an image: a deleted image's parent is deleted too when
// nothing else holds it (no tag or digest, no other child, no container), and so on up the chain,
// each reported as `Deleted:`; `--no-prune` keeps them. The classic builder's step images are
// such parents. Prune also collects blobs and layers no image references (orphans.ts).
import { conflict, EngineError, notFound } from '../../core/errors.ts';
import type { ImageRecord } from '../../core/image-store.ts';
import { shortId } from '../../core/ids.ts';
import { familiar, parseImageRef, type ImageService } from './image-service.ts';
import { collectOrphans } from './orphans.ts';

export type DeleteResponseItem = { Untagged: string } | { Deleted: string };

const isLive = (status: string) => status === 'running' || status === 'paused' || status === 'restarting';

function children(images: ImageService, id: string): ImageRecord[] {
  return images.store.list().filter((image) => image.parent === id);
}

export async function removeImage(images: ImageService, ref: string, options: { force: boolean; noprune?: boolean }): Promise<DeleteResponseItem[]> {
  const parsed = parseImageRef(ref);
  const record = images.find(ref);
  if (!record) throw notFound(`No such image: ${parsed ? parsed.familiarName() : ref}`);
  const prune = !(options.noprune ?? false);
  const normalised = parsed?.toString();
  const byName = normalised !== undefined && (images.store.tagTarget(normalised) === record.id || record.repoDigests.includes(normalised));
  const users = images.containersUsing(record.id);
  const refs = [...images.store.tagsOf(record.id), ...record.repoDigests];
  const out: DeleteResponseItem[] = [];

  if (byName) {
    const repoRefs = new Set(refs.map((r) => parseImageRef(r)?.repository()));
    const lastName = images.store.tagsOf(record.id).length <= 1 && repoRefs.size <= 1;
    if (lastName && users.length > 0 && !options.force) {
      throw conflict(`conflict: unable to remove repository reference "${ref}" (must force) - container ${shortId(users[0].Id)} is using its referenced image ${shortId(record.id)}`);
    }
    await untag(images, record, normalised, out);
    if (!lastName || users.length > 0) return out;
    // The last name is gone; like dockerd, an image other images build on stays (untagged).
    if (children(images, record.id).length > 0) return out;
  } else {
    if (children(images, record.id).length > 0) {
      throw conflict(`conflict: unable to delete ${shortId(record.id)} (cannot be forced) - image has dependent child images`);
    }
    const repositories = new Set(refs.map((r) => parseImageRef(r)?.repository()));
    if (repositories.size > 1 && !options.force) {
      throw conflict(`conflict: unable to delete ${shortId(record.id)} (must be forced) - image is referenced in multiple repositories`);
    }
    const running = users.find((c) => isLive(c.State.Status));
    if (running) {
      throw conflict(`conflict: unable to delete ${shortId(record.id)} (cannot be forced) - image is being used by running container ${shortId(running.Id)}`);
    }
    if (users.length > 0 && !options.force) {
      throw conflict(`conflict: unable to delete ${shortId(record.id)} (must be forced) - image is being used by stopped container ${shortId(users[0].Id)}`);
    }
    for (const tag of images.store.tagsOf(record.id)) await untag(images, record, tag, out);
    for (const digest of [...record.repoDigests]) out.push({ Untagged: familiar(digest) });
    if (users.length > 0) return out;
  }
  await deleteWithParents(images, record, prune, out);
  return out;
}

async function untag(images: ImageService, record: ImageRecord, normalised: string, out: DeleteResponseItem[]): Promise<void> {
  if (record.repoDigests.includes(normalised)) {
    record.repoDigests = record.repoDigests.filter((d) => d !== normalised);
    await images.store.put(record);
  } else {
    await images.store.untag(normalised);
  }
  out.push({ Untagged: familiar(normalised) });
  images.events.publish('image', 'untag', record.id, { name: familiar(normalised) });
}

/** Nothing but the image being deleted holds `parent`: no name, no other child, no container. */
function parentIsFree(images: ImageService, parent: ImageRecord): boolean {
  return images.store.tagsOf(parent.id).length === 0 && parent.repoDigests.length === 0 && children(images, parent.id).length === 0 && images.containersUsing(parent.id).length === 0;
}

/** Deletes `record`, then (with `prune`) each parent up the chain that nothing else holds; returns
 * the bytes of the layers removed. */
async function deleteWithParents(images: ImageService, record: ImageRecord, prune: boolean, out: DeleteResponseItem[]): Promise<number> {
  let reclaimed = await deleteImage(images, record, out);
  for (let parentId = record.parent; prune && parentId !== undefined; ) {
    const parent = images.store.get(parentId);
    if (!parent || !parentIsFree(images, parent)) break;
    reclaimed += await deleteImage(images, parent, out);
    parentId = parent.parent;
  }
  return reclaimed;
}

/** Deletes the image record and the layers and blobs no other image uses (as dockerd releases an
 * image's layers whether or not it prunes parents). */
async function deleteImage(images: ImageService, record: ImageRecord, out: DeleteResponseItem[]): Promise<number> {
  out.push({ Deleted: record.id });
  await images.store.delete(record.id);
  images.events.publish('image', 'delete', record.id, { name: record.id });
  const others = images.store.list();
  const chainsInUse = new Set(others.flatMap((image) => image.layers.map((layer) => layer.chainId)));
  const blobsInUse = new Set(others.flatMap((image) => [image.id, ...image.layers.flatMap((layer) => [layer.digest, layer.diffId])]));
  let reclaimed = 0;
  for (const layer of [...record.layers].reverse()) {
    if (chainsInUse.has(layer.chainId)) continue;
    try {
      await images.snapshotter.removeLayer(layer.chainId);
    } catch (error) {
      // An unreferenced layer still builds on it (a failed pull's, say): the orphan collector
      // removes both, child first.
      if (error instanceof EngineError && error.kind === 'conflict') break;
      throw error;
    }
    out.push({ Deleted: layer.chainId });
    reclaimed += layer.size;
  }
  for (const digest of [record.id, ...record.layers.flatMap((layer) => [layer.digest, layer.diffId])]) {
    if (digest && !blobsInUse.has(digest)) await images.content.delete(digest).catch(() => undefined);
  }
  return reclaimed;
}

export interface PruneOptions {
  /** true: only untagged images (default); false: every image no container uses (`-a`). */
  danglingOnly: boolean;
  untilMs?: number;
  labels?: (labels: Record<string, string> | null | undefined) => boolean;
}

export async function pruneImages(images: ImageService, options: PruneOptions): Promise<{ ImagesDeleted: DeleteResponseItem[] | null; SpaceReclaimed: number }> {
  const deleted: DeleteResponseItem[] = [];
  let reclaimed = 0;
  for (const record of images.store.list()) {
    // Deleted meanwhile as the parent of an image pruned before it.
    if (!images.store.get(record.id)) continue;
    const tags = images.store.tagsOf(record.id);
    // Build intermediates go with the image they lead to, never on their own.
    if (tags.length === 0 && children(images, record.id).length > 0) continue;
    if (options.danglingOnly && tags.length > 0) continue;
    if (images.containersUsing(record.id).length > 0) continue;
    if (options.untilMs !== undefined && Date.parse(record.storedAt) > options.untilMs) continue;
    if (options.labels && !options.labels((await images.config(record.id)).config?.Labels)) continue;
    for (const tag of tags) await untag(images, record, tag, deleted);
    // As `rmi` of its last name: an image other images build on stays, untagged.
    if (children(images, record.id).length > 0) continue;
    reclaimed += await deleteWithParents(images, record, true, deleted);
  }
  const orphans = await collectOrphans(images, images.containers);
  for (const chainId of orphans.layers) deleted.push({ Deleted: chainId });
  reclaimed += orphans.reclaimed;
  return { ImagesDeleted: deleted.length > 0 ? deleted : null, SpaceReclaimed: reclaimed };
}
