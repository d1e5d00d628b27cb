// Capability sets the way dockerd computes them (moby daemon/pkg/oci/caps): a default set,
// adjusted by HostConfig.CapAdd/CapDrop, or everything the engine holds when privileged.
import { invalid } from '../../../core/errors.ts';

/** Every capability Linux defines, in bit order (capabilities(7); bit 40 since Linux 5.9). */
export const KNOWN_CAPABILITIES: readonly string[] = [
  'CAP_CHOWN', 'CAP_DAC_OVERRIDE', 'CAP_DAC_READ_SEARCH', 'CAP_FOWNER', 'CAP_FSETID', 'CAP_KILL',
  'CAP_SETGID', 'CAP_SETUID', 'CAP_SETPCAP', 'CAP_LINUX_IMMUTABLE', 'CAP_NET_BIND_SERVICE',
  'CAP_NET_BROADCAST', 'CAP_NET_ADMIN', 'CAP_NET_RAW', 'CAP_IPC_LOCK', 'CAP_IPC_OWNER',
  'CAP_SYS_MODULE', 'CAP_SYS_RAWIO', 'CAP_SYS_CHROOT', 'CAP_SYS_PTRACE', 'CAP_SYS_PACCT',
  'CAP_SYS_ADMIN', 'CAP_SYS_BOOT', 'CAP_SYS_NICE', 'CAP_SYS_RESOURCE', 'CAP_SYS_TIME',
  'CAP_SYS_TTY_CONFIG', 'CAP_MKNOD', 'CAP_LEASE', 'CAP_AUDIT_WRITE', 'CAP_AUDIT_CONTROL',
  'CAP_SETFCAP', 'CAP_MAC_OVERRIDE', 'CAP_MAC_ADMIN', 'CAP_SYSLOG', 'CAP_WAKE_ALARM',
  'CAP_BLOCK_SUSPEND', 'CAP_AUDIT_READ', 'CAP_PERFMON', 'CAP_BPF', 'CAP_CHECKPOINT_RESTORE',
];

/** Docker's default set for unprivileged containers (CapEff 00000000a80425fb). */
export const DEFAULT_CAPABILITIES: readonly string[] = [
  'CAP_CHOWN', 'CAP_DAC_OVERRIDE', 'CAP_FSETID', 'CAP_FOWNER', 'CAP_MKNOD', 'CAP_NET_RAW',
  'CAP_SETGID', 'CAP_SETUID', 'CAP_SETFCAP', 'CAP_SETPCAP', 'CAP_NET_BIND_SERVICE',
  'CAP_SYS_CHROOT', 'CAP_KILL', 'CAP_AUDIT_WRITE',
];

const ALL = 'ALL';

/**
 * Upper-cases and CAP_-prefixes CapAdd/CapDrop entries ("sys_admin" → "CAP_SYS_ADMIN"), keeping
 * the "ALL" keyword. Like dockerd, an unknown name is an invalid parameter, and a known one the
 * engine does not hold (e.g. CAP_SYS_RESOURCE inside a restricted sandbox) is refused too rather
 * than failing later inside runc.
 */
export function normalizeCapabilities(names: readonly string[] | null | undefined, available: readonly string[]): string[] {
  const out: string[] = [];
  for (const raw of names ?? []) {
    let name = raw.trim().toUpperCase();
    if (name === ALL) {
      out.push(ALL);
      continue;
    }
    if (!name.startsWith('CAP_')) name = `CAP_${name}`;
    if (!KNOWN_CAPABILITIES.includes(name)) throw invalid(`unknown capability: "${name}"`);
    if (!available.includes(name)) {
      throw invalid(`capability not supported by your kernel or not available in the current environment: "${name}"`);
    }
    out.push(name);
  }
  return out;
}

/**
 * The container's capability list: privileged → all the engine holds; otherwise the default set
 * minus CapDrop plus CapAdd, where CapAdd ALL wins over everything but CapDrop, and CapDrop ALL
 * leaves exactly CapAdd (moby TweakCapabilities semantics).
 */
export function containerCapabilities(options: {
  capAdd?: readonly string[] | null;
  capDrop?: readonly string[] | null;
  privileged: boolean;
  available: readonly string[];
}): string[] {
  const { available } = options;
  if (options.privileged) return [...available];
  const drop = normalizeCapabilities(options.capDrop, available);
  const add = normalizeCapabilities(options.capAdd, available);
  let caps: string[];
  if (add.includes(ALL)) caps = available.filter((c) => !drop.includes(c));
  else if (drop.includes(ALL)) caps = add;
  else caps = [...DEFAULT_CAPABILITIES.filter((c) => !drop.includes(c)), ...add];
  return [...new Set(caps)];
}

/**
 * The OCI `process.capabilities` object. Inheritable stays empty since CVE-2022-24769 (Docker
 * 20.10.14 / containerd 1.6.2 stopped filling it), and ambient is never set, so a non-root user
 * inside gets no capabilities across execve, as with Docker.
 */
export function capabilitySets(caps: readonly string[]) {
  return { bounding: [...caps], effective: [...caps], permitted: [...caps] };
}

/** Parses a /proc/<pid>/status capability mask ("000001ffffffffff") into CAP_ names. */
export function capabilitiesFromMask(hex: string): string[] {
  const mask = BigInt(`0x${hex.trim()}`);
  return KNOWN_CAPABILITIES.filter((_, bit) => (mask >> BigInt(bit)) & 1n);
}

/** The inverse: the mask /proc/<pid>/status shows for a capability list (CapEff in tests). */
export function capabilityMask(caps: readonly string[]): string {
  let mask = 0n;
  for (const c of caps) {
    const bit = KNOWN_CAPABILITIES.indexOf(c);
    if (bit >= 0) mask |= 1n << BigInt(bit);
  }
  return mask.toString(16).padStart(16, '0');
}
