// One build step's result as the classic builder records it: a new image whose config is the
// stage's run config, with a history entry (`empty_layer` for metadata-only steps) and, for
// RUN/COPY/ADD, one more layer. Every step's image is a real image (untagged), so the next
// step can run a container on it and the cache can point at it.
import { Readable } from 'node:stream';
import { chainIdOf } from '../../core/chain-id.ts';
import type { ImageLayerRecord } from '../../core/image-store.ts';
import { MediaTypes, type ImageConfig, type ImageRunConfig } from '../../core/oci-types.ts';
import type { ImageService } from '../images/image-service.ts';
import { BuildCache } from './build-cache.ts';
import type { BuildPlatform } from './build-platform.ts';

export interface StepImage {
  /** Image ID; '' for `FROM scratch` before any step. */
  id: string;
  config: ImageConfig;
  layers: ImageLayerRecord[];
}

export interface StepDeps {
  images: ImageService;
  platform: BuildPlatform;
  cache: BuildCache;
  noCache: boolean;
  stream(text: string): void;
}

const GO_ARCH: Record<string, string> = { x64: 'amd64', arm64: 'arm64', arm: 'arm', ia32: '386', ppc64: 'ppc64le', s390x: 's390x' };

export function scratchImage(platform?: { os: string; architecture: string; variant?: string }): StepImage {
  return {
    id: '',
    config: {
      architecture: platform?.architecture ?? GO_ARCH[process.arch] ?? process.arch,
      os: platform?.os ?? 'linux',
      ...(platform?.variant ? { variant: platform.variant } : {}),
      config: { Env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'] },
      rootfs: { type: 'layers', diff_ids: [] },
      history: [],
    },
    layers: [],
  };
}

export const shortId = (id: string): string => id.replace(/^sha256:/, '').slice(0, 12);

/** Looks the step up in the cache; on a miss runs `work` (for a layer) and commits. */
export async function commitStep(
  deps: StepDeps,
  parent: StepImage,
  runConfig: ImageRunConfig,
  step: {
    createdBy: string;
    checksum?: string;
    work?: () => Promise<{ tar: Buffer; diffId: string }>;
    /** Wraps the commit of a cache miss (a metadata step's `#(nop)` container). */
    around?: (commit: () => Promise<StepImage>) => Promise<StepImage>;
  },
): Promise<StepImage> {
  const key = BuildCache.key(parent.id, step.createdBy, step.checksum);
  if (!deps.noCache) {
    const hit = await cachedImage(deps, key);
    if (hit) {
      deps.stream(' ---> Using cache\n');
      return hit;
    }
  }
  const commit = async () => {
    const layer = step.work ? await step.work() : undefined;
    const image = await commitImage(deps, parent, runConfig, step.createdBy, layer);
    await deps.cache.set(key, image.id);
    return image;
  };
  return step.around ? step.around(commit) : commit();
}

async function cachedImage(deps: StepDeps, key: string): Promise<StepImage | undefined> {
  const id = deps.cache.get(key);
  const record = id ? deps.images.store.get(id) : undefined;
  if (!record) return undefined;
  // Layers can go with `docker rmi` of another image: a cache entry without them is a miss.
  const top = record.layers.at(-1);
  if (top && !(await deps.images.snapshotter.hasLayer(top.chainId))) return undefined;
  return { id: record.id, config: await deps.images.config(record.id), layers: record.layers };
}

export async function commitImage(
  deps: Pick<StepDeps, 'images'>,
  parent: StepImage,
  runConfig: ImageRunConfig,
  createdBy: string,
  layer?: { tar: Buffer; diffId: string },
): Promise<StepImage> {
  const { images } = deps;
  const created = new Date().toISOString();
  const layers = [...parent.layers];
  if (layer) {
    // The layer tar is uncompressed, so its blob digest is its diff ID: stored (hashed once, as
    // write() verifies it) while the snapshotter unpacks the same bytes.
    const digest = layer.diffId;
    const parentChainId = layers.at(-1)?.chainId;
    const chainId = chainIdOf(parentChainId, layer.diffId);
    const stored = (async () => {
      if (!(await images.content.has(digest))) await images.content.write({ digest, size: layer.tar.length }, Readable.from([layer.tar]));
    })();
    const applying = images.snapshotter.applyLayer({
      chainId,
      parentChainId,
      expectedDiffId: layer.diffId,
      mediaType: MediaTypes.ociLayer,
      source: Readable.from([layer.tar]),
    });
    const [kept, applied] = await Promise.allSettled([stored, applying]);
    if (kept.status === 'rejected') throw kept.reason;
    if (applied.status === 'rejected') throw applied.reason;
    layers.push({ chainId, diffId: layer.diffId, digest, mediaType: MediaTypes.ociLayer, size: applied.value.size });
  }
  const config: ImageConfig = {
    ...parent.config,
    created,
    config: structuredClone(runConfig),
    rootfs: { type: 'layers', diff_ids: layers.map((l) => l.diffId) },
    history: [...(parent.config.history ?? []), { created, created_by: createdBy, ...(layer ? {} : { empty_layer: true }) }],
  };
  delete config.container_config;
  const id = await images.content.put(Buffer.from(JSON.stringify(config)));
  if (!images.store.get(id)) {
    await images.store.put({ id, repoDigests: [], layers, size: layers.reduce((sum, l) => sum + l.size, 0), storedAt: created, ...(parent.id ? { parent: parent.id } : {}) });
  }
  return { id, config, layers };
}
