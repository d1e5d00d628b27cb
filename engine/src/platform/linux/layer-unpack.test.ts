import { execFileSync } from 'node:child_process';
import { lstatSync, mkdtempSync, readFileSync, readlinkSync, rmSync, statSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unpackLayer } from './layer-unpack.ts';
import { buildTar, diffIdOf, ensureNativeHelper, gzip, streamOf, zstd, type TarEntry } from './layer-test-support.ts';

const GZIP = 'application/vnd.oci.image.layer.v1.tar+gzip';
const DOCKER = 'application/vnd.docker.image.rootfs.diff.tar.gzip';
const ZSTD = 'application/vnd.oci.image.layer.v1.tar+zstd';
const TAR = 'application/vnd.oci.image.layer.v1.tar';

let base: string;
let count = 0;
beforeAll(() => {
  ensureNativeHelper();
  base = mkdtempSync(join(tmpdir(), 'berth-unpack-'));
});
afterAll(() => rmSync(base, { recursive: true, force: true }));

async function unpack(entries: TarEntry[], compress = gzip, mediaType = GZIP) {
  const tar = await buildTar(entries);
  const dest = join(base, `l${count++}`);
  execFileSync('mkdir', [dest]);
  const result = await unpackLayer({ source: streamOf(compress(tar), 1000), mediaType, dest });
  return { dest, tar, result };
}

function xattr(path: string, name: string): string | undefined {
  const out = execFileSync('python3', ['-c', 'import os,sys\ntry: print(os.getxattr(sys.argv[1], sys.argv[2], follow_symlinks=False).decode())\nexcept OSError: print("<none>")', path, name]);
  const value = out.toString().trim();
  return value === '<none>' ? undefined : value;
}

