// The VM's data disk on the host: created sparse on first start (qcow2 through qemu-img, else a
// sparse raw file), measured for status (what it holds on the host vs the size the guest sees),
// and deleted by `berth vm reset`.
import { closeSync, existsSync, openSync, readSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { findQemuImg } from './vm-host.ts';
import type { VmHome } from './vm-home.ts';

export interface DataDisk {
  path: string;
  format: 'qcow2' | 'raw';
}

/** The disk this home already has, if any (qcow2 preferred: it is what qemu-img makes). */
export function existingDisk(home: VmHome): DataDisk | undefined {
  if (existsSync(home.diskQcow2)) return { path: home.diskQcow2, format: 'qcow2' };
  if (existsSync(home.diskRaw)) return { path: home.diskRaw, format: 'raw' };
  return undefined;
}

/** The existing disk, else a new one of `bytes` (an existing disk keeps the size it was made with). */
export function createDisk(home: VmHome, bytes: number): DataDisk {
  const existing = existingDisk(home);
  if (existing) return existing;
  const qemuImg = findQemuImg();
  if (qemuImg) {
    const made = spawnSync(qemuImg, ['create', '-q', '-f', 'qcow2', home.diskQcow2, String(bytes)], { encoding: 'utf8' });
    if (made.status !== 0) throw new Error(`qemu-img create failed: ${made.stderr}`);
    return { path: home.diskQcow2, format: 'qcow2' };
  }
  // No qemu-img: a sparse raw file takes no space until the guest writes, just the same.
  writeFileSync(home.diskRaw, '', { mode: 0o600 });
  truncateSync(home.diskRaw, bytes);
  return { path: home.diskRaw, format: 'raw' };
}

/** The size the guest sees: a raw file's length, or the qcow2 header's size field (QEMU's
 * docs/interop/qcow2.txt: magic "QFI\xfb" at byte 0, big-endian u64 virtual size at byte 24). */
export function diskVirtualBytes(disk: DataDisk): number | undefined {
  try {
    if (disk.format === 'raw') return statSync(disk.path).size;
    const header = Buffer.alloc(32);
    const fd = openSync(disk.path, 'r');
    try {
      if (readSync(fd, header, 0, 32, 0) < 32) return undefined;
    } finally {
      closeSync(fd);
    }
    if (header.readUInt32BE(0) !== 0x514649fb) return undefined;
    return Number(header.readBigUInt64BE(24));
  } catch {
    return undefined;
  }
}

/** Bytes the disk file really occupies on the host (st_blocks are 512-byte units in POSIX), not
 * its length: a sparse file's holes cost nothing. Undefined where the platform has no st_blocks. */
export function diskAllocatedBytes(path: string): number | undefined {
  try {
    const { blocks } = statSync(path);
    return Number.isFinite(blocks) ? blocks * 512 : undefined;
  } catch {
    return undefined;
  }
}

/** Deletes the data disk (whichever format): images, containers and volumes go with it. */
export function deleteDisk(home: VmHome): boolean {
  const existed = existingDisk(home) !== undefined;
  rmSync(home.diskQcow2, { force: true });
  rmSync(home.diskRaw, { force: true });
  return existed;
}
