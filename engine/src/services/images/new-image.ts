// Stores an image made here (commit, import): the parent's layers plus at most one new layer
// whose uncompressed tar is already in the content store under its diff ID, a config derived
// from the parent's, and one history entry. The config's digest is the image ID.
import { chainIdOf } from '../../core/chain-id.ts';
import type { ImageLayerRecord } from '../../core/image-store.ts';
import { MediaTypes, type HistoryEntry, type ImageConfig, type ImageRunConfig } from '../../core/oci-types.ts';
import type { ImageService } from './image-service.ts';

export interface NewImageRequest {
  /** The parent's config (a scratch config for import) and layers. */
  base: ImageConfig;
  baseLayers: ImageLayerRecord[];
  runConfig: ImageRunConfig;
  history: HistoryEntry;
  author?: string;
  comment?: string;
  /** Diff ID of the new layer; its tar is stored in the content store under that digest. */
  layerDiffId?: string;
  /** The image this one was made from (a commit's container image), as dockerd records it. */
  parent?: string;
}

export async function storeNewImage(images: ImageService, request: NewImageRequest): Promise<string> {
  const created = request.history.created ?? new Date().toISOString();
  const layers = [...request.baseLayers];
  if (request.layerDiffId) {
    const diffId = request.layerDiffId;
    const parentChainId = layers.at(-1)?.chainId;
    const chainId = chainIdOf(parentChainId, diffId);
    const applied = await images.snapshotter.applyLayer({
      chainId,
      parentChainId,
      expectedDiffId: diffId,
      mediaType: MediaTypes.ociLayer,
      source: images.content.openRead(diffId),
    });
    layers.push({ chainId, diffId, size: applied.size });
  }
  const config: ImageConfig = {
    ...request.base,
    created,
    config: structuredClone(request.runConfig),
    rootfs: { type: 'layers', diff_ids: layers.map((l) => l.diffId) },
    history: [...(request.base.history ?? []), { ...request.history, created, ...(request.layerDiffId ? {} : { empty_layer: true }) }],
  };
  if (request.author !== undefined) config.author = request.author;
  else delete config.author;
  if (request.comment !== undefined) config.comment = request.comment;
  else delete config.comment;
  delete config.container_config;
  const id = await images.content.put(Buffer.from(JSON.stringify(config)));
  if (!images.store.get(id)) {
    await images.store.put({ id, repoDigests: [], layers, size: layers.reduce((sum, l) => sum + l.size, 0), storedAt: created, ...(request.parent ? { parent: request.parent } : {}) });
  }
  return id;
}
