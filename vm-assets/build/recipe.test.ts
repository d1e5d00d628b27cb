// Pure parts of the image recipe: the initramfs archive and the module load order.
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
// @ts-expect-error plain .mjs build script without type declarations (not type-checked)
import { cpioGz } from './cpio.mjs';
// @ts-expect-error plain .mjs build script without type declarations (not type-checked)
import { loadOrder } from './kernel-modules.mjs';

/** Reads a newc archive back: name, mode, mtime, body of each entry. */
function parseNewc(archive: Buffer) {
  const entries = [];
  let at = 0;
  for (;;) {
    expect(archive.subarray(at, at + 6).toString()).toBe('070701');
    const field = (i: number) => parseInt(archive.subarray(at + 6 + i * 8, at + 14 + i * 8).toString(), 16);
    const [mode, mtime, size, nameSize] = [field(1), field(5), field(6), field(11)];
    const nameStart = at + 110;
    const name = archive.subarray(nameStart, nameStart + nameSize - 1).toString();
    const bodyStart = nameStart + nameSize + ((4 - ((110 + nameSize) % 4)) % 4);
    const body = archive.subarray(bodyStart, bodyStart + size);
    if (name === 'TRAILER!!!') return entries;
    entries.push({ name, mode, mtime, body: body.toString() });
    at = bodyStart + size + ((4 - (size % 4)) % 4);
  }
}

describe('initramfs archive', () => {
  const entries = [
    { path: 'bin', type: 'dir' },
    { path: 'bin/busybox', type: 'file', data: Buffer.from('ELF…') },
    { path: 'bin/sh', type: 'symlink', target: 'busybox' },
    { path: 'dev', type: 'dir' },
    { path: 'dev/console', type: 'chardev', mode: 0o600, major: 5, minor: 1 },
    { path: 'init', type: 'file', data: Buffer.from('#!/bin/sh\n') },
  ];

  it('is the same bytes for the same entries, and the kernel format reads back', () => {
    const a = cpioGz(entries, 1735689600);
    expect(cpioGz(entries, 1735689600).equals(a)).toBe(true);
    const back = parseNewc(gunzipSync(a));
    expect(back.map((e) => e.name)).toEqual(entries.map((e) => e.path));
    expect(back.every((e) => e.mtime === 1735689600)).toBe(true);
    expect(back.find((e) => e.name === 'bin/sh')).toMatchObject({ mode: 0o120777, body: 'busybox' });
    expect(back.find((e) => e.name === 'init')).toMatchObject({ mode: 0o100755, body: '#!/bin/sh\n' });
    expect(back.find((e) => e.name === 'dev/console')?.mode).toBe(0o020600);
  });
});

describe('module load order', () => {
  const modules = new Map([
    ['ext4', { path: 'kernel/fs/ext4/ext4.ko', deps: ['crc16', 'mbcache', 'jbd2'] }],
    ['jbd2', { path: 'kernel/fs/jbd2/jbd2.ko', deps: [] }],
    ['mbcache', { path: 'kernel/fs/mbcache.ko', deps: [] }],
    ['crc16', { path: 'kernel/lib/crc16.ko', deps: [] }],
    ['virtio_blk', { path: 'kernel/drivers/block/virtio_blk.ko', deps: ['virtio_ring'] }],
  ]);

  it('loads dependencies first, each once, and skips what is built in', () => {
    const order = loadOrder(modules, new Set(['virtio_ring']), ['virtio-blk', 'ext4', 'jbd2']).map((m: { name: string }) => m.name);
    expect(order).toEqual(['virtio_blk', 'crc16', 'mbcache', 'jbd2', 'ext4']);
  });

  it('fails on a module the kernel does not have', () => {
    expect(() => loadOrder(modules, new Set(), ['nosuch'])).toThrow(/nosuch/);
  });
});
