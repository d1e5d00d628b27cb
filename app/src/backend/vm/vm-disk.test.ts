// The data disk on the host: qemu-img's qcow2 (Debian's qemu-utils, in the test packages) and the
// raw fallback are both sparse, their size reads back from the file, and reset deletes either.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createDisk, deleteDisk, diskAllocatedBytes, diskVirtualBytes, existingDisk } from './vm-disk.ts';
import { prepareHome, vmHome } from './vm-home.ts';

const root = mkdtempSync(join(process.env.BERTH_TEST_TMP ?? tmpdir(), 'berth-vm-disk-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const GiB = 1024 ** 3;

describe('the data disk', () => {
  it('is a qcow2 made by qemu-img: its header says 64 GiB, the file holds a few hundred KiB', () => {
    const home = vmHome(join(root, 'qcow2'));
    prepareHome(home);
    const disk = createDisk(home, 64 * GiB);
    expect(disk).toEqual({ path: home.diskQcow2, format: 'qcow2' });
    expect(diskVirtualBytes(disk)).toBe(64 * GiB);
    expect(diskAllocatedBytes(disk.path)).toBe(statSync(disk.path).blocks * 512);
    expect(diskAllocatedBytes(disk.path)!).toBeLessThan(1024 ** 2);
    // A second start keeps the disk (and its size), whatever size is asked now.
    expect(createDisk(home, 2 * GiB)).toEqual(disk);
    expect(diskVirtualBytes(existingDisk(home)!)).toBe(64 * GiB);
  });

  it('without qemu-img it is a sparse raw file of the size asked', () => {
    const home = vmHome(join(root, 'raw'));
    prepareHome(home);
    const path = process.env.PATH;
    process.env.PATH = '/nonexistent';
    try {
      const disk = createDisk(home, 4 * GiB);
      expect(disk).toEqual({ path: home.diskRaw, format: 'raw' });
      expect(diskVirtualBytes(disk)).toBe(4 * GiB);
      expect(diskAllocatedBytes(disk.path)).toBe(0);
    } finally {
      process.env.PATH = path;
    }
  });

  it('deleteDisk removes it and says whether there was one', () => {
    const home = vmHome(join(root, 'qcow2'));
    expect(deleteDisk(home)).toBe(true);
    expect(existingDisk(home)).toBeUndefined();
    expect(deleteDisk(home)).toBe(false);
  });
});
