// `docker save` (API "Image": GET /images/get?names=…, GET /images/{name}/get): the archive
// dockerd 25+ writes, an OCI image layout (oci-layout, index.json, blobs/sha256/…) that also
// carries the legacy manifest.json and repositories files. docker CLI 28 → dockerd loads it
// through the OCI side; dockerd 20 (and podman) read manifest.json, whose Config and Layers are
// plain archive paths, so both find what they need. Layers are the uncompressed tars whose
// sha256 is the config's diff ID: kept in the content store when known, otherwise recovered by
// decompressing the pulled blob (and kept, so the next save is a straight copy).
import { Readable } from 'node:stream';
import { pack as tarPack, type Pack } from 'tar-stream';
import { invalid, notFound } from '../../core/errors.ts';
import type { ImageLayerRecord } from '../../core/image-store.ts';
import { MediaTypes } from '../../core/oci-types.ts';
import { parseReference } from '../../core/reference.ts';
import { openDecompressed } from '../../platform/linux/layer-decompress.ts';
import { blobPath, sha256 } from './archive-manifest.ts';
import { familiar, parseImageRef, type ImageService } from './image-service.ts';

interface SavedImage {
  id: string;
  configBytes: Buffer;
  layers: ImageLayerRecord[];
  /** Normalised references to write (`docker.io/library/busybox:latest`). */
  refs: string[];
}

/** The uncompressed layer tar in the content store, decompressing a pulled blob if needed. */
async function ensureUncompressed(images: ImageService, layer: ImageLayerRecord): Promise<number> {
  const size = await images.content.size(layer.diffId);
  if (size !== undefined) return size;
  if (!layer.digest || !(await images.content.has(layer.digest))) {
    throw notFound(`layer ${layer.diffId} has no stored data to save (its blob is gone)`);
  }
  const { stream } = await openDecompressed(images.content.openRead(layer.digest), layer.mediaType ?? '');
  await images.content.write({ digest: layer.diffId }, stream);
  return (await images.content.size(layer.diffId)) as number;
}

/** Which images and tags `names` select: a tag saves that tag, an ID saves every tag of it. */
async function select(images: ImageService, names: string[]): Promise<SavedImage[]> {
  if (names.length === 0) throw invalid('no image names given');
  const byId = new Map<string, SavedImage>();
  for (const name of names) {
    const { record } = await images.resolve(name);
    let saved = byId.get(record.id);
    if (!saved) {
      saved = { id: record.id, configBytes: await images.content.read(record.id), layers: record.layers, refs: [] };
      byId.set(record.id, saved);
    }
    const parsed = parseImageRef(name);
    // By ID (or digest) the image is saved untagged, as dockerd 25+ does.
    const refs = parsed && !parsed.digest && images.store.tagTarget(parsed.toString()) === record.id ? [parsed.toString()] : [];
    for (const ref of refs) if (!saved.refs.includes(ref)) saved.refs.push(ref);
  }
  return [...byId.values()];
}

function addEntry(pack: Pack, name: string, data: Buffer): Promise<void> {
  return new Promise((resolve, reject) => pack.entry({ name, mode: 0o644, mtime: new Date(0) }, data, (e) => (e ? reject(e) : resolve())));
}

function addStream(pack: Pack, name: string, size: number, source: Readable): Promise<void> {
  return new Promise((resolve, reject) => {
    const sink = pack.entry({ name, size, mode: 0o644, mtime: new Date(0) }, (e) => (e ? reject(e) : resolve()));
    source.on('error', (e) => {
      sink.destroy(e);
      reject(e);
    });
    source.pipe(sink);
  });
}

/** Writes the archive to a tar stream; the caller pipes the returned stream to the client. */
export function saveImages(images: ImageService, names: string[]): { ready: Promise<void>; stream: Readable } {
  const pack = tarPack();
  const ready = (async () => {
    const selected = await select(images, names);
    for (const image of selected) for (const layer of image.layers) await ensureUncompressed(images, layer);
    return selected;
  })();
  void ready.then(
    (selected) => writeAll(images, pack, selected).catch((error: unknown) => pack.destroy(error as Error)),
    () => pack.destroy(),
  );
  return { ready: ready.then(() => undefined), stream: pack as unknown as Readable };
}

async function writeAll(images: ImageService, pack: Pack, selected: SavedImage[]): Promise<void> {
  const written = new Set<string>();
  const index: object[] = [];
  const manifestJson: object[] = [];
  const repositories: Record<string, Record<string, string>> = {};
  for (const dir of ['blobs/', 'blobs/sha256/']) {
    await new Promise<void>((resolve, reject) => pack.entry({ name: dir, type: 'directory', mode: 0o755, mtime: new Date(0) }, (e) => (e ? reject(e) : resolve())));
  }
  for (const image of selected) {
    const layerDescriptors = [];
    for (const layer of image.layers) {
      const size = (await images.content.size(layer.diffId)) as number;
      if (!written.has(layer.diffId)) {
        written.add(layer.diffId);
        await addStream(pack, blobPath(layer.diffId), size, images.content.openRead(layer.diffId));
      }
      layerDescriptors.push({ mediaType: MediaTypes.ociLayer, digest: layer.diffId, size });
    }
    if (!written.has(image.id)) {
      written.add(image.id);
      await addEntry(pack, blobPath(image.id), image.configBytes);
    }
    const manifest = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: MediaTypes.ociManifest,
        config: { mediaType: MediaTypes.ociConfig, digest: image.id, size: image.configBytes.length },
        layers: layerDescriptors,
      }),
    );
    const manifestDigest = sha256(manifest);
    if (!written.has(manifestDigest)) {
      written.add(manifestDigest);
      await addEntry(pack, blobPath(manifestDigest), manifest);
    }
    const descriptor = { mediaType: MediaTypes.ociManifest, digest: manifestDigest, size: manifest.length };
    if (image.refs.length === 0) index.push(descriptor);
    for (const ref of image.refs) {
      const parsed = parseReference(ref);
      index.push({ ...descriptor, annotations: { 'io.containerd.image.name': ref, 'org.opencontainers.image.ref.name': parsed.tag ?? 'latest' } });
      const repo = parsed.familiarRepository();
      repositories[repo] = { ...(repositories[repo] ?? {}), [parsed.tag ?? 'latest']: image.id.slice(7) };
    }
    manifestJson.push({
      Config: blobPath(image.id),
      RepoTags: image.refs.length ? image.refs.map(familiar) : null,
      Layers: image.layers.map((l) => blobPath(l.diffId)),
    });
  }
  await addEntry(pack, 'index.json', Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: MediaTypes.ociIndex, manifests: index })));
  await addEntry(pack, 'manifest.json', Buffer.from(JSON.stringify(manifestJson)));
  await addEntry(pack, 'oci-layout', Buffer.from(JSON.stringify({ imageLayoutVersion: '1.0.0' })));
  if (Object.keys(repositories).length > 0) await addEntry(pack, 'repositories', Buffer.from(JSON.stringify(repositories)));
  pack.finalize();
}
