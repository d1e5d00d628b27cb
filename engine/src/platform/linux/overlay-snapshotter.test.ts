import { createHash } from 'node:crypto';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, realpathSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OverlaySnapshotter } from './overlay-snapshotter.ts';
import { isMountPoint, unmount } from './overlay-mount.ts';
import { buildTar, diffIdOf, ensureNativeHelper, gzip, streamOf, zstd, type TarEntry } from './layer-test-support.ts';

const GZIP = 'application/vnd.oci.image.layer.v1.tar+gzip';
const ZSTD = 'application/vnd.oci.image.layer.v1.tar+zstd';
const TAR = 'application/vnd.oci.image.layer.v1.tar';

/** OCI image spec "ChainID": ChainID(L0) = DiffID(L0); ChainID(Ln) = sha256(ChainID(Ln-1) + " " + DiffID(Ln)). */
const chainOf = (parent: string | undefined, diffId: string) =>
  parent === undefined ? diffId : `sha256:${createHash('sha256').update(`${parent} ${diffId}`).digest('hex')}`;

let root: string;
let snapshotter: OverlaySnapshotter;
const mounted = new Set<string>();

beforeAll(async () => {
  ensureNativeHelper();
  root = mkdtempSync(join(tmpdir(), 'berth-overlay-'));
  snapshotter = new OverlaySnapshotter({ root });
  await snapshotter.ready();
});

afterAll(async () => {
  for (const dir of mounted) await unmount(dir).catch(() => undefined);
  rmSync(root, { recursive: true, force: true });
});

async function apply(parent: string | undefined, entries: TarEntry[], compress = gzip, mediaType = GZIP, on = snapshotter) {
  const tar = await buildTar(entries);
  const diffId = diffIdOf(tar);
  const chainId = chainOf(parent, diffId);
  const result = await on.applyLayer({ chainId, parentChainId: parent, expectedDiffId: diffId, mediaType, source: streamOf(compress(tar)) });
  expect(result.diffId).toBe(diffId);
  return chainId;
}

async function mount(id: string, chainId: string | undefined, on = snapshotter): Promise<string> {
  const merged = await on.mountContainer(id, chainId);
  mounted.add(merged);
  return merged;
}

