// `POST /containers/create` body: Docker's ContainerConfig with HostConfig and NetworkingConfig
// embedded (API spec "ContainerCreateRequest"), validated and filled with dockerd's defaults.
import * as v from 'valibot';
import { invalid } from '../../../core/errors.ts';
import type { ContainerConfig, EndpointSettings, HostConfig, MountSpec } from '../../../core/container-types.ts';
import { resourceFields, restartPolicy } from './resource-fields.ts';
import { ciObject, int, jsonMap, parseBody, strSlice, stringArray, stringMap } from '../../validation.ts';

/** Docker's map[string]struct{} (ExposedPorts, Volumes): only the keys mean anything, so values
 * (null included, as Go decodes it) become {} here and nothing downstream stores what was in them. */
const keySet = v.nullish(jsonMap(v.pipe(v.nullable(v.looseObject({})), v.transform((): object => ({})))));

const healthcheck = ciObject({
  Test: stringArray,
  Interval: v.optional(int),
  Timeout: v.optional(int),
  StartPeriod: v.optional(int),
  StartInterval: v.optional(int),
  Retries: v.optional(int),
});

const mountSpec = ciObject({
  Type: v.picklist(['bind', 'volume', 'tmpfs', 'npipe', 'cluster']),
  Source: v.optional(v.string()),
  Target: v.string('Target is required'),
  ReadOnly: v.optional(v.boolean()),
  Consistency: v.optional(v.string()),
  BindOptions: v.nullish(ciObject({ Propagation: v.optional(v.string()), NonRecursive: v.optional(v.boolean()), CreateMountpoint: v.optional(v.boolean()) })),
  VolumeOptions: v.nullish(ciObject({
    NoCopy: v.optional(v.boolean()),
    Labels: stringMap,
    DriverConfig: v.nullish(ciObject({ Name: v.optional(v.string()), Options: stringMap })),
    Subpath: v.optional(v.string()),
  })),
  TmpfsOptions: v.nullish(ciObject({ SizeBytes: v.optional(int), Mode: v.optional(int), Options: v.nullish(v.array(v.array(v.string()))) })),
});

const endpointSettings = ciObject({
  IPAMConfig: v.nullish(ciObject({ IPv4Address: v.optional(v.string()), IPv6Address: v.optional(v.string()) })),
  Links: stringArray,
  Aliases: stringArray,
  MacAddress: v.optional(v.string()),
  DriverOpts: stringMap,
});

const hostConfig = ciObject({
  Binds: stringArray,
  Mounts: v.nullish(v.array(mountSpec)),
  VolumesFrom: stringArray,
  PublishAllPorts: v.optional(v.boolean()),
  Links: stringArray,
  NetworkMode: v.optional(v.string()),
  PortBindings: v.nullish(jsonMap(v.nullable(v.array(ciObject({ HostIp: v.optional(v.string()), HostPort: v.optional(v.string()) }))))),
  RestartPolicy: v.optional(restartPolicy),
  AutoRemove: v.optional(v.boolean()),
  CapAdd: stringArray,
  CapDrop: stringArray,
  Dns: stringArray,
  DnsOptions: stringArray,
  DnsSearch: stringArray,
  ExtraHosts: stringArray,
  Init: v.nullish(v.boolean()),
  Privileged: v.optional(v.boolean()),
  ReadonlyRootfs: v.optional(v.boolean()),
  SecurityOpt: stringArray,
  Tmpfs: stringMap,
  ShmSize: v.optional(int),
  Sysctls: stringMap,
  PidMode: v.optional(v.string()),
  UTSMode: v.optional(v.string()),
  GroupAdd: stringArray,
  OomScoreAdj: v.optional(int),
  Runtime: v.optional(v.string()),
  Devices: v.nullish(v.array(ciObject({ PathOnHost: v.string(), PathInContainer: v.optional(v.string()), CgroupPermissions: v.optional(v.string()) }))),
  ...resourceFields,
  OomKillDisable: v.nullish(v.boolean()),
  Ulimits: v.nullish(v.array(ciObject({ Name: v.string(), Soft: int, Hard: int }))),
  ConsoleSize: v.nullish(v.array(int)),
  LogConfig: v.optional(ciObject({ Type: v.optional(v.string()), Config: stringMap })),
});

const createBody = ciObject({
  Hostname: v.optional(v.string()),
  Domainname: v.optional(v.string()),
  User: v.optional(v.string()),
  AttachStdin: v.optional(v.boolean()),
  AttachStdout: v.optional(v.boolean()),
  AttachStderr: v.optional(v.boolean()),
  ExposedPorts: keySet,
  Tty: v.optional(v.boolean()),
  OpenStdin: v.optional(v.boolean()),
  StdinOnce: v.optional(v.boolean()),
  Env: stringArray,
  Cmd: strSlice,
  Healthcheck: v.nullish(healthcheck),
  Image: v.string('Image is required'),
  Volumes: keySet,
  WorkingDir: v.optional(v.string()),
  Entrypoint: strSlice,
  NetworkDisabled: v.optional(v.boolean()),
  OnBuild: stringArray,
  Labels: stringMap,
  StopSignal: v.optional(v.string()),
  StopTimeout: v.nullish(int),
  Shell: stringArray,
  MacAddress: v.optional(v.string()),
  HostConfig: v.nullish(hostConfig),
  NetworkingConfig: v.nullish(ciObject({ EndpointsConfig: v.nullish(jsonMap(v.nullable(endpointSettings))) })),
});

