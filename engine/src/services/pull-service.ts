// `docker pull`: resolve the manifest, fetch the config, download layers in parallel into the
// ContentStore, apply them in order through the Snapshotter, then hand the image to the image
// store. Progress lines follow dockerd's (see pull-progress.ts). A failed or aborted pull records
// no image: the ContentStore drops partial blobs, and applied layers are complete and
// content-addressed, so they may stay for the next attempt.
import type { Readable } from 'node:stream';
import { EngineError, invalid } from '../core/errors.ts';
import type { ContentStore, Snapshotter } from '../core/interfaces.ts';
import { parseImageConfig } from '../core/image-formats/image-config.ts';
import { MediaTypes } from '../core/oci-types.ts';
import type { Descriptor, ImageConfig, Platform, ResolvedImage } from '../core/oci-types.ts';
import type { ParsedReference } from '../core/reference.ts';
import { chainIds } from '../core/chain-id.ts';
import { platformMatches, platformMismatchMessage } from '../core/platform-spec.ts';
import { Semaphore } from '../core/semaphore.ts';
import { PullProgress, shortId } from './pull-progress.ts';
import type { ProgressMessage } from './pull-progress.ts';

export type RegistryCredentials = { username?: string; password?: string; identityToken?: string; registryToken?: string };
type RegistryCallOptions = { credentials?: RegistryCredentials; signal?: AbortSignal };

/** What the pull needs from a registry client (platform/linux/registry RegistryClient fits). */
export interface ImageRegistry {
  resolve(ref: ParsedReference, options: RegistryCallOptions & { platform?: Platform }): Promise<ResolvedImage>;
  fetchBlob(ref: ParsedReference, descriptor: { digest: string }, options: RegistryCallOptions): Promise<Readable>;
}

/** Handed to the image store once every layer is applied. */
export interface PulledImageCommit {
  reference: ParsedReference;
  /** Digest of what the reference names (index or manifest): Docker's RepoDigest. */
  manifestDigest: string;
  manifestBytes: Buffer;
  manifestMediaType: string;
  /** The single-platform manifest actually pulled (equals manifestDigest for non-index images). */
  platformManifestDigest: string;
  configDigest: string;
  config: ImageConfig;
  layers: Array<{ digest: string; mediaType: string; size: number }>;
}

export interface PullServiceDeps {
  registry: ImageRegistry;
  content: ContentStore;
  snapshotter: Snapshotter;
  commitImage: (image: PulledImageCommit) => Promise<unknown>;
  /** Image ID the reference points at now, to tell "Downloaded newer image" from "up to date". */
  currentImage?: (reference: ParsedReference) => string | undefined | Promise<string | undefined>;
  /** Parallel layer downloads (dockerd --max-concurrent-downloads, default 3). */
  maxConcurrentDownloads?: number;
}

export interface PullOptions {
  platform?: Platform;
  credentials?: RegistryCredentials;
  signal?: AbortSignal;
  onProgress?: (message: ProgressMessage) => void;
}

export interface PullResult {
  /** Image ID (config digest). */
  id: string;
  manifestDigest: string;
  upToDate: boolean;
}

const CONFIG_TYPES = new Set<string>([MediaTypes.dockerConfig, MediaTypes.ociConfig]);
const LAYER_TYPE = /^application\/vnd\.(oci\.image\.layer\.v1\.tar|docker\.image\.rootfs\.(foreign\.)?diff\.tar)(\.gzip|\+gzip|\+zstd)?$/;

interface SharedDownload {
  done: Promise<void>;
  controller: AbortController;
  waiters: number;
  listeners: Set<(bytes: number) => void>;
}

const APPLY_CONCURRENCY = 2;

export class PullService {
  private readonly deps: PullServiceDeps;
  private readonly limit: number;
  /** Blob downloads in flight, shared by concurrent pulls (keyed by digest). */
  private readonly downloads = new Map<string, SharedDownload>();
  /** Layer applications in flight, shared likewise (keyed by chain ID). */
  private readonly applies = new Map<string, Promise<void>>();
  private active = 0;
  private readonly queue: Array<() => void> = [];

  constructor(deps: PullServiceDeps) {
    this.deps = deps;
    this.limit = Math.max(1, deps.maxConcurrentDownloads ?? 3);
  }

