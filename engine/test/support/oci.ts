// Media types, blob shapes and digest helpers for the test fixtures. Deliberately independent of
// engine/src: the fixtures are the yardstick the engine is measured against, so they must not share
// its constants (a wrong constant there would otherwise go unnoticed here too).
import { createHash } from 'node:crypto';

export const MT = {
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  dockerManifestList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  dockerConfig: 'application/vnd.docker.container.image.v1+json',
  dockerLayerGzip: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  ociConfig: 'application/vnd.oci.image.config.v1+json',
  ociLayerGzip: 'application/vnd.oci.image.layer.v1.tar+gzip',
  ociLayerZstd: 'application/vnd.oci.image.layer.v1.tar+zstd',
  inToto: 'application/vnd.in-toto+json',
} as const;

/** Content-addressed bytes as a registry stores them. */
export interface Blob {
  mediaType: string;
  digest: string;
  size: number;
  data: Buffer;
}

/** A layer blob plus what the image config records about it (OCI image-spec config.md, rootfs). */
export interface LayerBlob extends Blob {
  /** sha256 of the uncompressed tar: the config's rootfs.diff_ids entry. */
  diffId: string;
  uncompressedSize: number;
}

export interface Platform {
  architecture: string;
  os: string;
  variant?: string;
}

/** A single-platform image: manifest (Docker schema2 or OCI) + config + layers. */
export interface BuiltImage {
  kind: 'image';
  manifest: Blob;
  config: Blob;
  layers: LayerBlob[];
  platform: Platform;
}

/** A manifest list / OCI index and the manifests it points at (which must be pushed first). */
export interface BuiltIndex {
  kind: 'index';
  manifest: Blob;
  children: BuiltImage[];
}

export type BuiltArtifact = BuiltImage | BuiltIndex;

export function sha256(data: Buffer | string): string {
  return 'sha256:' + createHash('sha256').update(data).digest('hex');
}

export function blobOf(mediaType: string, data: Buffer): Blob {
  return { mediaType, digest: sha256(data), size: data.length, data };
}

/**
 * Serialises JSON once and keeps those exact bytes: manifests and configs are addressed by the
 * digest of their bytes, so re-serialising later would break the references (distribution spec,
 * "Pulling manifests": digests are over the canonical bytes as served).
 */
export function jsonBlob(mediaType: string, value: unknown): Blob {
  return blobOf(mediaType, Buffer.from(JSON.stringify(value)));
}
