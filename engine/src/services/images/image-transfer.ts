// Images in and out of the engine (Step 3): save, load, import, commit. One object the API calls,
// assembled in main.ts with the host pieces it needs (archive extraction, snapshot → tar).
import { randomBytes } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import type { ArchiveSource, LayerSinks } from '../../platform/linux/image-archive/archive-extract.ts';
import type { ContainerContext } from '../containers/context.ts';
import { commitContainer, type CommitRequest, type SnapshotLayer } from './commit-image.ts';
import type { ImageService } from './image-service.ts';
import { importImage, type ImportRequest, type OpenUrl } from './import-image.ts';
import { loadArchive } from './load-image.ts';
import { saveImages } from './save-image.ts';
import { pushImage, type PushRequest } from './push-image.ts';
import type { Credentials } from '../../platform/linux/registry/auth.ts';
import type { RegistryPusher } from '../../platform/linux/registry/registry-push.ts';

export interface ImageTransferDeps {
  images: ImageService;
  containers: ContainerContext;
  /** Private scratch space under the data root (archives and imports can be large). */
  tmpDir: string;
  extractArchive(body: Readable, dir: string, sinks?: LayerSinks): Promise<ArchiveSource>;
  snapshotLayer: SnapshotLayer;
  pusher: RegistryPusher;
  /** Bytes [start, end) of a stored blob (chunked uploads). */
  openRange(digest: string, start: number, end: number): Readable;
  /** Downloads for `docker import <url>`. */
  openUrl?: OpenUrl;
}

export class ImageTransferService {
  readonly #deps: ImageTransferDeps;

  constructor(deps: ImageTransferDeps) {
    this.#deps = deps;
  }

  /** `ready` settles once every name resolved and every layer is at hand (errors → plain HTTP
   * error); `stream` then carries the tar. */
  save(names: string[]): { ready: Promise<void>; stream: Readable } {
    return saveImages(this.#deps.images, names);
  }

  load(body: Readable, onMessage: (text: string) => void): Promise<void> {
    return this.#deps.images.holdContent(() => this.#load(body, onMessage));
  }

  async #load(body: Readable, onMessage: (text: string) => void): Promise<void> {
    await mkdir(this.#deps.tmpDir, { recursive: true, mode: 0o700 });
    const dir = join(this.#deps.tmpDir, `load-${randomBytes(8).toString('hex')}`);
    await mkdir(dir, { mode: 0o700 });
    const { content, snapshotter } = this.#deps.images;
    // Layers are hashed into the ingest area and unpacked as the archive streams in, unless an
    // image here already has the layer unpacked (a `docker load` of what `docker save` wrote).
    const sinks: LayerSinks = {
      ingest: (source) => content.ingest(source),
      stage: (source) => snapshotter.stageLayer({ source, mediaType: '' }),
      unpacked: (digest) => hasUnpackedLayer(this.#deps.images, digest),
    };
    try {
      const archive = await this.#deps.extractArchive(body, dir, sinks);
      try {
        await loadArchive(this.#deps.images, archive, onMessage);
      } finally {
        await archive.dispose();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  import(request: ImportRequest): Promise<string> {
    return this.#deps.images.holdContent(() => importImage(this.#deps.images, request, this.#deps.openUrl));
  }

  push(request: PushRequest): Promise<void> {
    return this.#deps.images.holdContent(() => pushImage({ ...this.#deps, tmpDir: this.#deps.tmpDir }, request));
  }

  /** `docker login`: checks the credentials against the registry's /v2/. */
  login(serverAddress: string, creds: Credentials): Promise<void> {
    // The CLI sends `https://index.docker.io/v1/` for Docker Hub and a bare host otherwise.
    const host = /index\.docker\.io|^docker\.io$|registry-1\.docker\.io/.test(serverAddress) || serverAddress === '' ? 'registry-1.docker.io' : serverAddress.replace(/^https?:\/\//, '').replace(/\/.*$/, '');
    return this.#deps.pusher.login(host, creds);
  }

  commit(request: CommitRequest): Promise<string> {
    return this.#deps.images.holdContent(() => commitContainer(this.#deps.containers, this.#deps.snapshotLayer, request));
  }
}

/** Whether an image here has a layer whose blob (compressed, or the uncompressed tar `docker
 * save` writes) has this digest, and that layer is unpacked. */
async function hasUnpackedLayer(images: ImageService, digest: string): Promise<boolean> {
  for (const image of images.store.list()) {
    for (const layer of image.layers) {
      if ((layer.diffId === digest || layer.digest === digest) && (await images.snapshotter.hasLayer(layer.chainId))) return true;
    }
  }
  return false;
}
