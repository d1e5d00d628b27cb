import { describe, expect, it } from 'vitest';
import { testImage, testImages, testRegistry } from './fixtures.ts';
import { MT, sha256 } from './oci.ts';
import { readTar } from './tar-read.ts';
import { decompress } from './tar-layer.ts';
import { MARKERS } from './test-images.ts';

const ACCEPT = [MT.dockerManifest, MT.dockerManifestList, MT.ociManifest, MT.ociIndex].join(', ');

interface Descriptor { mediaType: string; digest: string; size: number; platform?: { architecture: string; os: string; variant?: string }; annotations?: Record<string, string> }
interface Manifest { mediaType: string; config: Descriptor; layers: Descriptor[]; manifests: Descriptor[] }

async function getManifest(repo: string, ref: string) {
  const res = await fetch(`${testRegistry().url}/v2/${repo}/manifests/${ref}`, { headers: { accept: ACCEPT } });
  expect(res.status).toBe(200);
  const body = Buffer.from(await res.arrayBuffer());
  return { res, body, json: JSON.parse(body.toString()) as Manifest };
}

async function getBlob(repo: string, d: Descriptor): Promise<Buffer> {
  const res = await fetch(`${testRegistry().url}/v2/${repo}/blobs/${d.digest}`);
  expect(res.status).toBe(200);
  const body = Buffer.from(await res.arrayBuffer());
  expect(body.length).toBe(d.size);
  expect(sha256(body)).toBe(d.digest);
  return body;
}

async function layerTar(repo: string, d: Descriptor): Promise<Buffer> {
  const blob = await getBlob(repo, d);
  return decompress(blob, d.mediaType.endsWith('zstd') ? 'zstd' : 'gzip');
}

