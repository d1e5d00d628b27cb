// The VM's resources as the user asks for them (CLI flags, or the app's settings), checked against the
// host before anything starts: asking for more than the host has is a clear error, not a QEMU that
// fails (or swaps) later.

export interface VmResources {
  cpus: number;
  memoryMiB: number;
  diskBytes: number;
}

export interface HostFacts {
  cpus: number;
  memoryBytes: number;
}

export class VmOptionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'VmOptionError';
  }
}

const UNITS: Record<string, number> = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4 };

/** "2G", "512M", "64GiB", "1073741824" → bytes; a bare number is bytes unless `bareUnit` says. */
export function parseSize(text: string, what: string, bareUnit = 1): number {
  const match = /^(\d+(?:\.\d+)?)\s*([kmgt]?)(?:i?b)?$/i.exec(text.trim());
  if (!match) throw new VmOptionError(`${what}: "${text}" is not a size (for example 2G, 512M)`);
  const unit = match[2].toLowerCase();
  const bytes = Number(match[1]) * (unit ? UNITS[unit] : bareUnit);
  if (!Number.isFinite(bytes) || bytes <= 0) throw new VmOptionError(`${what}: "${text}" must be more than zero`);
  return Math.floor(bytes);
}

export function defaultResources(host: HostFacts): VmResources {
  return { cpus: Math.max(1, Math.floor(host.cpus / 2)), memoryMiB: 2048, diskBytes: 64 * 1024 ** 3 };
}

/** What each resource is called in messages: the CLI's flags by default, the Settings screen's labels there. */
export interface ResourceNames {
  cpus: string;
  memory: string;
  disk: string;
}

const FLAG_NAMES: ResourceNames = { cpus: '--cpus', memory: '--memory', disk: '--disk' };

/** Fills defaults and validates: CPUs and memory within what the host has, sizes sane. */
export function resolveResources(asked: { cpus?: string; memory?: string; disk?: string }, host: HostFacts, names: ResourceNames = FLAG_NAMES): VmResources {
  const resources = defaultResources(host);
  if (asked.cpus !== undefined) {
    if (!/^\d+$/.test(asked.cpus) || Number(asked.cpus) < 1) throw new VmOptionError(`${names.cpus}: "${asked.cpus}" is not a whole number of CPUs`);
    resources.cpus = Number(asked.cpus);
  }
  if (resources.cpus > host.cpus) throw new VmOptionError(`${names.cpus} ${resources.cpus}: this host has only ${host.cpus} CPUs`);
  // A bare memory number means MiB, as QEMU's -m reads it.
  if (asked.memory !== undefined) resources.memoryMiB = Math.floor(parseSize(asked.memory, names.memory, 1024 ** 2) / 1024 ** 2);
  if (resources.memoryMiB < 256) throw new VmOptionError(`${names.memory}: the VM needs at least 256 MiB (asked ${resources.memoryMiB} MiB)`);
  const hostMiB = Math.floor(host.memoryBytes / 1024 ** 2);
  if (resources.memoryMiB >= hostMiB) throw new VmOptionError(`${names.memory} ${resources.memoryMiB} MiB: this host has only ${hostMiB} MiB in all`);
  if (asked.disk !== undefined) resources.diskBytes = parseSize(asked.disk, names.disk, 1024 ** 3);
  if (resources.diskBytes < 1024 ** 3) throw new VmOptionError(`${names.disk}: the data disk needs at least 1 GiB`);
  return resources;
}

/** Resources back as the flags that ask for them (restart keeps what the last boot had). */
export function resourceFlags(resources: VmResources): { cpus: string; memory: string; disk: string } {
  return { cpus: String(resources.cpus), memory: `${resources.memoryMiB}M`, disk: `${Math.ceil(resources.diskBytes / 1024)}K` };
}