describe('OverlaySnapshotter', () => {
  let top: string;

  it('applies gzip, zstd and plain layers with whiteouts and shows the merged view in a container', async () => {
    const l1 = await apply(undefined, [
      { name: 'etc/motd', body: 'welcome' },
      { name: 'etc/hosts', body: 'old hosts' },
      { name: 'var/cache/a', body: 'a' },
      { name: 'var/cache/b', body: 'b' },
      { name: 'bin/tool', body: '#!/bin/sh', mode: 0o755 },
      { name: 'opt/dir/file', body: 'lower file' },
    ]);
    const l2 = await apply(l1, [
      { name: 'etc/.wh.motd' },
      { name: 'var/cache/.wh..wh..opq' },
      { name: 'var/cache/c', body: 'c' },
      { name: 'opt/.wh.dir' },
      { name: 'newfile', body: 'new' },
    ], zstd, ZSTD);
    top = await apply(l2, [
      { name: 'etc/hosts', body: 'new hosts' },
      { name: 'opt/dir/file2', body: 'recreated' },
    ], (tar) => tar, TAR);
    expect(await snapshotter.listLayers()).toHaveLength(3);
    expect(await snapshotter.layerSize(l1)).toBe(7 + 9 + 1 + 1 + 9 + 10);

    const merged = await mount('c1', top);
    expect(await isMountPoint(merged)).toBe(true);
    expect(existsSync(join(merged, 'etc/motd'))).toBe(false);
    expect(readFileSync(join(merged, 'etc/hosts'), 'utf8')).toBe('new hosts');
    expect(readdirSync(join(merged, 'var/cache'))).toEqual(['c']);
    expect(readdirSync(join(merged, 'opt/dir'))).toEqual(['file2']);
    expect(readFileSync(join(merged, 'newfile'), 'utf8')).toBe('new');
    expect(lstatSync(join(merged, 'bin/tool')).mode & 0o777).toBe(0o755);

    // Writes land in the container's upper dir; deleting a lower file leaves a whiteout there.
    writeFileSync(join(merged, 'written'), 'by the container');
    unlinkSync(join(merged, 'bin/tool'));
    const upper = snapshotter.containerUpperDir('c1');
    expect(readFileSync(join(upper, 'written'), 'utf8')).toBe('by the container');
    expect(lstatSync(join(upper, 'bin/tool')).isCharacterDevice()).toBe(true);
    expect(existsSync(join(snapshotter.layout.layerDir(l1), 'diff/bin/tool'))).toBe(true);
  });

  it('mounts idempotently, tolerates repeated unmounts and removes the container snapshot', async () => {
    const first = await mount('c1', top);
    const again = await mount('c1', top);
    expect(again).toBe(first);
    const mountinfo = await readFile('/proc/self/mountinfo', 'utf8');
    expect(mountinfo.split('\n').filter((line) => line.split(' ')[4] === first)).toHaveLength(1);
    await snapshotter.unmountContainer('c1');
    expect(await isMountPoint(first)).toBe(false);
    await snapshotter.unmountContainer('c1');
    // The upper dir survives an unmount: a restarted container keeps its changes.
    expect(readFileSync(join(await mount('c1', top), 'written'), 'utf8')).toBe('by the container');
    await snapshotter.removeContainer('c1');
    expect(existsSync(snapshotter.layout.containerDir('c1'))).toBe(false);
    await snapshotter.removeContainer('c1');
  });

  it('mounts an image without layers over an empty lower dir', async () => {
    const merged = await mount('empty1', undefined);
    expect(readdirSync(merged)).toEqual([]);
    writeFileSync(join(merged, 'x'), 'y');
    await snapshotter.removeContainer('empty1');
  });

  it('rejects a diff ID mismatch with a clear error and leaves nothing behind', async () => {
    const tar = await buildTar([{ name: 'f', body: 'x' }]);
    const wrong = `sha256:${'0'.repeat(64)}`;
    const linksBefore = readdirSync(snapshotter.layout.linksDir).length;
    await expect(
      snapshotter.applyLayer({ chainId: wrong, parentChainId: undefined, expectedDiffId: wrong, mediaType: GZIP, source: streamOf(gzip(tar)) }),
    ).rejects.toThrow(`layer diff ID mismatch: expected ${wrong} got ${diffIdOf(tar)}`);
    expect(await snapshotter.hasLayer(wrong)).toBe(false);
    expect(readdirSync(snapshotter.layout.tmpDir)).toEqual([]);
    expect(readdirSync(snapshotter.layout.linksDir)).toHaveLength(linksBefore);
  });

  it('rejects a hostile layer and cleans its temp dir', async () => {
    await expect(apply(undefined, [{ name: '../../escape', body: 'x' }])).rejects.toThrow(/escapes the layer root/);
    expect(readdirSync(snapshotter.layout.tmpDir)).toEqual([]);
  });

  it('refuses a layer whose parent is missing', async () => {
    await expect(apply(`sha256:${'1'.repeat(64)}`, [{ name: 'f', body: 'x' }])).rejects.toThrow(/parent layer .* not found/);
  });

  it('deduplicates concurrent applies of the same layer', async () => {
    const tar = await buildTar([{ name: 'same', body: 'z'.repeat(100_000) }]);
    const diffId = diffIdOf(tar);
    const apply = () => snapshotter.applyLayer({ chainId: diffId, parentChainId: undefined, expectedDiffId: diffId, mediaType: GZIP, source: streamOf(gzip(tar), 512) });
    const [a, b] = await Promise.all([apply(), apply()]);
    expect(a).toEqual(b);
    expect(readdirSync(snapshotter.layout.layersDir).filter((name) => name === diffId.slice(7))).toHaveLength(1);
    expect(await apply()).toEqual(a); // already present: answered from metadata
    await snapshotter.removeLayer(diffId);
    expect(await snapshotter.hasLayer(diffId)).toBe(false);
  });

  it('removes layers top-down only, together with their short links', async () => {
    const base = await apply(undefined, [{ name: 'base', body: 'b' }]);
    const child = await apply(base, [{ name: 'child', body: 'c' }]);
    await expect(snapshotter.removeLayer(base)).rejects.toThrow(/is the parent of/);
    const links = readdirSync(snapshotter.layout.linksDir).length;
    await snapshotter.removeLayer(child);
    await snapshotter.removeLayer(base);
    expect(readdirSync(snapshotter.layout.linksDir)).toHaveLength(links - 2);
    await expect(snapshotter.layerSize(base)).rejects.toThrow(/not found/);
  });

  it('cleans temp dirs and dangling links left by a crash when constructed', async () => {
    mkdirSync(join(snapshotter.layout.tmpDir, 'half-unpacked/diff'), { recursive: true });
    symlinkSync('../layers/deadbeef/diff', join(snapshotter.layout.linksDir, 'DANGLING0000'));
    const restarted = new OverlaySnapshotter({ root });
    await restarted.ready();
    expect(readdirSync(restarted.layout.tmpDir)).toEqual([]);
    expect(existsSync(join(restarted.layout.linksDir, 'DANGLING0000'))).toBe(false);
    expect(await restarted.hasLayer(top)).toBe(true);
  });

  it('gives new containers dockerd\'s init layer under their own changes, and the image its say', async () => {
    const withInit = new OverlaySnapshotter({ root, initLayer: true });
    const image = await apply(undefined, [
      { name: 'etc/', type: 'directory', mode: 0o750, uid: 7 },
      { name: 'etc/hosts', body: 'image hosts' },
      { name: 'etc/mtab', body: 'a regular file' },
      { name: 'proc/', type: 'directory', mode: 0o555 },
      { name: '.dockerenv', type: 'symlink', linkname: '/etc/passwd' },
    ], gzip, GZIP, withInit);
    const merged = await mount('init1', image, withInit);
    const dockerenv = lstatSync(join(merged, '.dockerenv'));
    expect([dockerenv.isFile(), dockerenv.size, dockerenv.mode & 0o7777]).toEqual([true, 0, 0o755]);
    expect(lstatSync(join(merged, 'etc/mtab')).isSymbolicLink()).toBe(true);
    expect(readlinkSync(join(merged, 'etc/mtab'))).toBe('/proc/mounts');
    // Mount points replace what the image had; directories keep the image's owner and mode.
    expect(readFileSync(join(merged, 'etc/hosts'), 'utf8')).toBe('');
    expect([lstatSync(join(merged, 'etc')).mode & 0o7777, lstatSync(join(merged, 'etc')).uid]).toEqual([0o750, 7]);
    expect(lstatSync(join(merged, 'proc')).mode & 0o7777).toBe(0o555);
    for (const dir of ['dev/pts', 'dev/shm', 'sys']) expect(lstatSync(join(merged, dir)).isDirectory()).toBe(true);
    // None of it is the container's own change, and a remount keeps the same layer.
    expect(readdirSync(withInit.containerUpperDir('init1'))).toEqual([]);
    await withInit.unmountContainer('init1');
    expect(readlinkSync(join(await mount('init1', image, withInit), 'etc/mtab'))).toBe('/proc/mounts');
    expect(readdirSync(withInit.layout.containerDir('init1')).sort()).toEqual(['init', 'merged', 'upper', 'work']);
    await withInit.removeContainer('init1');
  });

  it('makes the init layer once per image: its containers share it, and one removed leaves the others whole', async () => {
    const withInit = new OverlaySnapshotter({ root, initLayer: true });
    const image = await apply(undefined, [{ name: 'etc/', type: 'directory', mode: 0o755 }, { name: 'etc/mtab', body: 'file' }], gzip, GZIP, withInit);
    const [a, b] = await Promise.all([mount('shared-a', image, withInit), mount('shared-b', image, withInit)]);
    const shared = join(withInit.layout.layerDir(image), 'init');
    for (const id of ['shared-a', 'shared-b']) {
      expect(lstatSync(join(withInit.layout.containerDir(id), 'init')).isSymbolicLink()).toBe(true);
      expect(realpathSync(join(withInit.layout.containerDir(id), 'init'))).toBe(realpathSync(shared));
    }
    expect(readdirSync(withInit.layout.tmpDir)).toEqual([]);
    // Each container's changes stay its own, over the shared layer.
    writeFileSync(join(a, 'etc/hosts'), 'a only');
    expect(readFileSync(join(b, 'etc/hosts'), 'utf8')).toBe('');
    await withInit.removeContainer('shared-a');
    expect(existsSync(shared)).toBe(true);
    await withInit.unmountContainer('shared-b');
    const again = await mount('shared-b', image, withInit);
    expect(readlinkSync(join(again, 'etc/mtab'))).toBe('/proc/mounts');
    expect(lstatSync(join(again, '.dockerenv')).isFile()).toBe(true);
    await withInit.removeContainer('shared-b');
  });

  it('mounts an image deeper than absolute lowerdir paths would allow', async () => {
    const deep = new OverlaySnapshotter({ root, syncLayers: false });
    let parent: string | undefined;
    for (let i = 0; i < 120; i++) parent = await apply(parent, [{ name: `layer${i}`, body: String(i) }], gzip, GZIP, deep);
    const merged = await mount('deep', parent, deep);
    expect(readdirSync(merged)).toHaveLength(120);
    expect(readFileSync(join(merged, 'layer0'), 'utf8')).toBe('0');
    await deep.removeContainer('deep');
  });
});
