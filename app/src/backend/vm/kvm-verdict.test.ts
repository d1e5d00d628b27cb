import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readKvmVerdict, writeKvmVerdict } from './kvm-verdict.ts';

describe('KVM verdict', () => {
  const homes: string[] = [];
  const home = () => {
    const dir = mkdtempSync(join(tmpdir(), 'berth-kvm-verdict-'));
    homes.push(dir);
    return dir;
  };
  afterEach(() => {
    for (const dir of homes.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('reads back what was written for the same QEMU, private, with no temp file left', () => {
    const dir = home();
    writeKvmVerdict(dir, '/usr/bin/qemu-system-x86_64', false);
    expect(readKvmVerdict(dir, '/usr/bin/qemu-system-x86_64')).toMatchObject({ works: false });
    expect(readdirSync(dir)).toEqual(['kvm-verdict.json']);
    expect(statSync(join(dir, 'kvm-verdict.json')).mode & 0o777).toBe(0o600);
  });

  it('asks again for another QEMU binary, and for an unreadable or absent file', () => {
    const dir = home();
    expect(readKvmVerdict(dir, '/usr/bin/qemu-system-x86_64')).toBeUndefined();
    writeKvmVerdict(dir, '/usr/bin/qemu-system-x86_64', true);
    expect(readKvmVerdict(dir, '/opt/qemu/bin/qemu-system-x86_64')).toBeUndefined();
    writeFileSync(join(dir, 'kvm-verdict.json'), '{"works": tr');
    expect(readKvmVerdict(dir, '/usr/bin/qemu-system-x86_64')).toBeUndefined();
  });
});
