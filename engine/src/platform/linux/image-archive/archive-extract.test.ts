import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gunzipSync, gzipSync } from 'node:zlib';
import { pack } from 'tar-stream';
import { afterEach, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { FsContentStore } from '../content-store.ts';
import { OverlaySnapshotter } from '../overlay-snapshotter.ts';
import { cleanArchivePath, extractArchive } from './archive-extract.ts';

type Entry = { name: string; data?: string | Buffer; symlink?: string; linkname?: string; type?: 'file' | 'directory' | 'link' | 'character-device' };

async function tarOf(entries: Entry[]): Promise<Buffer> {
  const p = pack();
  const chunks: Buffer[] = [];
  const done = (async () => {
    for await (const c of p) chunks.push(c as Buffer);
  })();
  for (const e of entries) {
    await new Promise<void>((resolve, reject) => {
      const cb = (err?: Error | null) => (err ? reject(err) : resolve());
      if (e.symlink !== undefined) p.entry({ name: e.name, type: 'symlink', linkname: e.symlink }, cb);
      else if (e.type && e.type !== 'file') p.entry({ name: e.name, type: e.type, linkname: e.linkname ?? 'x' }, cb);
      else p.entry({ name: e.name }, e.data ?? '', cb);
    });
  }
  p.finalize();
  await done;
  return Buffer.concat(chunks);
}

const dirs: string[] = [];
/** A temp root with an empty archive directory inside it (escapes would land in the root). */
function fresh(): { root: string; dir: string } {
  const root = mkdtempSync(join(tmpdir(), 'archive-extract-'));
  dirs.push(root);
  const dir = join(root, 'inside');
  mkdirSync(dir);
  return { root, dir };
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('cleanArchivePath', () => {
  it('normalises harmless names and refuses ../ and absolute ones', () => {
    expect(cleanArchivePath('./blobs//sha256/abc')).toBe('blobs/sha256/abc');
    expect(() => cleanArchivePath('../x')).toThrow(/outside the archive/);
    expect(() => cleanArchivePath('a/../../x')).toThrow(/outside the archive/);
    expect(() => cleanArchivePath('/etc/passwd')).toThrow(/absolute/);
  });
});

describe('extractArchive', () => {
  it('unpacks plain and gzip archives and resolves links inside the archive', async () => {
    const { dir } = fresh();
    const tar = await tarOf([{ name: 'one/layer.tar', data: 'L' }, { name: 'two/layer.tar', symlink: '../one/layer.tar' }, { name: 'manifest.json', data: '[]' }]);
    const archive = await extractArchive(Readable.from([gzipSync(tar)]), dir);
    expect((await archive.read('two/layer.tar')).toString()).toBe('L');
    expect(await archive.readJson('manifest.json')).toEqual([]);
    expect(readdirSync(dir).sort()).toEqual(['manifest.json', 'one']);
  });

  it.each([
    ['a ../ entry', [{ name: '../escape', data: 'x' }], /outside the archive/],
    ['an absolute entry', [{ name: '/escape', data: 'x' }], /absolute|outside/],
    ['a symlink leading out', [{ name: 'l', symlink: '../../etc' }], /outside the archive/],
    ['an absolute symlink', [{ name: 'l', symlink: '/etc' }], /absolute target/],
    ['a hardlink', [{ name: 'h', type: 'link' as const, linkname: '/etc/passwd' }], /unsupported entry type/],
    ['a device node', [{ name: 'd', type: 'character-device' as const }], /unsupported entry type/],
    ['a duplicate entry', [{ name: 'x', data: '1' }, { name: './x', data: '2' }], /duplicate/],
  ])('rejects %s and writes nothing outside', async (_what, entries, message) => {
    const { root, dir } = fresh();
    await expect(extractArchive(Readable.from([await tarOf(entries as Entry[])]), dir)).rejects.toThrow(message);
    expect(existsSync(join(root, 'escape'))).toBe(false);
    expect(existsSync('/escape')).toBe(false);
  });

  it('unpacks layer blobs as they stream in, into the ingest area and the snapshotter, never as spool files', async () => {
    const { root, dir } = fresh();
    const content = new FsContentStore(join(root, 'content'));
    const snapshotter = new OverlaySnapshotter({ root: join(root, 'snap'), syncLayers: false });
    const layer = await tarOf([{ name: 'hello.txt', data: 'hello from a layer' }]);
    const gzipped = gzipSync(await tarOf([{ name: 'two.txt', data: 'second' }]));
    const config = JSON.stringify({ padding: 'x'.repeat(600) }); // big enough to be sniffed, not a tar
    const sha = (b: Buffer | string) => `sha256:${createHash('sha256').update(b).digest('hex')}`;
    const body = await tarOf([
      { name: 'aaa/layer.tar', data: layer },
      { name: 'bbb/layer.tar', data: gzipped },
      { name: 'ccc/layer.tar', symlink: '../aaa/layer.tar' },
      { name: 'config.json', data: config },
      { name: 'manifest.json', data: '[]' },
    ]);
    const archive = await extractArchive(Readable.from([body]), dir, {
      ingest: (source) => content.ingest(source),
      stage: (source) => snapshotter.stageLayer({ source, mediaType: '' }),
    });
    expect(readdirSync(dir).sort()).toEqual(['aaa', 'bbb', 'config.json', 'manifest.json']);
    expect(readdirSync(join(dir, 'aaa'))).toEqual([]); // the layer went to the sinks only
    expect(await archive.has('ccc/layer.tar')).toBe(true);
    expect(await archive.size('aaa/layer.tar')).toBe(layer.length);
    expect((await archive.read('config.json')).toString()).toBe(config);
    // Reached through the legacy symlink, as dockerd's manifest.json may name it.
    const staged = archive.takeStaged('ccc/layer.tar');
    expect(staged?.diffId).toBe(sha(layer));
    expect(archive.takeStaged('aaa/layer.tar')).toBeUndefined(); // taken once
    await staged!.commit(sha(layer), undefined);
    expect(await snapshotter.hasLayer(sha(layer))).toBe(true);
    expect(archive.takeStaged('bbb/layer.tar')?.diffId).toBe(sha(gunzipSync(gzipped)));
    expect(await archive.keep('aaa/layer.tar', sha('something else'))).toBe(false);
    expect(await archive.keep('aaa/layer.tar', sha(layer))).toBe(true);
    expect(await content.has(sha(layer))).toBe(true);
    await archive.dispose();
    expect(readdirSync(join(root, 'content', 'ingest'))).toEqual([]);
    expect(readdirSync(snapshotter.layout.tmpDir)).toEqual([]);
  });

  it('only ingests a blob named for a layer the sinks have unpacked already, and unpacks the others', async () => {
    const { root, dir } = fresh();
    const content = new FsContentStore(join(root, 'content'));
    const snapshotter = new OverlaySnapshotter({ root: join(root, 'snap'), syncLayers: false });
    const sha = (b: Buffer | string) => `sha256:${createHash('sha256').update(b).digest('hex')}`;
    const present = await tarOf([{ name: 'old.txt', data: 'a layer that is here' }]);
    const fresh2 = await tarOf([{ name: 'new.txt', data: 'a layer that is not' }]);
    const blob = (b: Buffer) => `blobs/sha256/${sha(b).slice(7)}`;
    const body = await tarOf([{ name: blob(present), data: present }, { name: blob(fresh2), data: fresh2 }, { name: 'index.json', data: '{}' }]);
    const staged: string[] = [];
    const archive = await extractArchive(Readable.from([body]), dir, {
      ingest: (source) => content.ingest(source),
      stage: async (source) => {
        const layer = await snapshotter.stageLayer({ source, mediaType: '' });
        staged.push(layer.diffId);
        return layer;
      },
      unpacked: async (digest) => digest === sha(present),
    });
    expect(staged).toEqual([sha(fresh2)]);
    expect(archive.takeStaged(blob(present))).toBeUndefined();
    // Still there for the loader: to keep as content, or to unpack after all.
    expect(await archive.has(blob(present))).toBe(true);
    const read: Buffer[] = [];
    for await (const chunk of archive.open(blob(present))) read.push(chunk as Buffer);
    expect(Buffer.concat(read)).toEqual(present);
    expect(await archive.keep(blob(present), sha(present))).toBe(true);
    expect(await content.has(sha(present))).toBe(true);
    expect(archive.takeStaged(blob(fresh2))?.diffId).toBe(sha(fresh2));
    await archive.dispose();
    expect(readdirSync(join(root, 'content', 'ingest'))).toEqual([]);
    expect(readdirSync(snapshotter.layout.tmpDir)).toEqual([]);
  });
});
