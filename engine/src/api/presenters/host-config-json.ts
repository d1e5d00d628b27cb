// `HostConfig` as `docker inspect` shows it (API spec "HostConfig"): every field dockerd 20.10
// returns, in its order, so templates such as `{{.HostConfig.IpcMode}}` and tools that read the
// raw JSON find them. What the record holds wins; fields the engine does not model show what is in
// effect (a private IPC namespace, runc, the masked /proc paths), which is dockerd's default too.
import type { ContainerRecord } from '../../core/container-types.ts';

/** Host facts the shown defaults depend on. */
export interface HostConfigFacts {
  cgroupVersion: '1' | '2';
  /** The /proc and /sys paths an unprivileged container gets masked or read-only. */
  maskedPaths: readonly string[];
  readonlyPaths: readonly string[];
}

/** Go's `omitempty` fields: left out when nil, empty or false. */
const OMIT_EMPTY = new Set(['StorageOpt', 'Tmpfs', 'Sysctls', 'Mounts', 'Init']);

/** dockerd's field order (api/types/container.HostConfig with Resources embedded). */
const ORDER = [
  'Binds', 'ContainerIDFile', 'LogConfig', 'NetworkMode', 'PortBindings', 'RestartPolicy', 'AutoRemove', 'VolumeDriver',
  'VolumesFrom', 'CapAdd', 'CapDrop', 'CgroupnsMode', 'Dns', 'DnsOptions', 'DnsSearch', 'ExtraHosts', 'GroupAdd', 'IpcMode',
  'Cgroup', 'Links', 'OomScoreAdj', 'PidMode', 'Privileged', 'PublishAllPorts', 'ReadonlyRootfs', 'SecurityOpt', 'StorageOpt',
  'Tmpfs', 'UTSMode', 'UsernsMode', 'ShmSize', 'Sysctls', 'Runtime', 'ConsoleSize', 'Isolation', 'CpuShares', 'Memory',
  'NanoCpus', 'CgroupParent', 'BlkioWeight', 'BlkioWeightDevice', 'BlkioDeviceReadBps', 'BlkioDeviceWriteBps',
  'BlkioDeviceReadIOps', 'BlkioDeviceWriteIOps', 'CpuPeriod', 'CpuQuota', 'CpuRealtimePeriod', 'CpuRealtimeRuntime',
  'CpusetCpus', 'CpusetMems', 'Devices', 'DeviceCgroupRules', 'DeviceRequests', 'KernelMemory', 'KernelMemoryTCP',
  'MemoryReservation', 'MemorySwap', 'MemorySwappiness', 'OomKillDisable', 'PidsLimit', 'Ulimits', 'CpuCount', 'CpuPercent',
  'IOMaximumIOps', 'IOMaximumBandwidth', 'Mounts', 'MaskedPaths', 'ReadonlyPaths', 'Init',
] as const;

/** What dockerd shows for a field the client did not set (the CLI sends `[]` for the device and
 * blkio-weight lists, null for the others). */
const DEFAULTS: Record<string, unknown> = {
  Binds: null, ContainerIDFile: '', NetworkMode: 'default', PortBindings: {}, RestartPolicy: { Name: 'no', MaximumRetryCount: 0 },
  AutoRemove: false, VolumeDriver: '', VolumesFrom: null, CapAdd: null, CapDrop: null, Dns: [], DnsOptions: [], DnsSearch: [],
  ExtraHosts: null, GroupAdd: null, IpcMode: 'private', Cgroup: '', Links: null, OomScoreAdj: 0, PidMode: '', Privileged: false,
  PublishAllPorts: false, ReadonlyRootfs: false, SecurityOpt: null, UTSMode: '', UsernsMode: '', ShmSize: 64 * 1024 * 1024,
  Runtime: 'runc', ConsoleSize: [0, 0], Isolation: '', CpuShares: 0, Memory: 0, NanoCpus: 0, CgroupParent: '', BlkioWeight: 0,
  BlkioWeightDevice: [], BlkioDeviceReadBps: null, BlkioDeviceWriteBps: null, BlkioDeviceReadIOps: null,
  BlkioDeviceWriteIOps: null, CpuPeriod: 0, CpuQuota: 0, CpuRealtimePeriod: 0, CpuRealtimeRuntime: 0, CpusetCpus: '',
  CpusetMems: '', Devices: [], DeviceCgroupRules: null, DeviceRequests: null, KernelMemory: 0, KernelMemoryTCP: 0,
  MemoryReservation: 0, MemorySwap: 0, MemorySwappiness: null, OomKillDisable: false, PidsLimit: null, Ulimits: null,
  CpuCount: 0, CpuPercent: 0, IOMaximumIOps: 0, IOMaximumBandwidth: 0,
};

