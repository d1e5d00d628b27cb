// Where the guest image is found: BERTH_VM_ASSETS, else the packaged app's resources/vm
// (electron-builder.yml), else this checkout's dist/vm/<arch>; missing files are named.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findAssets, findQemu } from './vm-host.ts';

const root = mkdtempSync(join(tmpdir(), 'berth-vm-host-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const REPO_DIST = resolve(import.meta.dirname, '../../../../dist/vm/amd64');

function guest(dir: string): string {
  mkdirSync(dir, { recursive: true });
  for (const name of ['vmlinuz', 'initramfs.img', 'system.img']) writeFileSync(join(dir, name), '');
  return dir;
}

describe('findAssets', () => {
  it('a packaged app uses resources/vm', () => {
    const resources = join(root, 'resources');
    const vm = guest(join(resources, 'vm'));
    expect(findAssets('amd64', {}, resources)).toBe(vm);
  });

  it('BERTH_VM_ASSETS wins over everything', () => {
    const own = guest(join(root, 'own'));
    expect(findAssets('amd64', { BERTH_VM_ASSETS: own }, join(root, 'resources'))).toBe(own);
  });

  it('resources without a guest (a development run of Electron) fall back to the checkout\'s dist/vm', () => {
    const empty = join(root, 'empty-resources');
    mkdirSync(empty, { recursive: true });
    let found: string;
    try {
      found = findAssets('amd64', {}, empty);
    } catch (error) {
      // No guest built in this checkout: the message names the checkout's directory.
      expect((error as Error).message).toContain(REPO_DIST);
      return;
    }
    expect(found).toBe(REPO_DIST);
  });

  it('names what is missing and how to build it', () => {
    const partial = join(root, 'partial');
    mkdirSync(partial);
    writeFileSync(join(partial, 'vmlinuz'), '');
    expect(() => findAssets('arm64', { BERTH_VM_ASSETS: partial })).toThrow(/missing in .*partial \(initramfs\.img, system\.img\): run `npm run dist:vm arm64`/);
  });
});

describe('findQemu', () => {
  const exe = (dir: string) => {
    mkdirSync(dir, { recursive: true });
    const path = join(dir, 'qemu-system-x86_64');
    writeFileSync(path, '', { mode: 0o755 });
    return path;
  };

  it('QEMU bundled in resources/qemu wins over PATH; BERTH_QEMU over both', () => {
    const onPath = exe(join(root, 'path-bin'));
    const bundled = exe(join(root, 'qemu-resources', 'qemu'));
    expect(findQemu('amd64', { PATH: join(root, 'path-bin') }, join(root, 'no-resources'))).toBe(onPath);
    expect(findQemu('amd64', { PATH: join(root, 'path-bin') }, join(root, 'qemu-resources'))).toBe(bundled);
    expect(findQemu('amd64', { PATH: join(root, 'path-bin'), BERTH_QEMU: onPath }, join(root, 'qemu-resources'))).toBe(onPath);
  });

  it('none anywhere: a message that says how to get it', () => {
    expect(() => findQemu('amd64', { PATH: join(root, 'nowhere') }, undefined)).toThrow(/qemu-system-x86_64 was not found on PATH \(install QEMU/);
  });
});
