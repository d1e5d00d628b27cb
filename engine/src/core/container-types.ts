// The container's desired configuration, in the names Docker uses for it (they are the domain's
// language: clients send them, `inspect` returns them, and the engine persists them as given).
import type { HealthConfig } from './oci-types.ts';

export interface ContainerConfig {
  Hostname: string;
  Domainname: string;
  User: string;
  AttachStdin: boolean;
  AttachStdout: boolean;
  AttachStderr: boolean;
  ExposedPorts?: Record<string, object>;
  Tty: boolean;
  OpenStdin: boolean;
  StdinOnce: boolean;
  Env: string[];
  Cmd: string[] | null;
  Healthcheck?: HealthConfig;
  Image: string;
  Volumes?: Record<string, object> | null;
  WorkingDir: string;
  Entrypoint: string[] | null;
  NetworkDisabled?: boolean;
  OnBuild?: string[] | null;
  Labels: Record<string, string>;
  StopSignal?: string;
  StopTimeout?: number;
  Shell?: string[];
  /** `--mac-address` (API < 1.44 puts it here; the primary network's endpoint gets it). */
  MacAddress?: string;
}

export interface RestartPolicy {
  Name: '' | 'no' | 'always' | 'unless-stopped' | 'on-failure';
  MaximumRetryCount: number;
}

/** `--mount` as the CLI sends it (API "Mount"). */
export interface MountSpec {
  Type: 'bind' | 'volume' | 'tmpfs' | 'npipe' | 'cluster';
  Source?: string;
  Target: string;
  ReadOnly?: boolean;
  Consistency?: string;
  BindOptions?: { Propagation?: string; NonRecursive?: boolean; CreateMountpoint?: boolean };
  VolumeOptions?: { NoCopy?: boolean; Labels?: Record<string, string>; DriverConfig?: { Name?: string; Options?: Record<string, string> }; Subpath?: string };
  TmpfsOptions?: { SizeBytes?: number; Mode?: number; Options?: string[][] };
}

/** A mount as `inspect` shows it (API "MountPoint"), resolved at create. */
export interface MountPoint {
  Type: 'bind' | 'volume' | 'tmpfs';
  Name?: string;
  Source: string;
  Destination: string;
  Driver?: string;
  Mode: string;
  RW: boolean;
  Propagation: string;
  /** Engine-only: an anonymous volume (removed by `rm -v`), and whether to copy image content. */
  Anonymous?: boolean;
  NoCopy?: boolean;
  TmpfsOptions?: MountSpec['TmpfsOptions'];
  /** Engine-only: tmpfs mount data ("size=1m,mode=755") for a `--mount type=tmpfs`. */
  TmpfsData?: string;
  /** Engine-only, binds: create a missing source at start (`-v`, not `--mount`), and bind
   * without recursion (BindOptions.NonRecursive). */
  CreateSource?: boolean;
  NonRecursive?: boolean;
}

/** Per-network endpoint settings (API "EndpointSettings"). */
export interface EndpointSettings {
  IPAMConfig?: { IPv4Address?: string; IPv6Address?: string } | null;
  Links?: string[] | null;
  Aliases?: string[] | null;
  MacAddress?: string;
  NetworkID?: string;
  EndpointID?: string;
  Gateway?: string;
  IPAddress?: string;
  IPPrefixLen?: number;
  IPv6Gateway?: string;
  GlobalIPv6Address?: string;
  GlobalIPv6PrefixLen?: number;
  DriverOpts?: Record<string, string> | null;
  DNSNames?: string[] | null;
}

export type PortMap = Record<string, Array<{ HostIp: string; HostPort: string }> | null>;

export interface NetworkSettings {
  Networks: Record<string, EndpointSettings>;
  /** Ports as bound at the last start (HostPort resolved when "0" or empty was asked for). */
  Ports: PortMap;
  SandboxKey: string;
}

export interface HostConfig {
  Binds?: string[] | null;
  Mounts?: MountSpec[] | null;
  VolumesFrom?: string[] | null;
  PublishAllPorts?: boolean;
  Links?: string[] | null;
  NetworkMode: string;
  PortBindings?: Record<string, Array<{ HostIp?: string; HostPort?: string }> | null>;
  RestartPolicy: RestartPolicy;
  AutoRemove: boolean;
  CapAdd: string[] | null;
  CapDrop: string[] | null;
  Dns?: string[];
  DnsOptions?: string[];
  DnsSearch?: string[];
  ExtraHosts?: string[] | null;
  Init?: boolean | null;
  Privileged: boolean;
  ReadonlyRootfs: boolean;
  SecurityOpt?: string[] | null;
  Tmpfs?: Record<string, string>;
  ShmSize?: number;
  Sysctls?: Record<string, string>;
  /** "" (a namespace of its own), "host", or "container:<id>" (`--pid`). */
  PidMode?: string;
  /** "" or "host" (`--uts`). */
  UTSMode?: string;
  /** Extra groups for the process, names resolved in the container's /etc/group at start. */
  GroupAdd?: string[] | null;
  OomScoreAdj?: number;
  /** The OCI runtime asked for (`--runtime`); "runc" unless said otherwise. */
  Runtime?: string;
  /** Resources (Docker's HostConfig embeds them). 0 means unlimited. */
  Memory: number;
  MemorySwap: number;
  MemoryReservation?: number;
  NanoCpus: number;
  CpuShares: number;
  CpuPeriod: number;
  CpuQuota: number;
  CpusetCpus?: string;
  CpusetMems?: string;
  PidsLimit: number | null;
  OomKillDisable?: boolean | null;
  Ulimits?: Array<{ Name: string; Soft: number; Hard: number }> | null;
  Devices?: Array<{ PathOnHost: string; PathInContainer: string; CgroupPermissions: string }> | null;
  ConsoleSize?: [number, number] | null;
  LogConfig?: { Type: string; Config: Record<string, string> };
}

/** Container states and the moves between them live in state-machine.ts. */
export type ContainerStatus = 'created' | 'running' | 'paused' | 'restarting' | 'removing' | 'exited' | 'dead';

/** State.Health (API spec "Health"), kept by the health monitor while the container runs. */
export interface ContainerHealth {
  Status: 'starting' | 'healthy' | 'unhealthy';
  FailingStreak: number;
  Log: Array<{ Start: string; End: string; ExitCode: number; Output: string }>;
}

/** Written only by services/containers/lifecycle-state.ts, through the state machine (DESIGN.md
 * rule 3); hence readonly. Health is the health monitor's, and never changes Status. */
export interface ContainerState {
  readonly Status: ContainerStatus;
  readonly Pid: number;
  readonly ExitCode: number;
  readonly Error: string;
  readonly StartedAt: string;
  readonly FinishedAt: string;
  readonly OOMKilled: boolean;
  Health?: ContainerHealth;
}

/** Everything the engine persists about one container. */
export interface ContainerRecord {
  Id: string;
  Name: string;
  Created: string;
  Path: string;
  Args: string[];
  Image: string;
  ImageRef: string;
  Config: ContainerConfig;
  HostConfig: HostConfig;
  readonly State: ContainerState;
  RestartCount: number;
  /** Set when the user stopped the container: restart policies and unless-stopped respect it. */
  ManuallyStopped: boolean;
  /** Chain ID of the image's top layer (undefined for an image with no layers). */
  TopChainId?: string;
  /** Mounts resolved at create (volumes, binds, tmpfs). */
  Mounts?: MountPoint[];
  /** Networks and ports: endpoints asked for at create, addresses filled at start. */
  NetworkSettings?: NetworkSettings;
}
