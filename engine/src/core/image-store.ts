// Image metadata: one record per image ID (the config digest) and the tag index. Configs live in
// the ContentStore; this store keeps only what listing and removal need, in memory and on disk.
import { readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { readJsonRecords, writeJsonAtomic } from './atomic-file.ts';
import { notFound } from './errors.ts';

export interface ImageLayerRecord {
  chainId: string;
  diffId: string;
  /** Compressed blob digest and media type, when the layer came from a registry. */
  digest?: string;
  mediaType?: string;
  size: number;
}

export interface ImageRecord {
  id: string;
  repoDigests: string[];
  layers: ImageLayerRecord[];
  /** Sum of the unpacked layer sizes (Docker's `Size`). */
  size: number;
  /** When the image was first stored here (RFC 3339), for `LastTagTime` and prune `until`. */
  storedAt: string;
  lastTagTime?: string;
  /** The image a build step was committed on (classic builder): untagged parents of other
   * images are build intermediates, hidden from `docker images` without -a as dockerd hides them. */
  parent?: string;
}

export class ImageStore {
  readonly #dir: string;
  #images = new Map<string, ImageRecord>();
  /** Normalised reference (`docker.io/library/busybox:latest`) → image ID. */
  #tags = new Map<string, string>();

  constructor(dir: string) {
    this.#dir = dir;
  }

  async load(): Promise<void> {
    for (const record of await readJsonRecords<ImageRecord>(join(this.#dir, 'images'))) this.#images.set(record.id, record);
    try {
      const tags = JSON.parse(await readFile(join(this.#dir, 'repositories.json'), 'utf8')) as Record<string, string>;
      for (const [ref, id] of Object.entries(tags)) if (this.#images.has(id)) this.#tags.set(ref, id);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }

  list(): ImageRecord[] {
    return [...this.#images.values()];
  }

  get(id: string): ImageRecord | undefined {
    return this.#images.get(id);
  }

  /** Finds an image by full ID, `sha256:` prefix, bare hex prefix (Docker allows any unique
   * prefix), or normalised tag/digest reference. */
  find(ref: string, normalisedRef?: string): ImageRecord | undefined {
    if (normalisedRef) {
      const tagged = this.#tags.get(normalisedRef);
      if (tagged) return this.#images.get(tagged);
      if (normalisedRef.includes('@')) {
        for (const image of this.#images.values()) if (image.repoDigests.includes(normalisedRef)) return image;
      }
    }
    const hex = ref.replace(/^sha256:/, '');
    if (/^[0-9a-f]{1,64}$/.test(hex) && (ref.startsWith('sha256:') || hex.length >= 6 || !normalisedRef)) {
      const matches = [...this.#images.keys()].filter((id) => id.slice(7).startsWith(hex));
      if (matches.length === 1) return this.#images.get(matches[0]);
    }
    return undefined;
  }

  /** In dockerd's order (reference/store.go References): sorted by the normalised reference. */
  tagsOf(id: string): string[] {
    return [...this.#tags].filter(([, target]) => target === id).map(([ref]) => ref).sort();
  }

  tagTarget(ref: string): string | undefined {
    return this.#tags.get(ref);
  }

  async put(record: ImageRecord): Promise<void> {
    await writeJsonAtomic(join(this.#dir, 'images', `${record.id.slice(7)}.json`), record);
    this.#images.set(record.id, record);
  }

  /** Points `ref` at `id`; returns the image the tag used to point at, if another. */
  async tag(ref: string, id: string): Promise<string | undefined> {
    const image = this.#images.get(id);
    if (!image) throw notFound(`No such image: ${id}`);
    const previous = this.#tags.get(ref);
    this.#tags.set(ref, id);
    image.lastTagTime = new Date().toISOString();
    await this.#saveTags();
    return previous !== id ? previous : undefined;
  }

  async untag(ref: string): Promise<void> {
    if (this.#tags.delete(ref)) await this.#saveTags();
  }

  async delete(id: string): Promise<void> {
    for (const [ref, target] of this.#tags) if (target === id) this.#tags.delete(ref);
    await this.#saveTags();
    this.#images.delete(id);
    await unlink(join(this.#dir, 'images', `${id.slice(7)}.json`)).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error;
    });
  }

  async #saveTags(): Promise<void> {
    await writeJsonAtomic(join(this.#dir, 'repositories.json'), Object.fromEntries(this.#tags));
  }
}