describe('local registry fixtures', () => {
  it('answers the distribution API base endpoint on 127.0.0.1', async () => {
    expect(testRegistry().host).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(process.env.BERTH_TEST_REGISTRY).toBe(testRegistry().host);
    const res = await fetch(`${testRegistry().url}/v2/`);
    expect(res.status).toBe(200);
  });

  it.each(Object.entries(testImages()))('serves %s with its media type and a verifiable digest', async (name, info) => {
    expect(info.ref).toBe(`${testRegistry().host}/${name}:latest`);
    const { res, body } = await getManifest(name, 'latest');
    expect(res.headers.get('content-type')).toBe(info.mediaType);
    expect(sha256(body)).toBe(info.digest);
    expect(res.headers.get('docker-content-digest')).toBe(info.digest);
    const byDigest = await getManifest(name, info.digest);
    expect(byDigest.body.equals(body)).toBe(true);
  });

  it('stores every image config and layer with diff_ids matching the uncompressed tars', async () => {
    for (const name of ['busybox', 'multilayer', 'ocizstd'] as const) {
      const { json } = await getManifest(name, 'latest');
      const config = JSON.parse((await getBlob(name, json.config)).toString());
      expect(json.config.digest).toBe(testImage(name).configDigest);
      expect(config.os).toBe('linux');
      expect(config.architecture).toBe('amd64');
      expect(config.config.Env[0]).toMatch(/^PATH=/);
      const diffIds = [];
      for (const l of json.layers) diffIds.push(sha256(await layerTar(name, l)));
      expect(config.rootfs).toEqual({ type: 'layers', diff_ids: diffIds });
      expect(config.history.filter((h: { empty_layer?: boolean }) => !h.empty_layer)).toHaveLength(json.layers.length);
    }
  });

  it('builds busybox as Docker schema2 with a gzip layer holding busybox, applets and users', async () => {
    const { json } = await getManifest('busybox', 'latest');
    expect(json.mediaType).toBe(MT.dockerManifest);
    expect(json.config.mediaType).toBe(MT.dockerConfig);
    expect(json.layers.map((l) => l.mediaType)).toEqual([MT.dockerLayerGzip]);
    const entries = await readTar(await layerTar('busybox', json.layers[0]), true);
    const byName = new Map(entries.map((e) => [e.name, e]));
    expect(byName.get('bin/busybox')?.mode).toBe(0o755);
    expect(byName.get('bin/sh')).toMatchObject({ type: 'symlink', linkname: 'busybox' });
    expect(byName.get('tmp/')?.mode).toBe(0o1777);
    expect(byName.get('etc/passwd')?.content?.toString()).toMatch(/^app:x:1000:1000:/m);
    expect(byName.has('home/app/')).toBe(true);
  });

  it('puts ownership, hardlinks, whiteouts and an opaque marker in the multilayer layers', async () => {
    const { json } = await getManifest('multilayer', 'latest');
    expect(json.layers).toHaveLength(4);
    const names = (await readTar(await layerTar('multilayer', json.layers[3]))).map((e) => e.name);
    expect(names).toContain('app/.wh.remove-me.txt');
    expect(names).toContain('app/opaque/.wh..wh..opq');
    const modify = await readTar(await layerTar('multilayer', json.layers[2]));
    expect(modify.find((e) => e.name === 'app/owned-by-app.txt')).toMatchObject({ uid: 1000, gid: 1000, mode: 0o640 });
    expect(modify.find((e) => e.name === 'app/l3/hardlink.txt')).toMatchObject({ type: 'link', linkname: 'app/l3/original.txt' });
    const config = JSON.parse((await getBlob('multilayer', json.config)).toString());
    expect(config.config).toMatchObject({ WorkingDir: '/app', Entrypoint: ['/bin/sh', '-c'] });
    expect(Object.keys(config.config.ExposedPorts)).toEqual(['8080/tcp', '5353/udp']);
  });

  it('serves multiarch as a manifest list with amd64, arm64 and an unknown/unknown attestation', async () => {
    const { json } = await getManifest('multiarch', 'latest');
    expect(json.mediaType).toBe(MT.dockerManifestList);
    expect(json.manifests).toHaveLength(3);
    expect(json.manifests.map((m) => `${m.platform?.os}/${m.platform?.architecture}`)).toEqual(['linux/amd64', 'linux/arm64', 'unknown/unknown']);
    expect(json.manifests[2].annotations?.['vnd.docker.reference.type']).toBe('attestation-manifest');
    const labels = [];
    for (const m of json.manifests.slice(0, 2)) {
      const child = await getManifest('multiarch', m.digest);
      expect(child.res.headers.get('content-type')).toBe(m.mediaType);
      labels.push(JSON.parse((await getBlob('multiarch', child.json.config)).toString()).config.Labels.arch);
    }
    expect(labels).toEqual(['amd64', 'arm64']);
    const arm = await getManifest('multiarch', json.manifests[1].digest);
    const files = await readTar(await layerTar('multiarch', arm.json.layers[0]), true);
    expect(files.find((f) => '/' + f.name === MARKERS.arm64.path)?.content?.toString()).toBe(MARKERS.arm64.content);
  });

  it('serves ocizstd as an OCI manifest whose layer is zstd', async () => {
    const { json } = await getManifest('ocizstd', 'latest');
    expect(json.mediaType).toBe(MT.ociManifest);
    expect(json.config.mediaType).toBe(MT.ociConfig);
    expect(json.layers[0].mediaType).toBe(MT.ociLayerZstd);
    const blob = await getBlob('ocizstd', json.layers[0]);
    // RFC 8878 §3.1.1: every zstd frame starts with the magic number 0xFD2FB528 (little endian).
    expect([...blob.subarray(0, 4)]).toEqual([0x28, 0xb5, 0x2f, 0xfd]);
    const names = (await readTar(decompress(blob, 'zstd'))).map((e) => e.name);
    expect(names).toContain('bin/busybox');
    expect(names).toContain(MARKERS.zstd.path.slice(1));
  });

  it('serves ociindex as an OCI index pointing at the ocizstd manifest', async () => {
    const { json } = await getManifest('ociindex', 'latest');
    expect(json.mediaType).toBe(MT.ociIndex);
    expect(json.manifests).toHaveLength(1);
    expect(json.manifests[0]).toMatchObject({ digest: testImage('ocizstd').digest, platform: { os: 'linux', architecture: 'amd64' } });
    expect(testImage('ociindex').configDigest).toBe(testImage('ocizstd').configDigest);
  });
});
