// Against Debian's real docker-registry (distribution 2.8) on 127.0.0.1.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseReference } from '../../../core/reference.ts';
import { FsContentStore } from '../content-store.ts';
import { RegistryClient } from './registry-client.ts';
import { buildTestImage, pushTestImage, sha256, startTestRegistry } from './test-registry.ts';
import type { TestRegistry } from './test-registry.ts';

let registry: TestRegistry;
let storeRoot: string;

beforeAll(async () => {
  registry = await startTestRegistry();
});
afterAll(async () => {
  await registry?.stop();
});
beforeEach(() => {
  storeRoot = mkdtempSync(join(tmpdir(), 'berth-rc-'));
  return () => rmSync(storeRoot, { recursive: true, force: true });
});

async function collect(stream: AsyncIterable<unknown>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

describe('RegistryClient against a real registry', () => {
  it('resolves a Docker schema2 manifest by tag and streams its blobs', async () => {
    const image = buildTestImage({ files: [{ name: 'a.txt', content: 'alpha' }, { name: 'b.txt', content: 'beta' }] });
    const pushed = await pushTestImage(registry, 'plain/app', 'v1', image);
    const client = new RegistryClient();
    const ref = parseReference(`${registry.host}/plain/app:v1`);
    const resolved = await client.resolve(ref);
    expect(resolved.digest).toBe(pushed);
    expect(resolved.manifestDigest).toBe(pushed);
    expect(resolved.mediaType).toBe('application/vnd.docker.distribution.manifest.v2+json');
    expect(resolved.manifest.layers.map((l) => l.digest)).toEqual(image.layers.map((l) => l.digest));
    const config = await collect(await client.fetchBlob(ref, resolved.manifest.config));
    expect(sha256(config)).toBe(image.configDigest);
    const store = new FsContentStore(storeRoot);
    const layer = resolved.manifest.layers[0];
    await store.write(layer, await client.fetchBlob(ref, layer));
    expect(await store.has(layer.digest)).toBe(true);
  });

  it('resolves by digest and verifies the manifest bytes', async () => {
    const image = buildTestImage({ files: [{ name: 'c', content: 'gamma' }], mediaType: 'oci' });
    const digest = await pushTestImage(registry, 'bydigest/app', 'x', image);
    const client = new RegistryClient();
    const resolved = await client.resolve(parseReference(`${registry.host}/bydigest/app@${digest}`));
    expect(resolved.digest).toBe(digest);
    expect(resolved.mediaType).toBe('application/vnd.oci.image.manifest.v1+json');
    // Asking for a digest the content does not hash to is refused even if a server returned it.
    const other = sha256('nope');
    await expect(client.getManifest(parseReference(`${registry.host}/bydigest/app@${other}`), other)).rejects.toMatchObject({ kind: 'not-found' });
  });

  it('picks the platform from an OCI index, skipping attestation entries', async () => {
    const amd = buildTestImage({ files: [{ name: 'amd', content: 'amd64' }], mediaType: 'oci', architecture: 'amd64' });
    const arm = buildTestImage({ files: [{ name: 'arm', content: 'arm64' }], mediaType: 'oci', architecture: 'arm64' });
    const att = buildTestImage({ files: [{ name: 'att', content: 'attest' }], mediaType: 'oci', architecture: 'unknown' });
    const repo = 'multi/app';
    const digests = [await pushTestImage(registry, repo, 'amd', amd), await pushTestImage(registry, repo, 'arm', arm), await pushTestImage(registry, repo, 'att', att)];
    const entry = (img: typeof amd, d: string, platform: object, annotations?: object) => ({
      mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: d, size: img.manifest.length, platform, ...(annotations ? { annotations } : {}),
    });
    const index = JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.index.v1+json',
      manifests: [
        entry(att, digests[2], { os: 'unknown', architecture: 'unknown' }, { 'vnd.docker.reference.type': 'attestation-manifest' }),
        entry(amd, digests[0], { os: 'linux', architecture: 'amd64' }),
        entry(arm, digests[1], { os: 'linux', architecture: 'arm64', variant: 'v8' }),
      ],
    });
    const indexDigest = await registry.pushManifest(repo, 'latest', 'application/vnd.oci.image.index.v1+json', index);
    const client = new RegistryClient();
    const ref = parseReference(`${registry.host}/${repo}`);
    const forArm = await client.resolve(ref, { platform: { os: 'linux', architecture: 'arm64' } });
    expect(forArm.digest).toBe(indexDigest);
    expect(forArm.mediaType).toBe('application/vnd.oci.image.index.v1+json');
    expect(forArm.manifestDigest).toBe(digests[1]);
    const forAmd = await client.resolve(ref, { platform: { os: 'linux', architecture: 'amd64' } });
    expect(forAmd.manifestDigest).toBe(digests[0]);
    await expect(client.resolve(ref, { platform: { os: 'linux', architecture: 's390x' } })).rejects.toThrow(
      'no matching manifest for linux/s390x in the manifest list entries',
    );
  });

  it('reads a Docker manifest list', async () => {
    const amd = buildTestImage({ files: [{ name: 'l', content: 'list' }], architecture: 'amd64' });
    const d = await pushTestImage(registry, 'list/app', 'amd', amd);
    const list = JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.docker.distribution.manifest.list.v2+json',
      manifests: [{ mediaType: 'application/vnd.docker.distribution.manifest.v2+json', digest: d, size: amd.manifest.length, platform: { os: 'linux', architecture: 'amd64' } }],
    });
    const listDigest = await registry.pushManifest('list/app', 'latest', 'application/vnd.docker.distribution.manifest.list.v2+json', list);
    const resolved = await new RegistryClient().resolve(parseReference(`${registry.host}/list/app`), { platform: { os: 'linux', architecture: 'amd64' } });
    expect([resolved.digest, resolved.manifestDigest]).toEqual([listDigest, d]);
  });

  it('reports a missing tag with Docker’s not-found wording', async () => {
    const client = new RegistryClient();
    const image = buildTestImage({ files: [{ name: 'n', content: 'n' }] });
    await pushTestImage(registry, 'exists/app', 'v1', image);
    const ref = parseReference(`${registry.host}/exists/app:nope`);
    await expect(client.resolve(ref)).rejects.toMatchObject({
      kind: 'not-found',
      message: `manifest for ${registry.host}/exists/app:nope not found: manifest unknown: manifest unknown`,
    });
    await expect(client.resolve(parseReference(`${registry.host}/never/pushed`))).rejects.toMatchObject({ kind: 'not-found' });
    await expect(client.fetchBlob(ref, { digest: sha256('absent') })).rejects.toMatchObject({ kind: 'not-found' });
  });

  it('a manifest promising more bytes than the blob has fails verification and stores nothing', async () => {
    const image = buildTestImage({ files: [{ name: 't', content: 'truncated' }] });
    await pushTestImage(registry, 'trunc/app', 'ok', image);
    const manifest = JSON.parse(image.manifest.toString()) as { layers: Array<{ size: number }> };
    manifest.layers[0].size += 100;
    await registry.pushManifest('trunc/app', 'bad', 'application/vnd.docker.distribution.manifest.v2+json', JSON.stringify(manifest));
    const client = new RegistryClient();
    const ref = parseReference(`${registry.host}/trunc/app:bad`);
    const resolved = await client.resolve(ref);
    const store = new FsContentStore(storeRoot);
    const layer = resolved.manifest.layers[0];
    await expect(store.write(layer, await client.fetchBlob(ref, layer))).rejects.toThrow(`size mismatch for ${layer.digest}: expected ${layer.size} bytes`);
    expect(await store.list()).toEqual([]);
    expect(readdirSync(join(storeRoot, 'ingest'))).toEqual([]);
  });

  it('serves Docker Hub references from a configured mirror', async () => {
    const image = buildTestImage({ files: [{ name: 'm', content: 'mirrored' }] });
    const digest = await pushTestImage(registry, 'library/mirrored', 'latest', image);
    const client = new RegistryClient({ mirrors: [registry.url] });
    const ref = parseReference('mirrored');
    const resolved = await client.resolve(ref);
    expect(resolved.digest).toBe(digest);
    expect(sha256(await collect(await client.fetchBlob(ref, image.layers[0])))).toBe(image.layers[0].digest);
  });

  it('hands out a blob as the HTTP response stream itself, with no web-stream round trip', async () => {
    const image = buildTestImage({ files: [{ name: 'n', content: 'node stream' }] });
    await pushTestImage(registry, 'blob/node', 'v1', image);
    const client = new RegistryClient();
    const ref = parseReference(`${registry.host}/blob/node:v1`);
    const blob = await client.fetchBlob(ref, image.layers[0]);
    expect(blob).toBeInstanceOf(IncomingMessage);
    expect(sha256(await collect(blob))).toBe(image.layers[0].digest);
  });

  it('uses plain HTTP only for loopback and listed insecure registries', () => {
    const client = new RegistryClient({ insecureRegistries: ['myreg:5000', '10.0.0.0/8'], mirrors: ['http://127.0.0.1:1/'] });
    expect(client.isInsecure('127.0.0.1:5000')).toBe(true);
    expect(client.isInsecure('localhost')).toBe(true);
    expect(client.isInsecure('[::1]:5000')).toBe(true);
    expect(client.isInsecure('myreg:5000')).toBe(true);
    expect(client.isInsecure('10.1.2.3:443')).toBe(true);
    expect(client.isInsecure('example.com')).toBe(false);
    expect(client.endpoints(parseReference('busybox')).map(String)).toEqual(['http://127.0.0.1:1/', 'https://registry-1.docker.io/']);
    expect(client.endpoints(parseReference('quay.io/a/b')).map(String)).toEqual(['https://quay.io/']);
  });
});