function isEmpty(value: unknown): boolean {
  if (value === undefined || value === null || value === false || value === 0 || value === '') return true;
  if (Array.isArray(value)) return value.length === 0;
  return typeof value === 'object' && Object.keys(value).length === 0;
}

/** The log the engine keeps is the one `docker logs` reads (conmon writes it; the engine parses
 * it), which is what a `json-file` driver means to clients: compose and dashboards decide from
 * this name whether logs can be read back. Records made before the name changed say k8s-file. */
function logConfig(config: ContainerRecord['HostConfig']['LogConfig']): { Type: string; Config: Record<string, string> } {
  const type = !config?.Type || config.Type === 'k8s-file' ? 'json-file' : config.Type;
  return { Type: type, Config: config?.Config ?? {} };
}

/** dockerd adds `label=disable` (no SELinux labels) for privileged containers and those sharing
 * the host's IPC or PID namespace, unless the client gave a label option itself. */
function securityOpt(hc: ContainerRecord['HostConfig']): string[] | null {
  const opts = hc.SecurityOpt ?? null;
  const stored = hc as unknown as Record<string, unknown>;
  const hostNs = stored.IpcMode === 'host' || stored.PidMode === 'host';
  if (!(hc.Privileged || hostNs) || opts?.some((o) => /^label[=:]/.test(o))) return opts;
  return [...(opts ?? []), 'label=disable'];
}

export function hostConfigJson(record: ContainerRecord, facts: HostConfigFacts): Record<string, unknown> {
  const hc = record.HostConfig;
  const stored = hc as unknown as Record<string, unknown>;
  // Shown from the record's value, in dockerd's form.
  const derived: Record<string, unknown> = {
    LogConfig: logConfig(hc.LogConfig),
    // dockerd keeps "no limit" (0 or negative) as null.
    PidsLimit: typeof hc.PidsLimit === 'number' && hc.PidsLimit > 0 ? hc.PidsLimit : null,
    OomKillDisable: hc.OomKillDisable ?? false,
    SecurityOpt: securityOpt(hc),
  };
  // What dockerd computes at create when the client leaves them out: a private cgroup namespace
  // on cgroup v2 only; the masked and read-only paths of an unprivileged container (none when
  // privileged, empty lists with `systempaths=unconfined`).
  const unconfined = (hc.SecurityOpt ?? []).some((o) => o.replace(':', '=') === 'systempaths=unconfined');
  const confined = (paths: readonly string[]) => (hc.Privileged ? null : unconfined ? [] : [...paths]);
  const computed: Record<string, unknown> = {
    CgroupnsMode: facts.cgroupVersion === '2' ? 'private' : 'host',
    MaskedPaths: confined(facts.maskedPaths),
    ReadonlyPaths: confined(facts.readonlyPaths),
  };
  const out: Record<string, unknown> = {};
  for (const key of ORDER) {
    const value = key in derived ? derived[key] : stored[key] !== undefined ? stored[key] : key in computed ? computed[key] : DEFAULTS[key];
    // Init is a *bool: only nil is left out.
    if (key === 'Init' ? value == null : OMIT_EMPTY.has(key) && isEmpty(value)) continue;
    out[key] = value;
  }
  // Fields only this engine keeps come last, as they are.
  for (const [key, value] of Object.entries(stored)) if (!(key in out) && !OMIT_EMPTY.has(key) && value !== undefined) out[key] = value;
  return out;
}
