// Test support (not shipped code): runs Debian's real `docker-registry` (distribution 2.8) on
// 127.0.0.1 with a temp storage dir, and pushes content to it over plain HTTP the way a client
// pushes (blob upload POST then monolithic PUT, manifest PUT).
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { gzipSync, zstdCompressSync } from 'node:zlib';
import { join } from 'node:path';

export const REGISTRY_BINARY = '/usr/bin/docker-registry';

export const sha256 = (data: Buffer | string): string => 'sha256:' + createHash('sha256').update(data).digest('hex');

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface TestRegistry {
  /** `127.0.0.1:PORT`, usable as a reference domain. */
  host: string;
  url: string;
  pushBlob(repo: string, data: Buffer): Promise<{ digest: string; size: number }>;
  pushManifest(repo: string, reference: string, mediaType: string, body: Buffer | string): Promise<string>;
  stop(): Promise<void>;
}

export async function startTestRegistry(): Promise<TestRegistry> {
  const dir = mkdtempSync(join(tmpdir(), 'berth-registry-'));
  const port = await freePort();
  const host = `127.0.0.1:${port}`;
  const config = [
    'version: 0.1',
    'log:',
    '  level: error',
    'storage:',
    '  filesystem:',
    `    rootdirectory: ${join(dir, 'data')}`,
    '  delete:',
    '    enabled: true',
    'http:',
    `  addr: ${host}`,
    '',
  ].join('\n');
  writeFileSync(join(dir, 'config.yml'), config);
  const child: ChildProcess = spawn(REGISTRY_BINARY, ['serve', join(dir, 'config.yml')], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const url = `http://${host}`;
  const deadline = Date.now() + 15_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`docker-registry exited (${child.exitCode}): ${stderr}`);
    try {
      const res = await fetch(`${url}/v2/`);
      await res.body?.cancel();
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`docker-registry did not start: ${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }

  return {
    host,
    url,
    async pushBlob(repo, data) {
      const digest = sha256(data);
      const start = await fetch(`${url}/v2/${repo}/blobs/uploads/`, { method: 'POST' });
      await start.body?.cancel();
      if (start.status !== 202) throw new Error(`upload start: ${start.status}`);
      const location = new URL(start.headers.get('location') ?? '', url);
      location.searchParams.set('digest', digest);
      const put = await fetch(location, {
        method: 'PUT',
        headers: { 'Content-Type': 'application/octet-stream', 'Content-Length': String(data.length) },
        body: data,
      });
      const text = await put.text();
      if (put.status !== 201) throw new Error(`upload put: ${put.status} ${text}`);
      return { digest, size: data.length };
    },
    async pushManifest(repo, reference, mediaType, body) {
      const res = await fetch(`${url}/v2/${repo}/manifests/${reference}`, {
        method: 'PUT',
        headers: { 'Content-Type': mediaType },
        body: typeof body === 'string' ? body : new Uint8Array(body),
      });
      const text = await res.text();
      if (res.status !== 201) throw new Error(`manifest put: ${res.status} ${text}`);
      return sha256(typeof body === 'string' ? Buffer.from(body) : body);
    },
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A one-file ustar archive (enough for a layer a real unpacker accepts). */
export function tarOf(name: string, content: string): Buffer {
  const header = Buffer.alloc(512);
  header.write(name, 0, 100);
  header.write('0000644\0', 100);
  header.write('0000000\0', 108);
  header.write('0000000\0', 116);
  header.write(content.length.toString(8).padStart(11, '0') + '\0', 124);
  header.write('00000000000\0', 136);
  header.write('        ', 148); // checksum field counts as spaces while summing
  header.write('0', 156);
  header.write('ustar\0' + '00', 257);
  let sum = 0;
  for (const b of header) sum += b;
  header.write(sum.toString(8).padStart(6, '0') + '\0 ', 148);
  const body = Buffer.alloc(Math.ceil(content.length / 512) * 512);
  body.write(content);
  return Buffer.concat([header, body, Buffer.alloc(1024)]);
}

/** A small test image: gzip layers, config with matching diff_ids, manifest of `mediaType`. */
export interface TestImage {
  config: Buffer;
  configDigest: string;
  layers: Array<{ compressed: Buffer; digest: string; diffId: string; mediaType: string }>;
  manifest: Buffer;
  manifestDigest: string;
}

export function buildTestImage(options: {
  files: Array<{ name: string; content: string; compression?: 'gzip' | 'zstd' }>;
  mediaType?: 'oci' | 'docker';
  architecture?: string;
  /** Replace a diff_id in the config (for mismatch tests). */
  diffIdOverride?: string[];
}): TestImage {
  const oci = (options.mediaType ?? 'docker') === 'oci';
  const layers = options.files.map((f) => {
    const tar = tarOf(f.name, f.content);
    const zstd = f.compression === 'zstd';
    const compressed = zstd ? zstdCompressSync(tar) : gzipSync(tar);
    const mediaType = zstd
      ? 'application/vnd.oci.image.layer.v1.tar+zstd'
      : oci ? 'application/vnd.oci.image.layer.v1.tar+gzip' : 'application/vnd.docker.image.rootfs.diff.tar.gzip';
    return { compressed, digest: sha256(compressed), diffId: sha256(tar), mediaType };
  });
  const config = Buffer.from(JSON.stringify({
    architecture: options.architecture ?? 'amd64',
    os: 'linux',
    config: { Cmd: ['/bin/sh'], Env: ['PATH=/bin'] },
    rootfs: { type: 'layers', diff_ids: options.diffIdOverride ?? layers.map((l) => l.diffId) },
    history: layers.map(() => ({ created_by: 'test' })),
  }));
  const configDigest = sha256(config);
  const manifest = Buffer.from(JSON.stringify({
    schemaVersion: 2,
    mediaType: oci ? 'application/vnd.oci.image.manifest.v1+json' : 'application/vnd.docker.distribution.manifest.v2+json',
    config: { mediaType: oci ? 'application/vnd.oci.image.config.v1+json' : 'application/vnd.docker.container.image.v1+json', digest: configDigest, size: config.length },
    layers: layers.map((l) => ({ mediaType: l.mediaType, digest: l.digest, size: l.compressed.length })),
  }));
  return { config, configDigest, layers, manifest, manifestDigest: sha256(manifest) };
}

/** Pushes blobs and the manifest; returns the manifest digest. */
export async function pushTestImage(registry: TestRegistry, repo: string, reference: string, image: TestImage): Promise<string> {
  await registry.pushBlob(repo, image.config);
  for (const layer of image.layers) await registry.pushBlob(repo, layer.compressed);
  const mediaType = (JSON.parse(image.manifest.toString()) as { mediaType: string }).mediaType;
  return registry.pushManifest(repo, reference, mediaType, image.manifest);
}
