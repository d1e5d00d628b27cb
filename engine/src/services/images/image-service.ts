// Local images: lookup by name or ID, configs, recording pulled images, tags, history.
import type { ContainerRecord } from '../../core/container-types.ts';
import { invalid, notFound } from '../../core/errors.ts';
import type { ImageRecord, ImageStore } from '../../core/image-store.ts';
import type { ContentStore, EventBus, Snapshotter } from '../../core/interfaces.ts';
import { parseImageConfig } from '../../core/image-formats/image-config.ts';
import type { ImageConfig } from '../../core/oci-types.ts';
import { chainIds } from '../../core/chain-id.ts';
import { parseReference, withTag, type ParsedReference } from '../../core/reference.ts';

export interface ResolvedImage {
  record: ImageRecord;
  config: ImageConfig;
}

export interface PulledImage {
  reference: ParsedReference;
  manifestDigest: string;
  configDigest: string;
  config: ImageConfig;
  /** Compressed layer descriptors in manifest order, if known. */
  layers?: Array<{ digest: string; mediaType: string }>;
}

/** `busybox` → parsed reference, or undefined when `ref` is an ID or ID prefix. */
export function parseImageRef(ref: string): ParsedReference | undefined {
  if (/^(sha256:)?[0-9a-f]{64}$/.test(ref) || ref.startsWith('sha256:')) return undefined;
  try {
    return parseReference(ref);
  } catch (error) {
    if (/^[0-9a-f]{1,63}$/.test(ref)) return undefined;
    throw error;
  }
}

export const familiar = (normalised: string): string => {
  try {
    const parsed = parseReference(normalised, { defaultTag: false });
    return parsed.digest ? `${parsed.familiarRepository()}@${parsed.digest}` : parsed.familiarName();
  } catch {
    return normalised;
  }
};

export class ImageService {
  readonly store: ImageStore;
  readonly content: ContentStore;
  readonly snapshotter: Snapshotter;
  readonly events: EventBus;
  /** Set by the wiring: which containers use an image (removal must know). */
  containersUsing: (imageId: string) => ContainerRecord[] = () => [];
  /** Set by the wiring: every container (their snapshots sit on layers prune must keep). */
  containers: () => ContainerRecord[] = () => [];
  readonly #configs = new Map<string, ImageConfig>();
  /** Operations storing blobs and layers not yet referenced by an image record. */
  #contentWriters = 0;

  constructor(deps: { store: ImageStore; content: ContentStore; snapshotter: Snapshotter; events: EventBus }) {
    this.store = deps.store;
    this.content = deps.content;
    this.snapshotter = deps.snapshotter;
    this.events = deps.events;
  }

  /** Runs an operation that stores content before it records the image (pull, load, import,
   * commit, push, build): while any runs, prune leaves unreferenced content alone (orphans.ts). */
  async holdContent<T>(task: () => Promise<T>): Promise<T> {
    this.#contentWriters++;
    try {
      return await task();
    } finally {
      this.#contentWriters--;
    }
  }

  get contentBusy(): boolean {
    return this.#contentWriters > 0;
  }

  find(ref: string): ImageRecord | undefined {
    const parsed = parseImageRef(ref);
    return this.store.find(ref, parsed?.toString());
  }

  /** The image `ref` names; 404 with Docker's wording ("No such image: busybox:latest"). */
  async resolve(ref: string): Promise<ResolvedImage> {
    const record = this.find(ref);
    if (!record) {
      const parsed = parseImageRef(ref);
      throw notFound(`No such image: ${parsed ? (parsed.digest ? `${parsed.familiarRepository()}@${parsed.digest}` : parsed.familiarName()) : ref}`);
    }
    return { record, config: await this.config(record.id) };
  }

  async config(id: string): Promise<ImageConfig> {
    let config = this.#configs.get(id);
    if (!config) {
      config = parseImageConfig(await this.content.read(id), `config of image ${id}`);
      this.#configs.set(id, config);
    }
    return config;
  }

  /** Records an image whose layers are all applied; tags it with the pulled reference. */
  async recordPulled(pulled: PulledImage): Promise<ImageRecord> {
    const id = pulled.configDigest;
    const diffIds = pulled.config.rootfs.diff_ids;
    const chains = chainIds(diffIds);
    const existing = this.store.get(id);
    const layers = await Promise.all(
      diffIds.map(async (diffId, i) => ({
        chainId: chains[i],
        diffId,
        digest: pulled.layers?.[i]?.digest,
        mediaType: pulled.layers?.[i]?.mediaType,
        size: await this.snapshotter.layerSize(chains[i]),
      })),
    );
    const repoDigest = `${pulled.reference.repository()}@${pulled.manifestDigest}`;
    const record: ImageRecord = existing ?? { id, repoDigests: [], layers, size: 0, storedAt: new Date().toISOString() };
    record.layers = layers;
    record.size = layers.reduce((sum, layer) => sum + layer.size, 0);
    if (!record.repoDigests.includes(repoDigest)) record.repoDigests.push(repoDigest);
    await this.store.put(record);
    this.#configs.set(id, pulled.config);
    if (!pulled.reference.digest) await this.tagRecord(record, pulled.reference.toString());
    this.events.publish('image', 'pull', pulled.reference.familiarName(), { name: pulled.reference.familiarName() });
    return record;
  }

  async tagRecord(record: ImageRecord, normalised: string): Promise<void> {
    await this.store.tag(normalised, record.id);
  }

  /** `docker tag SOURCE REPO[:TAG]` (API: POST /images/{name}/tag?repo=&tag=). */
  async tag(source: string, repo: string, tag: string | undefined): Promise<void> {
    if (!repo) throw invalid('repository name must have at least one component');
    const { record } = await this.resolve(source);
    let target = parseReference(repo, { defaultTag: !tag });
    if (target.digest) throw invalid('refusing to create a tag with a digest reference');
    if (tag) target = withTag(target, tag);
    await this.tagRecord(record, target.toString());
    this.events.publish('image', 'tag', record.id, { name: target.familiarName() });
  }

  familiarTags(id: string): string[] {
    return this.store.tagsOf(id).map(familiar);
  }

  familiarDigests(record: ImageRecord): string[] {
    return [...record.repoDigests].sort().map(familiar);
  }

  /** `docker history`: newest first, with "<missing>" IDs for layers below the top as dockerd
   * reports for pulled images. */
  async history(ref: string): Promise<Array<{ Id: string; Created: number; CreatedBy: string; Tags: string[] | null; Size: number; Comment: string }>> {
    const { record, config } = await this.resolve(ref);
    const entries = config.history ?? [];
    let layerIndex = 0;
    const rows = entries.map((entry) => {
      const size = entry.empty_layer ? 0 : (record.layers[layerIndex++]?.size ?? 0);
      return {
        Id: '<missing>',
        Created: entry.created ? Math.floor(Date.parse(entry.created) / 1000) : 0,
        CreatedBy: entry.created_by ?? '',
        Tags: null as string[] | null,
        Size: size,
        Comment: entry.comment ?? '',
      };
    });
    rows.reverse();
    if (rows.length > 0) {
      rows[0].Id = record.id;
      rows[0].Tags = this.familiarTags(record.id);
    }
    return rows;
  }
}
