// Image manifests and indexes (OCI image-spec manifest.md, image-index.md, descriptor.md; Docker's
// schema2 manifest and manifest list), parsed into our types wherever they come from: a registry,
// the content store, or an OCI layout inside an archive. Optional fields (annotations, urls,
// platform, an index's manifests) take absent, null and empty alike; a descriptor without a
// usable digest or size is refused with the document named, before anything is fetched.
import * as v from 'valibot';
import { invalid } from '../errors.ts';
import { MediaTypes, type Descriptor, type ImageIndex, type ImageManifest, type Platform } from '../oci-types.ts';
import { compact, goInt, goObject, goStringMap, goStrings, goText, maybe, parseDocument, parseJsonText } from './go-json.ts';

export const SHA256_DIGEST = /^sha256:[a-f0-9]{64}$/;

const platform = goObject({
  architecture: goText,
  os: goText,
  variant: goText,
  'os.version': goText,
  'os.features': goStrings,
});

const descriptor = goObject({
  mediaType: goText,
  digest: v.pipe(v.string('expected a digest'), v.regex(SHA256_DIGEST, 'expected a sha256 digest')),
  size: v.pipe(v.number('expected a size'), v.integer(), v.minValue(0)),
  platform: maybe(platform),
  annotations: goStringMap,
  urls: goStrings,
  artifactType: goText,
});

const manifest = goObject({
  schemaVersion: goInt,
  mediaType: goText,
  config: v.nullish(descriptor),
  layers: maybe(v.array(descriptor)),
  annotations: goStringMap,
});

const index = goObject({
  schemaVersion: goInt,
  mediaType: goText,
  manifests: maybe(v.array(descriptor)),
  annotations: goStringMap,
});

type ParsedDescriptor = NonNullable<v.InferOutput<typeof descriptor>>;

function toPlatform(p: NonNullable<v.InferOutput<typeof platform>>): Platform {
  return compact({ architecture: p.architecture ?? '', os: p.os ?? '', variant: p.variant, 'os.version': p['os.version'] });
}

function toDescriptor(d: ParsedDescriptor): Descriptor {
  return compact({
    mediaType: d.mediaType ?? '',
    digest: d.digest,
    size: d.size,
    platform: d.platform ? toPlatform(d.platform) : undefined,
    annotations: d.annotations,
    urls: d.urls,
  });
}

/** A decoded single-platform manifest → ImageManifest (config and layers required). */
export function toImageManifest(value: unknown, what = 'image manifest'): ImageManifest {
  const doc = parseDocument(manifest, value, what);
  if (!doc.config) throw invalid(`invalid ${what}: config: missing`);
  return compact({
    schemaVersion: 2 as const,
    mediaType: doc.mediaType,
    config: toDescriptor(doc.config),
    // A manifest of an image with no layers (FROM scratch + metadata only) may say null.
    layers: (doc.layers ?? []).map(toDescriptor),
    annotations: doc.annotations,
  });
}

/** A decoded index / manifest list → ImageIndex. */
export function toImageIndex(value: unknown, what = 'image index'): ImageIndex {
  const doc = parseDocument(index, value, what);
  return compact({ schemaVersion: 2 as const, mediaType: doc.mediaType, manifests: (doc.manifests ?? []).map(toDescriptor) });
}

const SCHEMA1_TYPES = new Set([
  'application/vnd.docker.distribution.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.v1+prettyjws',
]);

const KNOWN = new Set<string>([MediaTypes.ociIndex, MediaTypes.dockerManifestList, MediaTypes.ociManifest, MediaTypes.dockerManifest]);

export const isIndexType = (mediaType: string) => mediaType === MediaTypes.ociIndex || mediaType === MediaTypes.dockerManifestList;

export type ParsedManifest =
  | { kind: 'index'; mediaType: string; index: ImageIndex }
  | { kind: 'manifest'; mediaType: string; manifest: ImageManifest };

export function bareMediaType(contentType: string | null | undefined): string {
  return (contentType ?? '').split(';')[0].trim().toLowerCase();
}

/** Manifest bytes and the media type they came with (a registry's Content-Type, a descriptor's
 * mediaType; parameters ignored) → an index or a manifest. A generic or missing type
 * (application/json, octet-stream) defers to the document's own mediaType, then its shape. */
export function parseManifestBytes(bytes: Uint8Array, contentType: string | null | undefined, what = 'manifest'): ParsedManifest {
  const doc = parseJsonText(bytes, what);
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) throw invalid(`invalid ${what}: not a JSON object`);
  const fields = doc as Record<string, unknown>;
  let mediaType = bareMediaType(contentType);
  if (SCHEMA1_TYPES.has(mediaType) || fields.schemaVersion === 1) {
    throw invalid('unsupported manifest format: Docker Image manifest version 2, schema 1 is not supported; push the image again with a current client');
  }
  if (!KNOWN.has(mediaType)) {
    const declared = typeof fields.mediaType === 'string' ? fields.mediaType : undefined;
    mediaType = declared && KNOWN.has(declared) ? declared : Array.isArray(fields.manifests) ? MediaTypes.ociIndex : MediaTypes.ociManifest;
  }
  if (isIndexType(mediaType)) return { kind: 'index', mediaType, index: toImageIndex(doc, `${mediaType} ${what}`) };
  return { kind: 'manifest', mediaType, manifest: toImageManifest(doc, `${mediaType} ${what}`) };
}