  async pull(ref: ParsedReference, options: PullOptions = {}): Promise<PullResult> {
    const { registry, content } = this.deps;
    const progress = new PullProgress(options.onProgress ?? (() => {}));
    // A tag+digest reference pulls by digest, as dockerd does.
    const call = { credentials: options.credentials, signal: options.signal };
    progress.status(`Pulling from ${ref.path}`, ref.digest ?? ref.tag ?? 'latest');

    const resolved = await registry.resolve(ref, { ...call, platform: options.platform });
    const manifest = resolved.manifest;
    if (!CONFIG_TYPES.has(manifest.config.mediaType)) {
      throw invalid(`unsupported image config media type ${manifest.config.mediaType}: ${ref.familiarName()} is not a container image`);
    }
    for (const layer of manifest.layers) {
      if (!LAYER_TYPE.test(layer.mediaType)) throw invalid(`unsupported layer media type ${layer.mediaType} in ${ref.familiarName()}`);
    }
    await this.download(ref, manifest.config, call, () => {});
    const configBytes = await content.read(manifest.config.digest);
    const config = parseImageConfig(configBytes, `image config ${manifest.config.digest} of ${ref.familiarName()}`);
    const diffIds = config.rootfs.diff_ids;
    if (diffIds.length !== manifest.layers.length) {
      throw invalid(`layers from manifest don't match image configuration: ${manifest.layers.length} layers, ${diffIds.length} diff_ids`);
    }
    const chains = chainIds(diffIds);
    const id = manifest.config.digest;
    const upToDate = (await this.deps.currentImage?.(ref)) === id;
    await this.fetchAndApply(ref, manifest.layers, diffIds, chains, call, progress, upToDate);

    // Keep the manifests too: they are small, and push/save/inspect want the exact bytes.
    await content.put(resolved.bytes);
    if (resolved.manifestDigest !== resolved.digest) await content.put(resolved.manifestBytes);
    options.signal?.throwIfAborted();
    await this.deps.commitImage({
      reference: ref,
      manifestDigest: resolved.digest,
      manifestBytes: resolved.bytes,
      manifestMediaType: resolved.mediaType,
      platformManifestDigest: resolved.manifestDigest,
      configDigest: id,
      config,
      layers: manifest.layers.map((l) => ({ digest: l.digest, mediaType: l.mediaType, size: l.size })),
    });
    const shown = ref.digest ? `${ref.familiarRepository()}@${ref.digest}` : ref.familiarName();
    progress.status(`Digest: ${resolved.digest}`);
    progress.status(upToDate ? `Status: Image is up to date for ${shown}` : `Status: Downloaded newer image for ${shown}`);
    // A single-platform image is kept even when it is not for the platform asked for (dockerd
    // does so for backward compatibility) but the client hears about it; `create` then refuses it.
    if (options.platform && !platformMatches(options.platform, config)) {
      progress.status(`WARNING: ${platformMismatchMessage(ref.familiarRepository(), options.platform, config)}`);
    }
    return { id, manifestDigest: resolved.digest, upToDate };
  }

  /** Downloads every missing layer (in parallel, bounded) while applying them strictly in order. */
  private async fetchAndApply(
    ref: ParsedReference,
    layers: Descriptor[],
    diffIds: string[],
    chains: string[],
    call: RegistryCallOptions,
    progress: PullProgress,
    upToDate: boolean,
  ): Promise<void> {
    const { snapshotter } = this.deps;
    const present = await Promise.all(chains.map((c) => snapshotter.hasLayer(c)));
    // dockerd prints no layer lines at all when the image is already here in full.
    if (upToDate && present.every(Boolean)) return;
    for (const [i, layer] of layers.entries()) progress.layer(shortId(layer.digest), present[i] ? 'Already exists' : 'Pulling fs layer');
    // One controller for this pull: the first failure stops the other downloads.
    const controller = new AbortController();
    const signal = call.signal ? AbortSignal.any([call.signal, controller.signal]) : controller.signal;
    // Layers beyond the download limit show "Waiting" at once, as dockerd's transfer manager
    // does, rather than depending on how fast the first downloads finish.
    let scheduled = 0;
    const downloads = layers.map((layer, i) =>
      present[i] ? Promise.resolve() : this.downloadLayer(ref, layer, { ...call, signal }, progress, scheduled++ >= this.limit),
    );
    // Failures surface through the apply loop; keep unobserved rejections from crashing Node.
    for (const d of downloads) d.catch(() => {});
    // Layers unpack two at a time (this is CPU work: gunzip and tar), admitted in chain order so
    // that a layer waiting for its parent's commit never holds the slot its parent needs.
    const slots = new Semaphore(APPLY_CONCURRENCY);
    const applies: Promise<void>[] = [];
    let applyError: unknown;
    try {
      for (const [i, layer] of layers.entries()) {
        if (present[i]) continue;
        await downloads[i];
        signal.throwIfAborted();
        await slots.acquire();
        const apply = this.applyLayer(layer, diffIds[i], chains[i], i === 0 ? undefined : chains[i - 1], progress)
          .then(() => progress.layer(shortId(layer.digest), 'Pull complete'))
          .finally(() => slots.release());
        apply.catch((error: unknown) => {
          applyError ??= error;
          controller.abort(error);
        });
        applies.push(apply);
      }
      await Promise.all(applies);
    } catch (error) {
      await Promise.allSettled(applies);
      controller.abort(error);
      await Promise.allSettled(downloads);
      throw applyError ?? error;
    }
  }

