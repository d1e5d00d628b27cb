// What `docker load` finds in an archive, read from either form (API "Image": POST /images/load):
//   docker-save: manifest.json = [{Config, RepoTags, Layers}] with archive-relative paths (legacy
//     `<id>/layer.tar`, or `blobs/sha256/<hex>` as dockerd 25+ writes it);
//   OCI image layout (image-spec image-layout.md): index.json → manifests → config + layers, every
//     blob at blobs/<alg>/<hex> and checked against its descriptor's digest.
// manifest.json wins when both are present, as in dockerd.
import { createHash } from 'node:crypto';
import { invalid } from '../../core/errors.ts';
import { toDockerSaveManifest } from '../../core/image-formats/docker-save.ts';
import { parseManifestBytes, toImageIndex } from '../../core/image-formats/manifest.ts';
import type { Descriptor, ImageIndex } from '../../core/oci-types.ts';
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

export const sha256 = (data: Buffer): string => `sha256:${createHash('sha256').update(data).digest('hex')}`;

export function blobPath(digest: string): string {
  const match = /^sha256:([a-f0-9]{64})$/.exec(digest);
  if (!match) throw invalid(`invalid archive: unsupported digest ${JSON.stringify(digest)}`);
  return `blobs/sha256/${match[1]}`;
}

export async function readArchiveImages(archive: ArchiveSource): Promise<ArchiveImage[]> {
  if (await archive.has('manifest.json')) return dockerManifest(await archive.readJson('manifest.json'));
  if (await archive.has('index.json')) return ociIndex(archive, toImageIndex(await archive.readJson('index.json'), 'archive: index.json'));
  throw invalid('invalid archive: neither manifest.json nor index.json found (not a docker save or OCI layout archive)');
}

function dockerManifest(doc: unknown): ArchiveImage[] {
  // The magic bytes decide compression (layer-decompress.ts), so no media type is needed.
  return toDockerSaveManifest(doc).map((item) => ({ configPath: item.config, layers: item.layers.map((path) => ({ path, mediaType: '' })), repoTags: item.repoTags }));
}

async function readVerified(archive: ArchiveSource, descriptor: Descriptor, what: string): Promise<Buffer> {
  const path = blobPath(descriptor.digest);
  if (!(await archive.has(path))) throw invalid(`invalid archive: ${what} blob ${descriptor.digest} is missing`);
  const bytes = await archive.read(path);
  if (sha256(bytes) !== descriptor.digest) throw invalid(`invalid archive: digest mismatch for ${what} ${descriptor.digest}`);
  return bytes;
}

async function ociIndex(archive: ArchiveSource, index: ImageIndex, depth = 0): Promise<ArchiveImage[]> {
  const images: ArchiveImage[] = [];
  for (const descriptor of index.manifests) {
    const bytes = await readVerified(archive, descriptor, 'manifest');
    const annotations = descriptor.annotations ?? {};
    const name = annotations['io.containerd.image.name'] ?? annotations['org.opencontainers.image.ref.name'];
    const parsed = parseManifestBytes(bytes, descriptor.mediaType, `archive: manifest ${descriptor.digest}`);
    if (parsed.kind === 'index') {
      // A nested index (multi-platform): take what it lists, tagged with the outer name.
      if (depth > 2) throw invalid('invalid archive: index nesting too deep');
      const nested = await ociIndex(archive, parsed.index, depth + 1);
      const first = nested[0];
      if (first) images.push({ ...first, repoTags: name && name.includes(':') ? [name] : first.repoTags });
      continue;
    }
    const { config, layers } = parsed.manifest;
    // `org.opencontainers.image.ref.name` may be a bare tag ("latest"): dockerd then has no
    // repository to put it under and loads the image untagged, as here.
    const repoTags = name && /[:@/]/.test(name) ? [name] : [];
    images.push({
      configPath: blobPath(config.digest),
      configDigest: config.digest,
      layers: layers.map((layer) => ({ path: blobPath(layer.digest), digest: layer.digest, mediaType: layer.mediaType })),
      repoTags,
    });
  }
  return images;
}
