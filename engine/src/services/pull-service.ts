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
import { PullProgress, shortId } from './pull-progress.ts';
import { tee } from '../core/stream-tee.ts';
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

interface LayerTarget {
  layer: Descriptor;
  diffId: string;
  chainId: string;
  parent: string | undefined;
}

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

  /** Downloads every missing layer (in parallel, bounded) and unpacks each while it downloads:
   * the network bytes are hashed into the content store and fed to the snapshotter in one pass
   * (stream-tee.ts), so unpacking overlaps the transfer instead of following it. Applies start
   * in chain order (the snapshotter commits a layer only after its parent's apply, which it can
   * wait for only once that apply exists); unpacking itself runs side by side. */
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
    let previousStarted: Promise<void> = Promise.resolve();
    const tasks: Promise<void>[] = [];
    for (const [i, layer] of layers.entries()) {
      if (present[i]) continue;
      const queued = scheduled++ >= this.limit;
      if (queued) progress.layer(shortId(layer.digest), 'Waiting');
      let started!: () => void;
      const startedHere = new Promise<void>((resolve) => (started = resolve));
      const target: LayerTarget = { layer, diffId: diffIds[i], chainId: chains[i], parent: i === 0 ? undefined : chains[i - 1] };
      const fail = (error: unknown) => controller.abort(error);
      const task = this.fetchLayer(ref, target, { ...call, signal }, progress, queued, previousStarted, started, fail);
      // A layer that failed before starting its apply must not hold back the ones after it.
      task.catch((error: unknown) => {
        started();
        controller.abort(error);
      });
      tasks.push(task);
      previousStarted = startedHere;
    }
    const results = await Promise.allSettled(tasks);
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    // The first failure is the cause (the client going away, or the first layer to fail); the
    // others are mostly its abort echoing back.
    call.signal?.throwIfAborted();
    if (failed) throw controller.signal.aborted && controller.signal.reason !== undefined ? controller.signal.reason : failed.reason;
  }

  /** One missing layer: streamed from the registry into store and snapshotter, or — when its blob
   * is already stored or another pull is fetching it — applied from the content store. */
  private async fetchLayer(
    ref: ParsedReference,
    target: LayerTarget,
    call: RegistryCallOptions,
    progress: PullProgress,
    queued: boolean,
    previousStarted: Promise<void>,
    started: () => void,
    fail: (error: unknown) => void,
  ): Promise<void> {
    const { layer } = target;
    const id = shortId(layer.digest);
    await previousStarted;
    call.signal?.throwIfAborted();
    if ((await this.hasComplete(layer)) || this.downloads.has(layer.digest) || this.applies.has(target.chainId)) {
      if (await this.hasComplete(layer)) progress.layer(id, 'Download complete');
      else await this.downloadLayer(ref, layer, call, progress, queued);
      call.signal?.throwIfAborted();
      const apply = this.applyLayer(layer, target.diffId, target.chainId, target.parent, progress, () => this.deps.content.openRead(layer.digest));
      started();
      await apply;
      progress.layer(id, 'Pull complete');
      return;
    }
    // Slots are shared with concurrent pulls: a layer may also wait behind another pull's.
    await this.acquire(() => (queued ? undefined : progress.layer(id, 'Waiting')), call.signal);
    let released = false;
    const release = () => {
      if (!released) this.release();
      released = true;
    };
    try {
      // The extract progress of a streamed layer is shown once its download is complete, as
      // dockerd's lines run: Downloading, Verifying Checksum, Download complete, Extracting.
      let downloaded = false;
      let extracted = 0;
      const onExtract = (n: number) => {
        extracted = n;
        if (downloaded) progress.bytes(id, 'Extracting', n, layer.size);
      };
      let toApply!: (branch: Readable) => void;
      const branched = new Promise<Readable>((resolve) => (toApply = resolve));
      const transfer = this.download(ref, layer, call, (bytes) => progress.bytes(id, 'Downloading', bytes, layer.size), (stream) => {
        const split = tee(stream, 2);
        toApply(split.branches[1]);
        return split.branches[0];
      });
      transfer.catch(() => undefined);
      // No branch when the blob turned up complete meanwhile: the apply reads the stored blob.
      const source = await Promise.race([branched, transfer.then(() => undefined)]);
      let used = false;
      const open = () => ((used = true), source ?? this.deps.content.openRead(layer.digest));
      const apply = this.applyLayer(layer, target.diffId, target.chainId, target.parent, progress, open, onExtract);
      // Another pull applies this layer already: the tee leaves a closed branch out.
      if (!used) source?.destroy();
      started();
      // A failed unpack stops the download (and the other layers') at once.
      apply.catch(fail);
      const settled = await Promise.allSettled([
        transfer.then(() => {
          release();
          downloaded = true;
          progress.layer(id, 'Verifying Checksum');
          progress.layer(id, 'Download complete');
          if (extracted > 0) progress.bytes(id, 'Extracting', extracted, layer.size);
        }),
        apply,
      ]);
      for (const result of settled) if (result.status === 'rejected') throw result.reason;
      progress.layer(id, 'Pull complete');
    } finally {
      release();
    }
  }

  private async downloadLayer(ref: ParsedReference, layer: Descriptor, call: RegistryCallOptions, progress: PullProgress, queued: boolean): Promise<void> {
    const id = shortId(layer.digest);
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
  private async download(
    ref: ParsedReference,
    descriptor: Descriptor,
    call: RegistryCallOptions,
    onBytes: (n: number) => void,
    split?: (stream: Readable) => Readable,
  ): Promise<void> {
    if (await this.hasComplete(descriptor)) return;
    let shared = this.downloads.get(descriptor.digest);
    if (!shared) {
      const controller = new AbortController();
      const listeners = new Set<(bytes: number) => void>();
      const done = (async () => {
        const fetched = await this.deps.registry.fetchBlob(ref, descriptor, { credentials: call.credentials, signal: controller.signal });
        const stream = split ? split(fetched) : fetched;
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
        // The partial blob is gone once the transfer has settled: a failed pull leaves no ingest.
        await entry.done.catch(() => undefined);
      }
    }
  }

  private async applyLayer(
    layer: Descriptor,
    diffId: string,
    chainId: string,
    parent: string | undefined,
    progress: PullProgress,
    /** Called only when this call starts the apply (not when it joins one in flight). */
    open: () => Readable,
    onExtract: (n: number) => void = (n) => progress.bytes(shortId(layer.digest), 'Extracting', n, layer.size),
  ): Promise<void> {
    const { snapshotter } = this.deps;
    let pending = this.applies.get(chainId);
    if (!pending) {
      // Started synchronously: the snapshotter must know of this apply before a child's commit
      // looks for it.
      const source = open();
      pending = snapshotter.applyLayer({ chainId, parentChainId: parent, expectedDiffId: diffId, mediaType: layer.mediaType, source, onBytes: onExtract }).then((result) => {
        if (result.diffId !== diffId) {
          throw invalid(`layer ${layer.digest}: uncompressed content has digest ${result.diffId}, image config expects diff ID ${diffId}`);
        }
      });
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
