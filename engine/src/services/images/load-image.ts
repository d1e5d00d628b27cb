// `docker load` (API "Image": POST /images/load): every image of an unpacked archive is checked
// first (JSON shapes, blobs present, config and manifest digests, reference syntax), then its
// layers go through the snapshotter, which verifies each diff ID. Images and tags are recorded
// only when everything checked out; a failure removes the layers and blobs this load added, so
// a corrupt or hostile archive leaves nothing behind.
import { chainIds } from '../../core/chain-id.ts';
import { errorMessage, invalid } from '../../core/errors.ts';
import type { ImageLayerRecord } from '../../core/image-store.ts';
import { parseImageConfig } from '../../core/image-formats/image-config.ts';
import type { ImageConfig } from '../../core/oci-types.ts';
import { parseReference, type ParsedReference } from '../../core/reference.ts';
import type { ArchiveSource } from '../../platform/linux/image-archive/archive-extract.ts';
import { readArchiveImages, sha256, type ArchiveImage } from './archive-manifest.ts';
import type { ImageService } from './image-service.ts';

interface CheckedImage {
  source: ArchiveImage;
  id: string;
  configBytes: Buffer;
  config: ImageConfig;
  tags: ParsedReference[];
}

async function check(archive: ArchiveSource, image: ArchiveImage): Promise<CheckedImage> {
  if (!(await archive.has(image.configPath))) throw invalid(`invalid archive: config ${image.configPath} is missing`);
  const configBytes = await archive.read(image.configPath);
  const id = sha256(configBytes);
  if (image.configDigest && image.configDigest !== id) throw invalid(`invalid archive: digest mismatch for config ${image.configDigest}`);
  const config = parseImageConfig(configBytes, `archive: config ${image.configPath}`);
  const diffIds = config.rootfs.diff_ids;
  if (diffIds.length !== image.layers.length) {
    throw invalid(`invalid archive: image ${id} lists ${image.layers.length} layers but its config has ${diffIds.length} diff IDs`);
  }
  for (const layer of image.layers) {
    if (!(await archive.has(layer.path))) throw invalid(`invalid archive: layer ${layer.path} is missing`);
  }
  const tags = image.repoTags.map((tag) => {
    try {
      return parseReference(tag);
    } catch (error) {
      throw invalid(`invalid archive: invalid reference ${JSON.stringify(tag)}: ${errorMessage(error)}`);
    }
  });
  return { source: image, id, configBytes, config, tags };
}

export async function loadArchive(images: ImageService, archive: ArchiveSource, onMessage: (text: string) => void): Promise<void> {
  const listed = await readArchiveImages(archive);
  if (listed.length === 0) throw invalid('invalid archive: no images in it');
  const checked: CheckedImage[] = [];
  for (const image of listed) checked.push(await check(archive, image));

  const depth = new Map<string, number>();
  for (const image of checked) chainIds(image.config.rootfs.diff_ids).forEach((chain, i) => depth.set(chain, i));
  const chainDepth = (chain: string) => depth.get(chain) ?? 0;
  const newLayers: string[] = [];
  const newBlobs: string[] = [];
  const records: Array<{ image: CheckedImage; layers: ImageLayerRecord[] }> = [];
  try {
    for (const image of checked) records.push({ image, layers: await applyLayers(images, archive, image, newLayers, newBlobs) });
  } catch (error) {
    // Children before parents: the snapshotter refuses to remove a layer something builds on.
    newLayers.sort((a, b) => chainDepth(b) - chainDepth(a));
    for (const chain of newLayers) await images.snapshotter.removeLayer(chain).catch(() => undefined);
    for (const digest of newBlobs) await images.content.delete(digest).catch(() => undefined);
    throw error instanceof Error && 'kind' in error ? error : invalid(`invalid archive: ${errorMessage(error)}`);
  }

  for (const { image, layers } of records) {
    await images.content.put(image.configBytes);
    const existing = images.store.get(image.id);
    await images.store.put(
      existing ?? { id: image.id, repoDigests: [], layers, size: layers.reduce((sum, l) => sum + l.size, 0), storedAt: new Date().toISOString() },
    );
    images.events.publish('image', 'load', image.id, { name: image.id });
    for (const tag of image.tags) {
      await images.tagRecord(images.store.get(image.id) ?? (existing as never), tag.toString());
      onMessage(`Loaded image: ${tag.familiarName()}\n`);
    }
    if (image.tags.length === 0) onMessage(`Loaded image ID: ${image.id}\n`);
  }
}

