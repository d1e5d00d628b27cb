// ImageTransferService on the real stores (content store, overlay snapshotter's unpacking, image
// store): what a `docker load` of what `docker save` wrote does to layers that are already here.
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pack } from 'tar-stream';
import { afterEach, describe, expect, it } from 'vitest';
import { MemoryEventBus } from '../../core/event-bus.ts';
import { ImageStore } from '../../core/image-store.ts';
import { FsContentStore } from '../../platform/linux/content-store.ts';
import { extractArchive } from '../../platform/linux/image-archive/archive-extract.ts';
import { OverlaySnapshotter } from '../../platform/linux/overlay-snapshotter.ts';
import type { ContainerContext } from '../containers/context.ts';
import { ImageService } from './image-service.ts';
import { ImageTransferService } from './image-transfer.ts';
import { removeImage } from './remove-image.ts';

async function collect(stream: AsyncIterable<unknown>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** A small rootfs tar, as `docker export` writes one. */
async function rootfsTar(): Promise<Buffer> {
  const p = pack();
  const out = collect(p);
  p.entry({ name: 'bin/', type: 'directory' });
  p.entry({ name: 'bin/tool', mode: 0o755 }, 'a tool');
  p.entry({ name: 'bin/alias', type: 'symlink', linkname: 'tool' });
  p.entry({ name: 'etc/', type: 'directory' });
  p.entry({ name: 'etc/hostname' }, 'box\n');
  p.finalize();
  return out;
}

const sha = (data: Buffer | string) => `sha256:${createHash('sha256').update(data).digest('hex')}`;

/** A `docker save` archive (legacy manifest.json, blobs named by digest) of one image. */
async function savedArchive(layers: Buffer[], tag: string): Promise<Buffer> {
  const config = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', config: {}, rootfs: { type: 'layers', diff_ids: layers.map((l) => sha(l)) } }));
  const path = (blob: Buffer) => `blobs/sha256/${sha(blob).slice(7)}`;
  const manifest = JSON.stringify([{ Config: path(config), RepoTags: [tag], Layers: layers.map(path) }]);
  const p = pack();
  const out = collect(p);
  for (const blob of [...layers, config]) p.entry({ name: path(blob) }, blob);
  p.entry({ name: 'manifest.json' }, manifest);
  p.finalize();
  return out;
}

const roots: string[] = [];
afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

/** An engine's image side on a fresh root; `staged` counts the layers unpacked for loads. */
async function engineImages() {
  const root = mkdtempSync(join(tmpdir(), 'image-transfer-'));
  roots.push(root);
  const store = new ImageStore(join(root, 'image'));
  await store.load();
  const content = new FsContentStore(join(root, 'content'));
  const snapshotter = new OverlaySnapshotter({ root: join(root, 'snap'), syncLayers: false });
  const counts = { staged: 0 };
  const stageLayer = snapshotter.stageLayer.bind(snapshotter);
  snapshotter.stageLayer = (opts) => {
    counts.staged++;
    return stageLayer(opts);
  };
  const images = new ImageService({ store, content, snapshotter, events: new MemoryEventBus() });
  const transfer = new ImageTransferService({
    images,
    containers: {} as ContainerContext, // load, save and import never reach containers
    tmpDir: join(root, 'tmp'),
    extractArchive,
    snapshotLayer: () => Promise.reject(new Error('not used')),
    pusher: {} as never,
    openRange: () => Readable.from([]),
  });
  return { root, images, snapshotter, transfer, counts };
}

async function save(transfer: ImageTransferService, names: string[]): Promise<Buffer> {
  const { ready, stream } = transfer.save(names);
  const bytes = collect(stream);
  await ready;
  return bytes;
}

describe('docker load of what docker save wrote', () => {
  it('does not unpack again a layer an image here has unpacked already, and still tags the image', async () => {
    const { images, snapshotter, transfer, counts } = await engineImages();
    const id = await transfer.import({ body: Readable.from([await rootfsTar()]), source: '-', repo: 'example.com/app', tag: '1', changes: [] });
    await images.tag(id, 'example.com/base', '1'); // keeps the image and its layer after the rmi below
    const archive = await save(transfer, ['example.com/app:1']);
    // `docker rmi example.com/app:1`: only the name goes, the other name keeps image and layer.
    expect(await removeImage(images, 'example.com/app:1', { force: false })).toEqual([{ Untagged: 'example.com/app:1' }]);

    counts.staged = 0;
    const messages: string[] = [];
    await transfer.load(Readable.from([archive]), (text) => messages.push(text));
    expect(messages).toEqual(['Loaded image: example.com/app:1\n']);
    expect(images.store.tagTarget('example.com/app:1')).toBe(id);
    expect(counts.staged).toBe(0);
    expect(await snapshotter.hasLayer(images.store.get(id)!.layers[0].chainId)).toBe(true);
    expect(readdirSync(snapshotter.layout.tmpDir)).toEqual([]);
  });

  it('unpacks the layers of the same archive into an engine that lacks them, as it streams in', async () => {
    const source = await engineImages();
    const id = await source.transfer.import({ body: Readable.from([await rootfsTar()]), source: '-', repo: 'example.com/app', tag: '1', changes: [] });
    const archive = await save(source.transfer, ['example.com/app:1']);

    const target = await engineImages();
    await target.transfer.load(Readable.from([archive]), () => undefined);
    expect(target.counts.staged).toBe(1);
    const record = target.images.store.get(id);
    expect(record?.layers).toHaveLength(1);
    expect(await target.snapshotter.hasLayer(record!.layers[0].chainId)).toBe(true);
  });

  it('unpacks a layer that is here only under another chain, from the blob it only ingested', async () => {
    const { images, snapshotter, transfer, counts } = await engineImages();
    const top = await rootfsTar();
    await transfer.import({ body: Readable.from([top]), source: '-', repo: 'example.com/app', tag: '1', changes: [] });
    const bottom = await collect((() => {
      const p = pack();
      p.entry({ name: 'base.txt' }, 'the layer below');
      p.finalize();
      return p;
    })());
    counts.staged = 0;
    // The same layer tar, now on top of another one: its blob names a layer that is unpacked
    // here, but as the bottom of a chain, not on top of `bottom`.
    await transfer.load(Readable.from([await savedArchive([bottom, top], 'example.com/two:1')]), () => undefined);
    expect(counts.staged).toBe(1); // the bottom layer, as it streamed in
    const record = images.find('example.com/two:1');
    expect(record?.layers.map((l) => l.diffId)).toEqual([sha(bottom), sha(top)]);
    for (const layer of record!.layers) expect(await snapshotter.hasLayer(layer.chainId)).toBe(true);
    expect(readdirSync(snapshotter.layout.tmpDir)).toEqual([]);
  });
});

describe('docker import', () => {
  it('stores the tar under its diff ID and unpacks it in one pass over the body', async () => {
    const { root, images, snapshotter, transfer } = await engineImages();
    const tar = await rootfsTar();
    const id = await transfer.import({ body: Readable.from([tar]), source: '-', repo: 'example.com/imported', tag: '1', changes: ['CMD ["/bin/tool"]'] });
    const record = images.store.get(id);
    expect(record?.layers.map((l) => [l.chainId, l.diffId])).toEqual([[sha(tar), sha(tar)]]);
    expect(await snapshotter.hasLayer(sha(tar))).toBe(true);
    expect(await images.content.has(sha(tar))).toBe(true); // kept for docker save and push
    expect(images.store.tagTarget('example.com/imported:1')).toBe(id);
    expect(readdirSync(join(root, 'content', 'ingest'))).toEqual([]);
    expect(readdirSync(snapshotter.layout.tmpDir)).toEqual([]);
  });

  it('refuses a body that is not a tar and leaves no layer, no image and nothing half-written', async () => {
    const { root, images, snapshotter, transfer } = await engineImages();
    const notTar = Buffer.from('this is not a tar archive, just some text\n'.repeat(40));
    await expect(transfer.import({ body: Readable.from([notTar]), source: '-', repo: 'example.com/broken', changes: [] })).rejects.toMatchObject({ kind: 'invalid' });
    expect(await images.content.has(sha(notTar))).toBe(false);
    expect(images.store.list()).toEqual([]);
    expect(await snapshotter.listLayers()).toEqual([]);
    expect(readdirSync(join(root, 'content', 'ingest'))).toEqual([]);
    expect(readdirSync(snapshotter.layout.tmpDir)).toEqual([]);
  });
});
