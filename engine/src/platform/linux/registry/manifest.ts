// Manifest formats a pull understands, and how to tell them apart: by the response's
// Content-Type with parameters ignored (distribution spec "Pulling manifests"), falling back to
// the document's own mediaType / shape when a registry sends a generic type.
import { createHash } from 'node:crypto';
import { invalid } from '../../../core/errors.ts';
import { MediaTypes } from '../../../core/oci-types.ts';
import { parseManifestBytes, type ParsedManifest } from '../../../core/image-formats/manifest.ts';

/** Sent as Accept on manifest GETs; lists first so registries return the multi-platform form. */
export const MANIFEST_ACCEPT = [
  MediaTypes.ociIndex,
  MediaTypes.dockerManifestList,
  MediaTypes.ociManifest,
  MediaTypes.dockerManifest,
].join(', ');

/** Largest manifest we read (containerd and distribution both cap manifests at 4 MiB). */
export const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;

export type { ParsedManifest } from '../../../core/image-formats/manifest.ts';
export { bareMediaType } from '../../../core/image-formats/manifest.ts';

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

/** A registry's manifest reply → index or manifest (core/image-formats/manifest.ts does the
 * parsing, so a registry's document is held to the same rules as an archive's). */
export function parseManifest(bytes: Uint8Array, contentType: string | null | undefined): ParsedManifest {
  return parseManifestBytes(bytes, contentType, 'manifest from the registry');
}