/** Applies (and keeps the blobs of) every layer of one image. Layers unpack side by side, but
 * their applies are started strictly in chain order: the snapshotter commits a layer only after
 * the apply of its parent, which it can wait for only once that apply has been started — a small
 * upper layer must never look for its parent before the parent's apply exists ("parent layer …
 * not found"). Every step that stored something records it in `newLayers`/`newBlobs` so a failure
 * anywhere can undo it all. */
async function applyLayers(images: ImageService, archive: ArchiveSource, image: CheckedImage, newLayers: string[], newBlobs: string[]): Promise<ImageLayerRecord[]> {
  const diffIds = image.config.rootfs.diff_ids;
  const chains = chainIds(diffIds);
  const tasks: Array<Promise<unknown>> = [];
  for (const [i, layer] of image.source.layers.entries()) {
    if (await images.snapshotter.hasLayer(chains[i])) continue;
    // Unpacked as it arrived: filed under its chain now, if it is what the config says.
    const staged = archive.takeStaged(layer.path);
    let applied: Promise<unknown>;
    if (staged && staged.diffId !== diffIds[i]) {
      await staged.discard();
      applied = Promise.reject(invalid(`layer diff ID mismatch: expected ${diffIds[i]} got ${staged.diffId}`));
    } else if (staged) {
      applied = staged.commit(chains[i], chains[i - 1]);
    } else {
      const source = archive.open(layer.path);
      // The apply may first wait for its parent's: an open error arriving before it reads must not
      // go unheard (an 'error' without a listener ends the engine); the stream keeps it to throw.
      source.on('error', () => undefined);
      applied = images.snapshotter.applyLayer({
        chainId: chains[i],
        parentChainId: chains[i - 1],
        expectedDiffId: diffIds[i],
        mediaType: layer.mediaType,
        source,
      });
    }
    tasks.push(applied.then(() => newLayers.push(chains[i])));
  }
  const keep = async (i: number) => {
    const layer = image.source.layers[i];
    // OCI blobs are checked against their descriptor and kept: `docker save` and push reuse them.
    if (layer.digest) {
      if (await images.content.has(layer.digest)) return;
      if (!(await archive.keep(layer.path, layer.digest))) await images.content.write({ digest: layer.digest }, archive.open(layer.path));
      newBlobs.push(layer.digest);
      return;
    }
    // A docker-save layer is the uncompressed tar: keep it under its diff ID for the next save.
    if (await images.content.has(diffIds[i])) return;
    if (await archive.keep(layer.path, diffIds[i])) {
      newBlobs.push(diffIds[i]);
      return;
    }
    const stored = await images.content.write({ digest: diffIds[i] }, archive.open(layer.path)).then(
      () => true,
      () => false, // a compressed layer.tar (other tools write them): save re-derives it then
    );
    if (stored) newBlobs.push(diffIds[i]);
  };
  tasks.push(...diffIds.map((_, i) => keep(i)));
  await settleAll(tasks);
  return settleAll(
    diffIds.map(async (diffId, i): Promise<ImageLayerRecord> => {
      const layer = image.source.layers[i];
      const compressed = layer.digest && layer.digest !== diffId;
      return {
        chainId: chains[i],
        diffId,
        ...(compressed ? { digest: layer.digest, mediaType: layer.mediaType } : {}),
        size: await images.snapshotter.layerSize(chains[i]),
      };
    }),
  );
}

/** Promise.all that waits for every task before failing, so the rollback sees all they stored. */
async function settleAll<T>(tasks: Array<Promise<T>>): Promise<T[]> {
  const results = await Promise.allSettled(tasks);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
  return results.map((r) => (r as PromiseFulfilledResult<T>).value);
}
