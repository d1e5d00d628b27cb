// The fixture images every integration test can pull from the local registry (built and pushed
// once in engine/test/global-setup.ts). What each one exercises:
//   busybox     Docker schema2 + one gzip layer: the everyday image.
//   multilayer  4 layers with overwrite, symlink, hardlink, ownership, whiteout and opaque dir.
//   multiarch   Docker manifest list: linux/amd64, linux/arm64/v8, and an unknown/unknown
//               attestation that platform selection must skip.
//   ocizstd     OCI manifest + OCI config with a zstd layer.
//   ociindex    OCI index pointing at the ocizstd manifest.
import { layerBlob } from './fixture-cache.ts';
import { AMD64, buildAttestation, buildImage, buildIndex, type HistoryEntry } from './image-builder.ts';
import { MT, type BuiltArtifact, type BuiltImage, type LayerBlob, type Platform } from './oci.ts';
import { pushArtifact } from './registry-push.ts';
import { APP_USER, DEFAULT_PATH, busyboxRootfs, loadBusybox } from './rootfs.ts';
import { buildTar, type Compression, type LayerEntry } from './tar-layer.ts';

export const TEST_IMAGE_NAMES = ['busybox', 'multilayer', 'multiarch', 'ocizstd', 'ociindex'] as const;
export type TestImageName = (typeof TEST_IMAGE_NAMES)[number];

/** What a test needs to pull an image and check what it got. JSON-serialisable (vitest provide). */
export interface TestImageInfo {
  /** Full reference, e.g. "127.0.0.1:40123/busybox:latest". */
  ref: string;
  repository: string;
  tag: string;
  /** Digest of the manifest (or list/index) the tag points at: `ref@digest` pins it. */
  digest: string;
  mediaType: string;
  /** Image ID as docker reports it (the config digest); for lists, that of the linux/amd64 entry. */
  configDigest: string;
  /** Lists/indexes only: every entry, in order, including the attestation. */
  manifests?: Array<{ digest: string; mediaType: string; platform: Platform; configDigest: string }>;
}

/** The file tree `multilayer` must show after all four layers are applied. */
export const MULTILAYER_EXPECT = {
  files: {
    '/app/hello.txt': 'hello from layer 3\n',
    '/app/keep/keep.txt': 'kept\n',
    '/app/opaque/new.txt': 'new in layer 4\n',
    '/app/l3/original.txt': 'linked\n',
    '/app/l3/hardlink.txt': 'linked\n',
    '/app/owned-by-app.txt': 'app owns this\n',
  } as Record<string, string>,
  symlinks: { '/app/link-to-hello': 'hello.txt' } as Record<string, string>,
  /** Deleted by `.wh.remove-me.txt` and hidden by the opaque marker on /app/opaque. */
  absent: ['/app/remove-me.txt', '/app/opaque/old-1.txt', '/app/opaque/sub'],
  executable: '/app/script.sh',
  owned: { path: '/app/owned-by-app.txt', uid: APP_USER.uid, gid: APP_USER.gid, mode: 0o640 },
  workingDir: '/app',
  entrypoint: ['/bin/sh', '-c'],
  cmd: ['cat /app/hello.txt'],
  env: ['GREETING=hello'],
  labels: { 'org.opencontainers.image.title': 'berth multilayer fixture', 'org.berth.test.layers': '4' } as Record<string, string>,
  exposedPorts: ['8080/tcp', '5353/udp'],
} as const;

/** Marker files that tell which image/platform a container was really created from. */
export const MARKERS = {
  arm64: { path: '/etc/berth-arch', content: 'arm64\n' },
  zstd: { path: '/etc/berth-zstd', content: 'zstd layer\n' },
} as const;

export type BuiltTestImages = Record<TestImageName, BuiltArtifact>;

async function layer(entries: LayerEntry[], compression: Compression, mediaType: string, cacheDir: string): Promise<LayerBlob> {
  return layerBlob(await buildTar(entries), { compression, mediaType, cacheDir });
}

function multilayerLayers(): LayerEntry[][] {
  const add: LayerEntry[] = [
    { type: 'file', path: 'app/hello.txt', content: 'hello from layer 2\n' },
    { type: 'file', path: 'app/remove-me.txt', content: 'deleted by a whiteout in layer 4\n' },
    { type: 'file', path: 'app/opaque/old-1.txt', content: 'hidden by the opaque dir in layer 4\n' },
    { type: 'file', path: 'app/opaque/sub/old-2.txt', content: 'hidden too\n' },
    { type: 'file', path: 'app/keep/keep.txt', content: 'kept\n' },
    { type: 'file', path: 'app/script.sh', content: '#!/bin/sh\necho script-ran\n', mode: 0o755 },
  ];
  const modify: LayerEntry[] = [
    { type: 'file', path: 'app/hello.txt', content: 'hello from layer 3\n' },
    { type: 'symlink', path: 'app/link-to-hello', target: 'hello.txt' },
    // Hardlinks may only point inside their own layer, so the target comes in the same tar.
    { type: 'file', path: 'app/l3/original.txt', content: 'linked\n' },
    { type: 'hardlink', path: 'app/l3/hardlink.txt', target: 'app/l3/original.txt' },
    { type: 'file', path: 'app/owned-by-app.txt', content: 'app owns this\n', mode: 0o640, uid: APP_USER.uid, gid: APP_USER.gid },
  ];
  // OCI image-spec layer.md "Whiteouts": .wh.<name> deletes <name> from lower layers, and
  // .wh..wh..opq makes its directory opaque (lower contents hidden, this layer's kept).
  const whiteout: LayerEntry[] = [
    { type: 'dir', path: 'app' },
    { type: 'file', path: 'app/.wh.remove-me.txt', content: '' },
    { type: 'dir', path: 'app/opaque' },
    { type: 'file', path: 'app/opaque/.wh..wh..opq', content: '' },
    { type: 'file', path: 'app/opaque/new.txt', content: 'new in layer 4\n' },
  ];
  return [add, modify, whiteout];
}

