// docker load of archives whose images share layers in ways our own saves never produce: a layer
// present already under another parent, and two images of one archive with one layer under
// different parents (the second image reads the blob the first one filed: it used to open a temp
// path that never existed, and the unheard ENOENT ended the engine).
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import tar from 'tar-stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEngine, type EngineHandle } from './support/engine-harness.ts';
import { buildTar } from './support/tar-layer.ts';

let engine: EngineHandle;
const work = mkdtempSync(join(tmpdir(), 'berth-load-shared-'));
const sha = (d: Buffer | string) => `sha256:${createHash('sha256').update(d).digest('hex')}`;
const blob = (digest: string) => `blobs/sha256/${digest.slice(7)}`;
async function pack(entries: Array<{ name: string; data: Buffer | string }>): Promise<Buffer> {
  const p = tar.pack();
  const chunks: Buffer[] = [];
  const done = (async () => { for await (const c of p) chunks.push(c as Buffer); })();
  for (const e of entries) await new Promise<void>((res, rej) => p.entry({ name: e.name }, typeof e.data === 'string' ? Buffer.from(e.data) : e.data, (err) => (err ? rej(err) : res())));
  p.finalize();
  await done;
  return Buffer.concat(chunks);
}
const layer = (name: string) => buildTar([{ type: 'file', path: `${name}.txt`, content: `content-${name}\n` }]);
const config = (diffIds: string[]) => Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', config: { Cmd: ['/x'] }, rootfs: { type: 'layers', diff_ids: diffIds } }));
/** dockerd-25-style docker save: manifest.json with blobs/sha256 paths, uncompressed layers. */
async function saveArchive(images: Array<{ tag: string; layers: Buffer[]; diffIds?: string[] }>): Promise<Buffer> {
  const entries = new Map<string, Buffer | string>();
  const manifest = images.map((img) => {
    const diffIds = img.diffIds ?? img.layers.map((l) => sha(l));
    const cfg = config(diffIds);
    entries.set(blob(sha(cfg)), cfg);
    img.layers.forEach((l, i) => entries.set(blob(diffIds[i]), l));
    return { Config: blob(sha(cfg)), RepoTags: [img.tag], Layers: diffIds.map(blob) };
  });
  return pack([...[...entries].map(([name, data]) => ({ name, data })), { name: 'manifest.json', data: JSON.stringify(manifest) }]);
}
async function ociArchive(tag: string, layers: Buffer[]): Promise<Buffer> {
  const cfg = config(layers.map((l) => sha(l)));
  const gz = layers.map((l) => gzipSync(l));
  const manifest = JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json', config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: sha(cfg), size: cfg.length }, layers: gz.map((l) => ({ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: sha(l), size: l.length })) });
  const index = { schemaVersion: 2, manifests: [{ mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: sha(manifest), size: manifest.length, annotations: { 'io.containerd.image.name': `docker.io/library/${tag}` } }] };
  return pack([{ name: 'oci-layout', data: '{"imageLayoutVersion":"1.0.0"}' }, { name: 'index.json', data: JSON.stringify(index) }, { name: blob(sha(manifest)), data: manifest }, { name: blob(sha(cfg)), data: cfg }, ...gz.map((l) => ({ name: blob(sha(l)), data: l }))]);
}
async function load(bytes: Buffer) {
  const f = join(work, `a-${Math.random()}.tar`);
  writeFileSync(f, bytes);
  return engine.docker(['load', '-i', f]);
}
async function fileIn(image: string, path: string): Promise<string> {
  const name = `c${Math.random().toString(36).slice(2, 8)}`;
  const c = await engine.docker(['create', '--name', name, image]);
  if (c.code !== 0) return `create failed: ${c.stderr}`;
  const r = await engine.docker(['cp', `${name}:${path}`, join(work, name)]);
  await engine.docker(['rm', name]);
  if (r.code !== 0) return `cp failed: ${r.stderr}`;
  return (await import('node:fs')).readFileSync(join(work, name), 'utf8');
}
beforeAll(async () => { engine = await startEngine(); }, 120_000);
afterAll(async () => { await engine?.stop(); rmSync(work, { recursive: true, force: true }); });

describe('load with shared layers', () => {
  let L: Buffer, X: Buffer, Y: Buffer, Z: Buffer;
  beforeAll(async () => { [L, X, Y, Z] = await Promise.all(['l', 'x', 'y', 'z'].map(layer)); });
  it('a layer present here under another parent is unpacked again at its new place', async () => {
    expect((await load(await saveArchive([{ tag: 'shared-a:1', layers: [L] }]))).code).toBe(0);
    const r = await load(await saveArchive([{ tag: 'shared-b:1', layers: [X, L] }]));
    expect(r.code, r.stderr).toBe(0);
    expect(await fileIn('shared-b:1', '/l.txt')).toBe('content-l\n');
    expect(await fileIn('shared-b:1', '/x.txt')).toBe('content-x\n');
  }, 60_000);
  it('two images of one archive share a new layer under different parents', async () => {
    const W = await layer('w');
    const r = await load(await saveArchive([{ tag: 'shared-wb:1', layers: [X, W] }, { tag: 'shared-wc:1', layers: [Z, W] }]));
    expect(r.code, r.stderr).toBe(0);
    expect(await fileIn('shared-wc:1', '/w.txt')).toBe('content-w\n');
    expect(await fileIn('shared-wc:1', '/z.txt')).toBe('content-z\n');
    expect(await fileIn('shared-wb:1', '/w.txt')).toBe('content-w\n');
  }, 60_000);
  it('two images sharing a layer unpacked here already (from an OCI load) under different parents', async () => {
    const Q = await layer('q');
    expect((await load(await ociArchive('shared-q:1', [Q]))).code).toBe(0);
    const r = await load(await saveArchive([{ tag: 'shared-qb:1', layers: [X, Q] }, { tag: 'shared-qc:1', layers: [Y, Q] }]));
    expect(r.code, r.stderr).toBe(0);
    expect(await fileIn('shared-qc:1', '/q.txt')).toBe('content-q\n');
    expect(await fileIn('shared-qb:1', '/x.txt')).toBe('content-x\n');
  }, 60_000);
});