describe('unpackLayer: content and metadata', () => {
  it('unpacks files, directories, symlinks and hardlinks with modes, owners and times, and computes the diff ID', async () => {
    const mtime = new Date(1_600_000_000_000);
    const { dest, tar, result } = await unpack([
      { name: 'etc/', type: 'directory', mode: 0o750, uid: 7, gid: 8, mtime },
      { name: 'etc/hostname', body: 'box\n', mode: 0o640, uid: 1000, gid: 1001, mtime },
      { name: 'bin/su', body: 'suid', mode: 0o4755 },
      { name: 'bin/sh', type: 'symlink', linkname: '/bin/busybox', uid: 5, gid: 6, mtime },
      { name: 'bin/hard', type: 'link', linkname: 'etc/hostname' },
      { name: './readonly/', type: 'directory', mode: 0o555 },
      { name: 'readonly/child', body: 'written before the parent turned read-only' },
    ]);
    expect(result.diffId).toBe(diffIdOf(tar));
    expect(result.size).toBe(4 + 4 + 42);
    expect(result.compression).toBe('gzip');
    const hostname = statSync(join(dest, 'etc/hostname'));
    expect(readFileSync(join(dest, 'etc/hostname'), 'utf8')).toBe('box\n');
    expect([hostname.mode & 0o7777, hostname.uid, hostname.gid, hostname.mtimeMs]).toEqual([0o640, 1000, 1001, mtime.getTime()]);
    const etc = statSync(join(dest, 'etc'));
    expect([etc.mode & 0o7777, etc.uid, etc.gid, etc.mtimeMs]).toEqual([0o750, 7, 8, mtime.getTime()]);
    expect(statSync(join(dest, 'bin/su')).mode & 0o7777).toBe(0o4755);
    const sh = lstatSync(join(dest, 'bin/sh'));
    expect(sh.isSymbolicLink()).toBe(true);
    expect(readlinkSync(join(dest, 'bin/sh'))).toBe('/bin/busybox');
    expect([sh.uid, sh.gid, sh.mtimeMs]).toEqual([5, 6, mtime.getTime()]);
    expect(statSync(join(dest, 'bin/hard')).ino).toBe(hostname.ino);
    expect(statSync(join(dest, 'readonly')).mode & 0o7777).toBe(0o555);
    expect(existsSync(join(dest, 'readonly/child'))).toBe(true);
  });

  it.each([
    ['zstd', zstd, ZSTD],
    ['plain tar', (tar: Buffer) => tar, TAR],
    ['Docker gzip', gzip, DOCKER],
    ['zstd labelled as gzip (magic bytes win)', zstd, GZIP],
    ['plain tar labelled as gzip', (tar: Buffer) => tar, GZIP],
  ])('decompresses %s', async (_label, compress, mediaType) => {
    const { dest, tar, result } = await unpack([{ name: 'a/b.txt', body: 'hello' }], compress, mediaType);
    expect(result.diffId).toBe(diffIdOf(tar));
    expect(readFileSync(join(dest, 'a/b.txt'), 'utf8')).toBe('hello');
  });

  it('streams files bigger than the in-memory threshold intact', async () => {
    const big = Buffer.alloc(5 * 1024 * 1024 + 17);
    for (let i = 0; i < big.length; i++) big[i] = (i * 7 + (i >> 12)) & 0xff;
    const { dest, result } = await unpack([{ name: 'big.bin', body: big, mode: 0o600 }]);
    expect(readFileSync(join(dest, 'big.bin')).equals(big)).toBe(true);
    expect(statSync(join(dest, 'big.bin')).mode & 0o777).toBe(0o600);
    expect(result.size).toBe(big.length);
  });

  it('lets later entries replace earlier ones of the same path, as tar does', async () => {
    const { dest } = await unpack([
      { name: 'x', body: 'file first' },
      { name: 'x/', type: 'directory' },
      { name: 'x/inner', body: 'inside' },
      { name: 'y/deep/f', body: 'gone soon' },
      { name: 'y', body: 'file replaces directory' },
      { name: 'z', body: 'one' },
      { name: 'z', body: 'two' },
    ]);
    expect(readFileSync(join(dest, 'x/inner'), 'utf8')).toBe('inside');
    expect(readFileSync(join(dest, 'y'), 'utf8')).toBe('file replaces directory');
    expect(readFileSync(join(dest, 'z'), 'utf8')).toBe('two');
  });

  it('skips device nodes and fifos with a note', async () => {
    const { dest, result } = await unpack([
      { name: 'dev/null', type: 'character-device' },
      { name: 'dev/sda', type: 'block-device' },
      { name: 'run/fifo', type: 'fifo' },
      { name: 'ok', body: 'still unpacked' },
    ]);
    expect(existsSync(join(dest, 'dev/null'))).toBe(false);
    expect(existsSync(join(dest, 'dev/sda'))).toBe(false);
    expect(existsSync(join(dest, 'run/fifo'))).toBe(false);
    expect(readFileSync(join(dest, 'ok'), 'utf8')).toBe('still unpacked');
    expect(result.skipped).toHaveLength(3);
  });

  it('rejects corrupt and truncated layers with a clear error', async () => {
    const tar = await buildTar([{ name: 'f', body: 'x'.repeat(5000) }]);
    const corrupt = gzip(tar);
    corrupt[corrupt.length - 20] ^= 0xff;
    const dest = join(base, 'corrupt');
    execFileSync('mkdir', [dest]);
    await expect(unpackLayer({ source: streamOf(corrupt), mediaType: GZIP, dest })).rejects.toThrow(/invalid layer/);
    const dest2 = join(base, 'truncated');
    execFileSync('mkdir', [dest2]);
    await expect(unpackLayer({ source: streamOf(tar.subarray(0, 700)), mediaType: TAR, dest: dest2 })).rejects.toThrow(/invalid layer/);
    await expect(unpackLayer({ source: streamOf(tar), mediaType: 'application/vnd.in-toto+json', dest: dest2 })).rejects.toThrow(/unsupported layer media type/);
  });

  it('fails cleanly when the source breaks in the middle of a big file', async () => {
    const tar = await buildTar([{ name: 'big', body: Buffer.alloc(4 * 1024 * 1024, 7) }]);
    const source = streamOf(tar, 256 * 1024);
    let sent = 0;
    source.on('data', (chunk: Buffer) => {
      sent += chunk.length;
      if (sent > 2 * 1024 * 1024) source.destroy(new Error('connection reset'));
    });
    source.pause();
    const dest = join(base, 'broken');
    execFileSync('mkdir', [dest]);
    await expect(unpackLayer({ source, mediaType: TAR, dest })).rejects.toThrow(/^reading layer: connection reset/);
  });

  it('handles long (PAX) names', async () => {
    const name = `${'d'.repeat(120)}/${'f'.repeat(150)}`;
    const { dest } = await unpack([{ name, body: 'long' }]);
    expect(readFileSync(join(dest, name), 'utf8')).toBe('long');
  });

  it('reports compressed bytes read for progress', async () => {
    const tar = await buildTar([{ name: 'f', body: Buffer.alloc(200_000, 1) }]);
    const blob = gzip(tar);
    const dest = join(base, 'progress');
    execFileSync('mkdir', [dest]);
    let last = 0;
    await unpackLayer({ source: streamOf(blob, 100), mediaType: GZIP, dest, onBytes: (n) => (last = n) });
    expect(last).toBe(blob.length);
  });
});

describe('unpackLayer: whiteouts', () => {
  it('turns .wh.<name> into a 0:0 character device and .wh..wh..opq into the opaque xattr', async () => {
    const { dest } = await unpack([
      { name: 'etc/', type: 'directory' },
      { name: 'etc/.wh.motd' },
      { name: 'var/cache/', type: 'directory' },
      { name: 'var/cache/.wh..wh..opq' },
      { name: 'var/cache/new', body: 'fresh' },
      { name: 'same/.wh.file' },
      { name: 'same/file', body: 'this layer ships it: no whiteout needed' },
      { name: 'redo/.wh.dir' },
      { name: 'redo/dir/', type: 'directory' },
      { name: 'redo/dir/x', body: 'only me' },
      { name: 'lib/.wh..wh.plnk' },
    ]);
    const motd = lstatSync(join(dest, 'etc/motd'));
    expect(motd.isCharacterDevice()).toBe(true);
    expect(motd.rdev).toBe(0);
    expect(existsSync(join(dest, 'etc/.wh.motd'))).toBe(false);
    expect(xattr(join(dest, 'var/cache'), 'trusted.overlay.opaque')).toBe('y');
    expect(existsSync(join(dest, 'var/cache/.wh..wh..opq'))).toBe(false);
    expect(readFileSync(join(dest, 'same/file'), 'utf8')).toMatch(/this layer/);
    expect(xattr(join(dest, 'redo/dir'), 'trusted.overlay.opaque')).toBe('y');
    expect(existsSync(join(dest, 'lib/.wh..wh.plnk'))).toBe(false);
  });
});