const MULTILAYER_HISTORY: HistoryEntry[] = [
  { created_by: 'berth-test: busybox rootfs' },
  { created_by: 'ENV GREETING=hello', empty_layer: true },
  { created_by: 'COPY app/ /app/' },
  { created_by: 'RUN modify /app' },
  { created_by: 'RUN rm /app/remove-me.txt && rm -rf /app/opaque/* && touch /app/opaque/new.txt' },
  { created_by: 'LABEL org.berth.test.layers=4', empty_layer: true },
  { created_by: 'EXPOSE 8080/tcp 5353/udp', empty_layer: true },
  { created_by: 'WORKDIR /app', empty_layer: true },
  { created_by: 'ENTRYPOINT ["/bin/sh", "-c"]', empty_layer: true },
];

export async function buildTestImages(): Promise<BuiltTestImages> {
  const bb = loadBusybox();
  const cache = `busybox-${bb.sha256.slice(0, 16)}`;
  const base = await layer(busyboxRootfs(bb), 'gzip', MT.dockerLayerGzip, cache);

  const busybox = buildImage({ format: 'docker', layers: [base] });

  const upper = await Promise.all(multilayerLayers().map((l) => layer(l, 'gzip', MT.dockerLayerGzip, cache)));
  const multilayer = buildImage({
    format: 'docker',
    layers: [base, ...upper],
    history: MULTILAYER_HISTORY,
    config: {
      Env: [`PATH=${DEFAULT_PATH}`, ...MULTILAYER_EXPECT.env],
      Entrypoint: [...MULTILAYER_EXPECT.entrypoint],
      Cmd: [...MULTILAYER_EXPECT.cmd],
      WorkingDir: MULTILAYER_EXPECT.workingDir,
      Labels: { ...MULTILAYER_EXPECT.labels },
      ExposedPorts: Object.fromEntries(MULTILAYER_EXPECT.exposedPorts.map((p) => [p, {}])),
    },
  });

  const amd64 = buildImage({ format: 'docker', layers: [base], config: { Labels: { arch: 'amd64' } } });
  const armLayer = await layer(
    [{ type: 'file', path: MARKERS.arm64.path, content: MARKERS.arm64.content }],
    'gzip',
    MT.dockerLayerGzip,
    cache,
  );
  const arm64Platform: Platform = { architecture: 'arm64', os: 'linux', variant: 'v8' };
  const arm64 = buildImage({ format: 'docker', layers: [armLayer], platform: arm64Platform, config: { Labels: { arch: 'arm64' } } });
  const multiarch = buildIndex('docker', [{ image: amd64 }, { image: arm64 }, buildAttestation(amd64)]);

  const zstdLayer = await layer(
    [...busyboxRootfs(bb), { type: 'file', path: MARKERS.zstd.path, content: MARKERS.zstd.content }],
    'zstd',
    MT.ociLayerZstd,
    cache,
  );
  const ocizstd = buildImage({ format: 'oci', layers: [zstdLayer], config: { Labels: { compression: 'zstd' } } });
  const ociindex = buildIndex('oci', [{ image: ocizstd, platform: AMD64 }]);

  return { busybox, multilayer, multiarch, ocizstd, ociindex };
}

function amd64Child(a: BuiltArtifact): BuiltImage {
  if (a.kind === 'image') return a;
  const child = a.children.find((c) => c.platform.os === 'linux' && c.platform.architecture === 'amd64');
  if (!child) throw new Error('index without a linux/amd64 entry');
  return child;
}

export function describeArtifact(host: string, name: string, tag: string, a: BuiltArtifact): TestImageInfo {
  const entries = a.kind === 'index' ? (JSON.parse(a.manifest.data.toString()) as { manifests: Array<{ digest: string; mediaType: string; platform: Platform }> }).manifests : undefined;
  return {
    ref: `${host}/${name}:${tag}`,
    repository: `${host}/${name}`,
    tag,
    digest: a.manifest.digest,
    mediaType: a.manifest.mediaType,
    configDigest: amd64Child(a).config.digest,
    ...(entries && a.kind === 'index'
      ? { manifests: entries.map((e, i) => ({ digest: e.digest, mediaType: e.mediaType, platform: e.platform, configDigest: a.children[i].config.digest })) }
      : {}),
  };
}

/** Pushes every fixture as <host>/<name>:latest and describes them for the tests. */
export async function pushTestImages(registry: { url: string; host: string }, built: BuiltTestImages): Promise<Record<TestImageName, TestImageInfo>> {
  const out = {} as Record<TestImageName, TestImageInfo>;
  for (const name of TEST_IMAGE_NAMES) {
    await pushArtifact(registry.url, name, 'latest', built[name]);
    out[name] = describeArtifact(registry.host, name, 'latest', built[name]);
  }
  return out;
}
