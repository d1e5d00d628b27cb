// What `docker load` finds in an archive, read from either form (API "Image": POST /images/load):
//   docker-save: manifest.json = [{Config, RepoTags, Layers}] with archive-relative paths (legacy
//     `<id>/layer.tar`, or `blobs/sha256/<hex>` as dockerd 25+ writes it);
//   OCI image layout (image-spec image-layout.md): index.json → manifests → config + layers, every
//     blob at blobs/<alg>/<hex> and checked against its descriptor's digest.
// manifest.json wins when both are present, as in dockerd.
import { createHash } from 'node:crypto';
import { invalid } from '../../core/errors.ts';
import type { Descriptor } from '../../core/oci-types.ts';
import type { ArchiveSource } from '../../platform/linux/image-archive/archive-extract.ts';

export interface ArchiveLayer {
  path: string;
  /** Blob digest from an OCI descriptor (verified on read); absent for docker-save layers. */
  digest?: string;
  mediaType: string;
}

export interface ArchiveImage {
  configPath: string;
  configDigest?: string;
  layers: ArchiveLayer[];
  /** References to tag, as written in the archive. */
  repoTags: string[];
}

const isObject = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);
const isStringArray = (value: unknown): value is string[] => Array.isArray(value) && value.every((v) => typeof v === 'string');

export const sha256 = (data: Buffer): string => `sha256:${createHash('sha256').update(data).digest('hex')}`;

export function blobPath(digest: string): string {
  const match = /^sha256:([a-f0-9]{64})$/.exec(digest);
  if (!match) throw invalid(`invalid archive: unsupported digest ${JSON.stringify(digest)}`);
  return `blobs/sha256/${match[1]}`;
}

export async function readArchiveImages(archive: ArchiveSource): Promise<ArchiveImage[]> {
  if (await archive.has('manifest.json')) return dockerManifest(await archive.readJson('manifest.json'));
  if (await archive.has('index.json')) return ociIndex(archive, await archive.readJson('index.json'));
  throw invalid('invalid archive: neither manifest.json nor index.json found (not a docker save or OCI layout archive)');
}

function dockerManifest(doc: unknown): ArchiveImage[] {
  if (!Array.isArray(doc)) throw invalid('invalid archive: manifest.json is not a list');
  return doc.map((item, i) => {
    if (!isObject(item) || typeof item.Config !== 'string' || !isStringArray(item.Layers)) {
      throw invalid(`invalid archive: manifest.json entry ${i} needs Config and Layers`);
    }
    const repoTags = item.RepoTags === null || item.RepoTags === undefined ? [] : item.RepoTags;
    if (!isStringArray(repoTags)) throw invalid(`invalid archive: manifest.json entry ${i} has bad RepoTags`);
    // The magic bytes decide compression (layer-decompress.ts), so no media type is needed.
    return { configPath: item.Config, layers: item.Layers.map((path) => ({ path, mediaType: '' })), repoTags };
  });
}

async function readVerified(archive: ArchiveSource, descriptor: unknown, what: string): Promise<{ bytes: Buffer; descriptor: Descriptor }> {
  if (!isObject(descriptor) || typeof descriptor.digest !== 'string' || typeof descriptor.mediaType !== 'string') {
    throw invalid(`invalid archive: bad ${what} descriptor`);
  }
  const path = blobPath(descriptor.digest);
  if (!(await archive.has(path))) throw invalid(`invalid archive: ${what} blob ${descriptor.digest} is missing`);
  const bytes = await archive.read(path);
  if (sha256(bytes) !== descriptor.digest) throw invalid(`invalid archive: digest mismatch for ${what} ${descriptor.digest}`);
  return { bytes, descriptor: descriptor as unknown as Descriptor };
}

function parseJson(bytes: Buffer, what: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(bytes.toString('utf8'));
    if (isObject(value)) return value;
  } catch {
    // reported below
  }
  throw invalid(`invalid archive: ${what} is not a JSON object`);
}

async function ociIndex(archive: ArchiveSource, doc: unknown, depth = 0): Promise<ArchiveImage[]> {
  if (!isObject(doc) || !Array.isArray(doc.manifests)) throw invalid('invalid archive: index.json has no manifests');
  const images: ArchiveImage[] = [];
  for (const entry of doc.manifests) {
    const { bytes, descriptor } = await readVerified(archive, entry, 'manifest');
    const annotations = descriptor.annotations ?? {};
    const name = annotations['io.containerd.image.name'] ?? annotations['org.opencontainers.image.ref.name'];
    const manifest = parseJson(bytes, `manifest ${descriptor.digest}`);
    if (Array.isArray(manifest.manifests)) {
      // A nested index (multi-platform): take what it lists, tagged with the outer name.
      if (depth > 2) throw invalid('invalid archive: index nesting too deep');
      const nested = await ociIndex(archive, manifest, depth + 1);
      const first = nested[0];
      if (first) images.push({ ...first, repoTags: name && name.includes(':') ? [name] : first.repoTags });
      continue;
    }
    if (!isObject(manifest.config) || !Array.isArray(manifest.layers)) throw invalid(`invalid archive: manifest ${descriptor.digest} needs config and layers`);
    const config = manifest.config;
    if (typeof config.digest !== 'string') throw invalid('invalid archive: bad config descriptor');
    const layers = manifest.layers.map((layer: unknown) => {
      if (!isObject(layer) || typeof layer.digest !== 'string' || typeof layer.mediaType !== 'string') throw invalid('invalid archive: bad layer descriptor');
      return { path: blobPath(layer.digest), digest: layer.digest, mediaType: layer.mediaType };
    });
    // `org.opencontainers.image.ref.name` may be a bare tag ("latest"): dockerd then has no
    // repository to put it under and loads the image untagged, as here.
    const repoTags = name && /[:@/]/.test(name) ? [name] : [];
    images.push({ configPath: blobPath(config.digest), configDigest: config.digest, layers, repoTags });
  }
  return images;
}