export interface CreateRequest {
  config: ContainerConfig;
  hostConfig: HostConfig;
  /** Whether the client gave Entrypoint/Cmd at all (null vs absent matters for image defaults). */
  entrypointGiven: boolean;
  cmdGiven: boolean;
  /** Endpoints asked for per network (`--network`, `--ip`, `--network-alias`). */
  endpoints: Record<string, EndpointSettings>;
}

export function parseCreateBody(body: unknown): CreateRequest {
  const b = parseBody(createBody, body, 'container config');
  if (b.Image.trim() === '') throw invalid('invalid container config: Image must not be empty');
  const h = b.HostConfig ?? {};
  const env = b.Env ?? [];
  for (const entry of env) {
    if (entry === '' || entry.startsWith('=')) throw invalid(`invalid environment variable: ${JSON.stringify(entry)}`);
  }
  const config: ContainerConfig = {
    Hostname: b.Hostname ?? '',
    Domainname: b.Domainname ?? '',
    User: b.User ?? '',
    AttachStdin: b.AttachStdin ?? false,
    AttachStdout: b.AttachStdout ?? false,
    AttachStderr: b.AttachStderr ?? false,
    ExposedPorts: b.ExposedPorts ?? undefined,
    Tty: b.Tty ?? false,
    OpenStdin: b.OpenStdin ?? false,
    StdinOnce: b.StdinOnce ?? false,
    Env: env,
    Cmd: b.Cmd ?? null,
    Healthcheck: b.Healthcheck ? { ...b.Healthcheck, Test: b.Healthcheck.Test ?? undefined } : undefined,
    Image: b.Image,
    Volumes: b.Volumes ?? null,
    WorkingDir: b.WorkingDir ?? '',
    Entrypoint: b.Entrypoint ?? null,
    OnBuild: b.OnBuild ?? null,
    Labels: b.Labels ?? {},
    StopSignal: b.StopSignal,
    StopTimeout: b.StopTimeout ?? undefined,
    Shell: b.Shell ?? undefined,
    ...(b.MacAddress ? { MacAddress: b.MacAddress } : {}),
  };
  const hostConfig: HostConfig = {
    Binds: h.Binds ?? null,
    Mounts: (h.Mounts as MountSpec[] | null | undefined) ?? null,
    VolumesFrom: h.VolumesFrom ?? null,
    PublishAllPorts: h.PublishAllPorts ?? false,
    Links: h.Links ?? null,
    NetworkMode: h.NetworkMode || 'default',
    PortBindings: h.PortBindings ?? {},
    RestartPolicy: { Name: h.RestartPolicy?.Name ?? 'no', MaximumRetryCount: h.RestartPolicy?.MaximumRetryCount ?? 0 },
    AutoRemove: h.AutoRemove ?? false,
    CapAdd: h.CapAdd ?? null,
    CapDrop: h.CapDrop ?? null,
    Dns: h.Dns ?? [],
    DnsOptions: h.DnsOptions ?? [],
    DnsSearch: h.DnsSearch ?? [],
    ExtraHosts: h.ExtraHosts ?? null,
    Init: h.Init ?? null,
    Privileged: h.Privileged ?? false,
    ReadonlyRootfs: h.ReadonlyRootfs ?? false,
    SecurityOpt: h.SecurityOpt ?? null,
    Tmpfs: h.Tmpfs ?? undefined,
    ShmSize: h.ShmSize || 64 * 1024 * 1024,
    Sysctls: h.Sysctls ?? undefined,
    PidMode: h.PidMode ?? '',
    UTSMode: h.UTSMode ?? '',
    GroupAdd: h.GroupAdd ?? null,
    OomScoreAdj: h.OomScoreAdj ?? 0,
    Runtime: h.Runtime || 'runc',
    Devices: (h.Devices ?? []).map((d) => ({ PathOnHost: d.PathOnHost, PathInContainer: d.PathInContainer ?? '', CgroupPermissions: d.CgroupPermissions ?? '' })),
    Memory: h.Memory ?? 0,
    MemorySwap: h.MemorySwap ?? 0,
    MemoryReservation: h.MemoryReservation ?? 0,
    NanoCpus: h.NanoCpus ?? 0,
    CpuShares: h.CpuShares ?? 0,
    CpuPeriod: h.CpuPeriod ?? 0,
    CpuQuota: h.CpuQuota ?? 0,
    CpusetCpus: h.CpusetCpus ?? '',
    CpusetMems: h.CpusetMems ?? '',
    PidsLimit: h.PidsLimit ?? null,
    OomKillDisable: h.OomKillDisable ?? null,
    Ulimits: h.Ulimits ?? null,
    ConsoleSize: h.ConsoleSize?.length === 2 ? [h.ConsoleSize[0], h.ConsoleSize[1]] : [0, 0],
    LogConfig: { Type: h.LogConfig?.Type || 'json-file', Config: h.LogConfig?.Config ?? {} },
  };
  const endpoints: Record<string, EndpointSettings> = {};
  for (const [name, settings] of Object.entries(b.NetworkingConfig?.EndpointsConfig ?? {})) endpoints[name] = (settings ?? {}) as EndpointSettings;
  // The CLI sends "Entrypoint": null when the user gave none: null means "use the image's".
  return { config, hostConfig, entrypointGiven: b.Entrypoint != null, cmdGiven: b.Cmd != null, endpoints };
}
