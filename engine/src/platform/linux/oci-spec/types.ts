// The subset of the OCI runtime spec (config.json, runtime-spec v1.0.2 as runc 1.1 reads it) that
// Berth writes. Field names are the spec's; optional fields stay absent rather than null so the
// JSON runc reads is what the spec's schema expects.
// https://github.com/opencontainers/runtime-spec/blob/v1.0.2/config.md

export interface OciMount {
  destination: string;
  type?: string;
  source?: string;
  options?: string[];
}

export interface OciUser {
  uid: number;
  gid: number;
  additionalGids?: number[];
}

export interface OciCapabilities {
  bounding: string[];
  effective: string[];
  permitted: string[];
  inheritable?: string[];
  ambient?: string[];
}

export interface OciRlimit {
  type: string;
  /** A bigint only for RLIM_INFINITY (2^64-1); write the spec with specToJson. */
  soft: number | bigint;
  hard: number | bigint;
}

export interface OciProcess {
  terminal: boolean;
  consoleSize?: { height: number; width: number };
  user: OciUser;
  args: string[];
  env: string[];
  cwd: string;
  capabilities: OciCapabilities;
  rlimits: OciRlimit[];
  noNewPrivileges: boolean;
  oomScoreAdj?: number;
  apparmorProfile?: string;
}

export interface OciNamespace {
  type: 'pid' | 'network' | 'mount' | 'ipc' | 'uts' | 'user' | 'cgroup';
  path?: string;
}

export interface OciDeviceRule {
  allow: boolean;
  type?: 'a' | 'c' | 'b';
  major?: number;
  minor?: number;
  access?: string;
}

export interface OciDevice {
  path: string;
  type: 'c' | 'b' | 'p' | 'u';
  major: number;
  minor: number;
  fileMode?: number;
  uid?: number;
  gid?: number;
}

export interface OciResources {
  devices: OciDeviceRule[];
  memory?: { limit?: number; reservation?: number; swap?: number; disableOOMKiller?: boolean };
  cpu?: { shares?: number; quota?: number; period?: number; cpus?: string };
  pids?: { limit: number };
}

export interface OciSeccompArg {
  index: number;
  value: number;
  valueTwo?: number;
  op: 'SCMP_CMP_NE' | 'SCMP_CMP_LT' | 'SCMP_CMP_LE' | 'SCMP_CMP_EQ' | 'SCMP_CMP_GE' | 'SCMP_CMP_GT' | 'SCMP_CMP_MASKED_EQ';
}

export interface OciSeccompSyscall {
  names: string[];
  action: string;
  errnoRet?: number;
  args?: OciSeccompArg[];
}

export interface OciSeccomp {
  defaultAction: string;
  defaultErrnoRet?: number;
  architectures?: string[];
  syscalls: OciSeccompSyscall[];
}

export interface OciLinux {
  namespaces: OciNamespace[];
  devices?: OciDevice[];
  resources: OciResources;
  cgroupsPath: string;
  sysctl?: Record<string, string>;
  seccomp?: OciSeccomp;
  maskedPaths?: string[];
  readonlyPaths?: string[];
}

export interface OciSpec {
  ociVersion: string;
  process: OciProcess;
  root: { path: string; readonly: boolean };
  hostname?: string;
  domainname?: string;
  mounts: OciMount[];
  linux: OciLinux;
}

/** A user as the kernel sees it: what `resolveUser` returns and `process.user` takes. */
export interface ResolvedUser {
  uid: number;
  gid: number;
  /** Supplementary groups. Docker puts the primary gid first, then the passwd/group matches. */
  additionalGids: number[];
}

/** Facts about the host the spec depends on; `probeHost()` reads them, tests pass their own. */
export interface HostFacts {
  /** `process.arch` of the engine (seccomp architectures and arch-specific syscalls follow it). */
  arch: string;
  /** Kernel version [major, minor] (some seccomp rules need a minimum kernel). */
  kernel: [number, number];
  /** True on a unified (cgroup v2 only) hierarchy. */
  cgroupV2: boolean;
  /** Whether the memory controller accounts swap (memsw files on v1, memory.swap.max on v2). */
  swapAccounting: boolean;
  /** Capabilities (CAP_ names) in the engine's bounding set: what "ALL" and privileged grant. */
  capabilities: string[];
  /** Per-CPU thermal_throttle directories present on this host (masked, GHSA-6fw5-f8r9-fgfm). */
  thermalThrottlePaths: string[];
  /** Docker's default network sysctls that exist on this kernel. */
  netSysctls: string[];
  /** The engine's own RLIMIT_NOFILE hard limit and fs.nr_open, to keep the default raisable. */
  nofileHard: number;
  nrOpen: number;
}
