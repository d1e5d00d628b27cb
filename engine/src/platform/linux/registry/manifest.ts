// Manifest formats a pull understands, and how to tell them apart: by the response's
// Content-Type with parameters ignored (distribution spec "Pulling manifests"), falling back to
// the document's own mediaType / shape when a registry sends a generic type.
import { createHash } from 'node:crypto';
import { invalid } from '../../../core/errors.ts';
import { MediaTypes } from '../../../core/oci-types.ts';
import type { ImageIndex, ImageManifest } from '../../../core/oci-types.ts';

/** Sent as Accept on manifest GETs; lists first so registries return the multi-platform form. */
export const MANIFEST_ACCEPT = [
  MediaTypes.ociIndex,
  MediaTypes.dockerManifestList,
  MediaTypes.ociManifest,
  MediaTypes.dockerManifest,
].join(', ');

/** Largest manifest we read (containerd and distribution both cap manifests at 4 MiB). */
export const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;

const SCHEMA1_TYPES = new Set([
  'application/vnd.docker.distribution.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.v1+prettyjws',
]);

export type ParsedManifest =
  | { kind: 'index'; mediaType: string; index: ImageIndex }
  | { kind: 'manifest'; mediaType: string; manifest: ImageManifest };

export function bareMediaType(contentType: string | null | undefined): string {
  return (contentType ?? '').split(';')[0].trim().toLowerCase();
}

export function sha256Digest(bytes: Uint8Array): string {
  return 'sha256:' + createHash('sha256').update(bytes).digest('hex');
}

/** For by-digest pulls the registry is untrusted: the bytes must hash to what was asked for. */
export function verifyManifestDigest(expected: string, bytes: Uint8Array): void {
  if (!expected.startsWith('sha256:')) throw invalid(`unsupported digest algorithm: ${expected}`);
  const actual = sha256Digest(bytes);
  if (actual !== expected) {
    throw invalid(`manifest verification failed for digest ${expected}: content has digest ${actual}`);
  }
}

export function parseManifest(bytes: Uint8Array, contentType: string | null | undefined): ParsedManifest {
  let doc: Record<string, unknown>;
  try {
    doc = JSON.parse(Buffer.from(bytes).toString('utf8')) as Record<string, unknown>;
  } catch {
    throw invalid('registry returned a manifest that is not valid JSON');
  }
  if (typeof doc !== 'object' || doc === null) throw invalid('registry returned a manifest that is not a JSON object');
  let mediaType = bareMediaType(contentType);
  const declared = typeof doc.mediaType === 'string' ? doc.mediaType : undefined;
  const known = new Set<string>([MediaTypes.ociIndex, MediaTypes.dockerManifestList, MediaTypes.ociManifest, MediaTypes.dockerManifest]);
  if (SCHEMA1_TYPES.has(mediaType) || doc.schemaVersion === 1) {
    throw invalid('unsupported manifest format: Docker Image manifest version 2, schema 1 is not supported; push the image again with a current client');
  }
  if (!known.has(mediaType)) {
    // Generic Content-Type (application/json, octet-stream): trust the document.
    mediaType = declared && known.has(declared) ? declared : Array.isArray(doc.manifests) ? MediaTypes.ociIndex : MediaTypes.ociManifest;
  }
  if (mediaType === MediaTypes.ociIndex || mediaType === MediaTypes.dockerManifestList) {
    if (!Array.isArray(doc.manifests)) throw invalid(`invalid ${mediaType}: missing "manifests"`);
    return { kind: 'index', mediaType, index: doc as unknown as ImageIndex };
  }
  const manifest = doc as unknown as ImageManifest;
  if (!manifest.config || typeof manifest.config.digest !== 'string' || !Array.isArray(manifest.layers)) {
    throw invalid(`invalid ${mediaType}: missing "config" or "layers"`);
  }
  for (const d of [manifest.config, ...manifest.layers]) {
    if (typeof d.digest !== 'string' || !/^sha256:[a-f0-9]{64}$/.test(d.digest) || typeof d.size !== 'number' || d.size < 0) {
      throw invalid(`invalid ${mediaType}: bad descriptor ${JSON.stringify(d)}`);
    }
  }
  return { kind: 'manifest', mediaType, manifest };
}
