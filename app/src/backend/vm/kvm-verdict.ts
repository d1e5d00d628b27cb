// Whether KVM really runs the guest on this host. /dev/kvm can open fine and still leave the guest
// stuck before its first instruction (nested virtualisation without the features QEMU needs, a
// broken module): nothing short of a boot tells. The first boot under KVM is that test
// (vm-control.ts); its outcome is kept per home for this kernel and this QEMU, so a host where KVM
// fails pays the wait once, and an upgrade of either tries again.
import { readFileSync } from 'node:fs';
import { release } from 'node:os';
import { join } from 'node:path';
import { writeJsonAtomically } from '../atomic-json-file.ts';

export interface KvmVerdict {
  works: boolean;
  /** When it was found out (ms since the epoch). */
  at: number;
}

interface StoredVerdict extends KvmVerdict {
  kernel: string;
  qemu: string;
}

const file = (homeDir: string) => join(homeDir, 'kvm-verdict.json');

/** The verdict for this kernel and this QEMU binary, if one was reached. */
export function readKvmVerdict(homeDir: string, qemu: string): KvmVerdict | undefined {
  try {
    const stored = JSON.parse(readFileSync(file(homeDir), 'utf8')) as StoredVerdict;
    if (stored.kernel !== release() || stored.qemu !== qemu || typeof stored.works !== 'boolean') return undefined;
    return { works: stored.works, at: stored.at };
  } catch {
    return undefined;
  }
}

export function writeKvmVerdict(homeDir: string, qemu: string, works: boolean): void {
  const stored: StoredVerdict = { kernel: release(), qemu, works, at: Date.now() };
  writeJsonAtomically(file(homeDir), stored);
}