describe('unpackLayer: hostile archives never write outside the layer', () => {
  const canary = join(tmpdir(), `berth-canary-${process.pid}`);
  afterAll(() => rmSync(canary, { recursive: true, force: true }));

  it('rejects ../ components that climb above the root', async () => {
    await expect(unpack([{ name: '../escape', body: 'x' }])).rejects.toThrow(/escapes the layer root/);
    await expect(unpack([{ name: 'a/../../escape', body: 'x' }])).rejects.toThrow(/escapes the layer root/);
    expect(existsSync(join(base, 'escape'))).toBe(false);
  });

  it('contains absolute paths under the root', async () => {
    const { dest } = await unpack([{ name: `${canary}/abs`, body: 'x' }]);
    expect(existsSync(canary)).toBe(false);
    expect(readFileSync(join(dest, canary, 'abs'), 'utf8')).toBe('x');
  });

  it('does not write through a symlink at the final name', async () => {
    const { dest } = await unpack([
      { name: 'passwd', type: 'symlink', linkname: `${canary}/target` },
      { name: 'passwd', body: 'replaced, not followed' },
    ]);
    expect(existsSync(canary)).toBe(false);
    expect(lstatSync(join(dest, 'passwd')).isFile()).toBe(true);
  });

  it('resolves a symlinked parent inside the root, as a chroot would (absolute and ../ targets)', async () => {
    const { dest } = await unpack([
      { name: 'evil', type: 'symlink', linkname: canary },
      { name: 'evil/passwd', body: 'contained' },
      { name: 'up', type: 'symlink', linkname: '../../../../../..' },
      { name: 'up/tmp/escaped', body: 'contained too' },
      { name: 'chain', type: 'symlink', linkname: 'evil' },
      { name: 'chain/again', body: 'via two links' },
    ]);
    expect(existsSync(canary)).toBe(false);
    expect(readFileSync(join(dest, canary, 'passwd'), 'utf8')).toBe('contained');
    expect(readFileSync(join(dest, 'tmp/escaped'), 'utf8')).toBe('contained too');
    expect(readFileSync(join(dest, canary, 'again'), 'utf8')).toBe('via two links');
    expect(lstatSync(join(dest, 'evil')).isSymbolicLink()).toBe(true);
  });

  it('rejects symlink loops', async () => {
    await expect(
      unpack([
        { name: 'a', type: 'symlink', linkname: 'b' },
        { name: 'b', type: 'symlink', linkname: 'a' },
        { name: 'a/f', body: 'x' },
      ]),
    ).rejects.toThrow(/too many levels/);
  });

  it('rejects hardlinks to files outside the layer', async () => {
    const before = statSync('/etc/passwd').nlink;
    await expect(unpack([{ name: 'pw', type: 'link', linkname: '/etc/passwd' }])).rejects.toThrow(/not in this layer|does not exist/);
    await expect(unpack([{ name: 'pw', type: 'link', linkname: '../../../../etc/passwd' }])).rejects.toThrow(/escapes the layer root/);
    await expect(
      unpack([
        { name: 'hostroot', type: 'symlink', linkname: '/' },
        { name: 'pw', type: 'link', linkname: 'hostroot/etc/passwd' },
      ]),
    ).rejects.toThrow(/not in this layer|does not exist/);
    expect(statSync('/etc/passwd').nlink).toBe(before);
  });

  it('links a hardlink to a symlink itself, never to what it points at', async () => {
    const before = statSync('/etc/passwd').nlink;
    const { dest } = await unpack([
      { name: 'sl', type: 'symlink', linkname: '/etc/passwd' },
      { name: 'hl', type: 'link', linkname: 'sl' },
    ]);
    expect(lstatSync(join(dest, 'hl')).isSymbolicLink()).toBe(true);
    expect(statSync('/etc/passwd').nlink).toBe(before);
  });

  it('puts whiteouts behind a symlinked parent inside the root', async () => {
    const { dest } = await unpack([
      { name: 'evil', type: 'symlink', linkname: canary },
      { name: 'evil/.wh.victim' },
      { name: 'evil/.wh..wh..opq' },
    ]);
    expect(existsSync(canary)).toBe(false);
    expect(lstatSync(join(dest, canary, 'victim')).isCharacterDevice()).toBe(true);
    expect(xattr(join(dest, canary), 'trusted.overlay.opaque')).toBe('y');
  });
});
