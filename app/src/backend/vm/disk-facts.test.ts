// Disk facts against real disks: a qcow2 made by qemu-img (virtual size from its header, a few
// hundred KiB used) and a sparse raw file (size as truncated, almost nothing used until written).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { diskFacts } from './disk-facts.ts';
import { findQemuImg } from './vm-host.ts';

const dir = mkdtempSync(join(tmpdir(), 'berth-disk-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('disk facts', () => {
  it('a qcow2 reports its virtual size and the little it takes', () => {
    const qemuImg = findQemuImg();
    expect(qemuImg, 'qemu-img (qemu-utils) is installed by the bootstrap').toBeTruthy();
    const path = join(dir, 'data.qcow2');
    const made = spawnSync(qemuImg!, ['create', '-q', '-f', 'qcow2', path, String(5 * 1024 ** 3)], { encoding: 'utf8' });
    expect(made.status, made.stderr).toBe(0);
    const facts = diskFacts(path)!;
    expect(facts.sizeBytes).toBe(5 * 1024 ** 3);
    expect(facts.usedBytes).toBeGreaterThan(0);
    expect(facts.usedBytes).toBeLessThan(10 * 1024 ** 2);
  });

  it('a sparse raw disk reports its size, and what is written counts as used', () => {
    const path = join(dir, 'data.raw');
    writeFileSync(path, '');
    truncateSync(path, 2 * 1024 ** 3);
    const empty = diskFacts(path)!;
    expect(empty.sizeBytes).toBe(2 * 1024 ** 3);
    expect(empty.usedBytes).toBeLessThan(1024 ** 2);
    writeFileSync(path, Buffer.alloc(4 * 1024 ** 2, 1), { flag: 'r+' });
    expect(diskFacts(path)!.usedBytes).toBeGreaterThanOrEqual(4 * 1024 ** 2);
  });

  it('no disk yet: no facts', () => {
    expect(diskFacts(join(dir, 'none.qcow2'))).toBeUndefined();
  });
});
