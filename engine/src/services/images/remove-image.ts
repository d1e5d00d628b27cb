// `docker rmi` and `docker image prune`, with dockerd's rules for what may be untagged, what may
// be deleted, and which conflicts only --force overrides.
import { conflict, notFound } from '../../core/errors.ts';
import type { ImageRecord } from '../../core/image-store.ts';
import { shortId } from '../../core/ids.ts';
import { familiar, parseImageRef, type ImageService } from './image-service.ts';

export type DeleteResponseItem = { Untagged: string } | { Deleted: string };

export async function removeImage(images: ImageService, ref: string, options: { force: boolean; noprune?: boolean }): Promise<DeleteResponseItem[]> {
  const parsed = parseImageRef(ref);
  const record = images.find(ref);
  if (!record) throw notFound(`No such image: ${parsed ? parsed.familiarName() : ref}`);
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
  } else {
    const repositories = new Set(refs.map((r) => parseImageRef(r)?.repository()));
    if (repositories.size > 1 && !options.force) {
      throw conflict(`conflict: unable to delete ${shortId(record.id)} (must be forced) - image is referenced in multiple repositories`);
    }
    const running = users.find((c) => c.State.Status === 'running' || c.State.Status === 'paused' || c.State.Status === 'restarting');
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
  out.push(...(await deleteImage(images, record, options.noprune ?? false)));
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

/** Deletes the image record, then layers and blobs no other image still uses. */
async function deleteImage(images: ImageService, record: ImageRecord, noprune: boolean): Promise<DeleteResponseItem[]> {
  const out: DeleteResponseItem[] = [{ Deleted: record.id }];
  await images.store.delete(record.id);
  images.events.publish('image', 'delete', record.id, { name: record.id });
  if (noprune) return out;
  const others = images.store.list();
  const chainsInUse = new Set(others.flatMap((image) => image.layers.map((layer) => layer.chainId)));
  const blobsInUse = new Set(others.flatMap((image) => [image.id, ...image.layers.map((layer) => layer.digest)]));
  for (const layer of [...record.layers].reverse()) {
    if (chainsInUse.has(layer.chainId)) continue;
    await images.snapshotter.removeLayer(layer.chainId);
    out.push({ Deleted: layer.chainId });
  }
  for (const digest of [record.id, ...record.layers.map((layer) => layer.digest)]) {
    if (digest && !blobsInUse.has(digest)) await images.content.delete(digest).catch(() => undefined);
  }
  return out;
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
    const tags = images.store.tagsOf(record.id);
    if (options.danglingOnly && tags.length > 0) continue;
    if (images.containersUsing(record.id).length > 0) continue;
    if (options.untilMs !== undefined && Date.parse(record.storedAt) > options.untilMs) continue;
    if (options.labels && !options.labels((await images.config(record.id)).config?.Labels)) continue;
    for (const tag of tags) await untag(images, record, tag, deleted);
    const before = deleted.length;
    const items = await deleteImage(images, record, false);
    deleted.push(...items);
    if (deleted.length > before) reclaimed += record.size;
  }
  return { ImagesDeleted: deleted.length > 0 ? deleted : null, SpaceReclaimed: reclaimed };
}