  private async downloadLayer(ref: ParsedReference, layer: Descriptor, call: RegistryCallOptions, progress: PullProgress, queued: boolean): Promise<void> {
    const id = shortId(layer.digest);
    if (queued) progress.layer(id, 'Waiting');
    if (await this.hasComplete(layer)) {
      progress.layer(id, 'Download complete');
      return;
    }
    // Slots are shared with concurrent pulls: a layer may also wait behind another pull's.
    await this.acquire(() => (queued ? undefined : progress.layer(id, 'Waiting')), call.signal);
    try {
      await this.download(ref, layer, call, (bytes) => progress.bytes(id, 'Downloading', bytes, layer.size));
    } finally {
      this.release();
    }
    progress.layer(id, 'Verifying Checksum');
    progress.layer(id, 'Download complete');
  }

  private async hasComplete(descriptor: Descriptor): Promise<boolean> {
    return (await this.deps.content.size(descriptor.digest)) === descriptor.size;
  }

  /** Fetches one blob into the ContentStore unless present; concurrent callers for the same
   * digest share one transfer, which is aborted only when every caller has given up. */
  private async download(ref: ParsedReference, descriptor: Descriptor, call: RegistryCallOptions, onBytes: (n: number) => void): Promise<void> {
    if (await this.hasComplete(descriptor)) return;
    let shared = this.downloads.get(descriptor.digest);
    if (!shared) {
      const controller = new AbortController();
      const listeners = new Set<(bytes: number) => void>();
      const done = (async () => {
        const stream = await this.deps.registry.fetchBlob(ref, descriptor, { credentials: call.credentials, signal: controller.signal });
        await this.deps.content.write({ digest: descriptor.digest, size: descriptor.size }, stream, (n) => {
          for (const l of listeners) l(n);
        });
      })();
      shared = { done, controller, waiters: 0, listeners };
      const entry = shared;
      this.downloads.set(descriptor.digest, entry);
      done.finally(() => this.downloads.delete(descriptor.digest)).catch(() => {});
    }
    const entry = shared;
    entry.waiters++;
    entry.listeners.add(onBytes);
    const signal = call.signal;
    let onAbort: (() => void) | undefined;
    const aborted = new Promise<never>((_, reject) => {
      // Rejects when this caller gives up, without waiting for the shared transfer.
      if (!signal) return;
      onAbort = () => reject(signal.reason ?? new EngineError('system', 'pull aborted'));
      if (signal.aborted) onAbort();
      else signal.addEventListener('abort', onAbort, { once: true });
    });
    aborted.catch(() => {});
    try {
      await Promise.race([entry.done, aborted]);
    } finally {
      entry.listeners.delete(onBytes);
      if (onAbort) signal?.removeEventListener('abort', onAbort);
      if (--entry.waiters === 0 && signal?.aborted) {
        // Nobody wants it any more: stop the transfer, and let a later caller start afresh.
        if (this.downloads.get(descriptor.digest) === entry) this.downloads.delete(descriptor.digest);
        entry.controller.abort(signal.reason);
      }
    }
  }

  private async applyLayer(layer: Descriptor, diffId: string, chainId: string, parent: string | undefined, progress: PullProgress): Promise<void> {
    const { snapshotter, content } = this.deps;
    let pending = this.applies.get(chainId);
    if (!pending) {
      pending = (async () => {
        if (await snapshotter.hasLayer(chainId)) return;
        const id = shortId(layer.digest);
        const result = await snapshotter.applyLayer({
          chainId,
          parentChainId: parent,
          expectedDiffId: diffId,
          mediaType: layer.mediaType,
          source: content.openRead(layer.digest),
          onBytes: (n) => progress.bytes(id, 'Extracting', n, layer.size),
        });
        if (result.diffId !== diffId) {
          throw invalid(`layer ${layer.digest}: uncompressed content has digest ${result.diffId}, image config expects diff ID ${diffId}`);
        }
      })();
      this.applies.set(chainId, pending);
      pending.finally(() => this.applies.delete(chainId)).catch(() => {});
    }
    await pending;
  }

  /** Counting semaphore over all pulls; `onWait` runs when the caller has to queue. */
  private async acquire(onWait: () => void, signal?: AbortSignal): Promise<void> {
    if (this.active < this.limit) {
      this.active++;
      return;
    }
    onWait();
    await new Promise<void>((resolve, reject) => {
      const grant = () => {
        signal?.removeEventListener('abort', cancel);
        this.active++;
        resolve();
      };
      const cancel = () => {
        const at = this.queue.indexOf(grant);
        if (at >= 0) this.queue.splice(at, 1);
        reject(signal?.reason);
      };
      this.queue.push(grant);
      signal?.addEventListener('abort', cancel, { once: true });
    });
  }

  private release(): void {
    this.active--;
    this.queue.shift()?.();
  }
}
