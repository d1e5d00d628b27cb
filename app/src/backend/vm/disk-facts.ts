// The VM's data disk as the host sees it: the bytes it takes (it is sparse, and qcow2 grows as the
// guest writes) and its size as the guest sees it (qcow2: the virtual size in its header).
import { closeSync, openSync, readSync, statSync } from 'node:fs';

export interface DiskFacts {
  usedBytes: number;
  sizeBytes: number;
}

/** qcow2 header (QEMU docs/interop/qcow2.txt): magic "QFI\xfb" at 0, virtual size (u64 BE) at 24. */
function qcow2VirtualSize(path: string): number | undefined {
  const fd = openSync(path, 'r');
  try {
    const header = Buffer.alloc(32);
    if (readSync(fd, header, 0, 32, 0) < 32 || header.readUInt32BE(0) !== 0x514649fb) return undefined;
    return Number(header.readBigUInt64BE(24));
  } finally {
    closeSync(fd);
  }
}

export function diskFacts(path: string): DiskFacts | undefined {
  try {
    const stat = statSync(path);
    // st_blocks counts 512-byte units whatever the filesystem's block size (stat(2)).
    const usedBytes = stat.blocks * 512;
    const sizeBytes = path.endsWith('.qcow2') ? qcow2VirtualSize(path) ?? stat.size : stat.size;
    return { usedBytes, sizeBytes };
  } catch {
    return undefined;
  }
}
