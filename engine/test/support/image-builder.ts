// Assembles image configs, manifests and indexes from layer blobs, in either Docker schema2 or OCI
// form, the way `docker build`/buildx would publish them. Layers come from tar-layer.ts +
// fixture-cache.ts; the fixture images themselves are defined in test-images.ts.
import { DEFAULT_PATH } from './rootfs.ts';
import { MT, blobOf, jsonBlob, sha256, type BuiltImage, type BuiltIndex, type LayerBlob, type Platform } from './oci.ts';

export type ManifestFormat = 'docker' | 'oci';

/** The `config` object of an image config (Docker field names, adopted by OCI config.md). */
export interface RunConfig {
  User?: string;
  Env?: string[];
  Cmd?: string[];
  Entrypoint?: string[];
  WorkingDir?: string;
  Labels?: Record<string, string>;
  ExposedPorts?: Record<string, Record<string, never>>;
  Volumes?: Record<string, Record<string, never>>;
  StopSignal?: string;
}

export interface HistoryEntry {
  created_by: string;
  empty_layer?: boolean;
  comment?: string;
}

export interface ImageSpec {
  format: ManifestFormat;
  layers: LayerBlob[];
  platform?: Platform;
  /** Merged over the defaults Env [PATH=…] and Cmd ["sh"]. */
  config?: RunConfig;
  /** Defaults to one entry per layer; when given, its non-empty entries must match the layers. */
  history?: HistoryEntry[];
  annotations?: Record<string, string>;
}

const CREATED = '2024-01-01T00:00:00Z';
export const AMD64: Platform = { architecture: 'amd64', os: 'linux' };

export function buildImage(spec: ImageSpec): BuiltImage {
  const platform = spec.platform ?? AMD64;
  const history: HistoryEntry[] = spec.history ?? spec.layers.map((_, i) => ({ created_by: `berth-test: layer ${i + 1}` }));
  const nonEmpty = history.filter((h) => !h.empty_layer).length;
  if (nonEmpty !== spec.layers.length) {
    // The image spec ties non-empty history entries to layers one to one; engines rely on it
    // for `docker history`, so a fixture that breaks it would test nothing real.
    throw new Error(`history has ${nonEmpty} non-empty entries for ${spec.layers.length} layers`);
  }
  const config = jsonBlob(spec.format === 'docker' ? MT.dockerConfig : MT.ociConfig, {
    architecture: platform.architecture,
    os: platform.os,
    ...(platform.variant ? { variant: platform.variant } : {}),
    created: CREATED,
    config: { Env: [`PATH=${DEFAULT_PATH}`], Cmd: ['sh'], ...spec.config },
    rootfs: { type: 'layers', diff_ids: spec.layers.map((l) => l.diffId) },
    history: history.map((h) => ({ created: CREATED, ...h })),
  });
  for (const l of spec.layers) {
    if (spec.format === 'docker' && l.mediaType !== MT.dockerLayerGzip) {
      throw new Error(`Docker schema2 manifests carry gzip layers only, got ${l.mediaType}`);
    }
  }
  const manifest = jsonBlob(spec.format === 'docker' ? MT.dockerManifest : MT.ociManifest, {
    schemaVersion: 2,
    mediaType: spec.format === 'docker' ? MT.dockerManifest : MT.ociManifest,
    config: descriptor(config),
    layers: spec.layers.map(descriptor),
    ...(spec.annotations ? { annotations: spec.annotations } : {}),
  });
  return { kind: 'image', manifest, config, layers: spec.layers, platform };
}

function descriptor(b: { mediaType: string; digest: string; size: number }) {
  return { mediaType: b.mediaType, digest: b.digest, size: b.size };
}

export interface IndexEntry {
  image: BuiltImage;
  /** Defaults to the image's own platform. */
  platform?: Platform;
  annotations?: Record<string, string>;
}

/** A Docker manifest list or an OCI index over already-built images. */
export function buildIndex(format: ManifestFormat, entries: IndexEntry[]): BuiltIndex {
  const mediaType = format === 'docker' ? MT.dockerManifestList : MT.ociIndex;
  const manifest = jsonBlob(mediaType, {
    schemaVersion: 2,
    mediaType,
    manifests: entries.map((e) => ({
      ...descriptor(e.image.manifest),
      platform: e.platform ?? e.image.platform,
      ...(e.annotations ? { annotations: e.annotations } : {}),
    })),
  });
  return { kind: 'index', manifest, children: entries.map((e) => e.image) };
}

/**
 * A buildx-style provenance attestation for `subject`: an OCI manifest with an in-toto layer,
 * listed in the index as platform unknown/unknown. Engines must skip it when choosing a platform
 * (buildx attestation-storage docs: "vnd.docker.reference.type": "attestation-manifest").
 */
export function buildAttestation(subject: BuiltImage): IndexEntry {
  const statement = Buffer.from(
    JSON.stringify({
      _type: 'https://in-toto.io/Statement/v0.1',
      predicateType: 'https://slsa.dev/provenance/v0.2',
      subject: [{ name: 'berth-test', digest: { sha256: subject.manifest.digest.slice(7) } }],
      predicate: { builder: { id: 'berth-test' } },
    }),
  );
  const layer: LayerBlob = { ...blobOf(MT.inToto, statement), diffId: sha256(statement), uncompressedSize: statement.length };
  const unknown: Platform = { architecture: 'unknown', os: 'unknown' };
  const image = buildImage({
    format: 'oci',
    layers: [layer],
    platform: unknown,
    config: {},
  });
  return {
    image,
    platform: unknown,
    annotations: {
      'vnd.docker.reference.digest': subject.manifest.digest,
      'vnd.docker.reference.type': 'attestation-manifest',
    },
  };
}
