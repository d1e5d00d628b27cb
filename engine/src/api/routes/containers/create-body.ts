// `POST /containers/create` body: Docker's ContainerConfig with HostConfig and NetworkingConfig
// embedded (API spec "ContainerCreateRequest"), validated and filled with dockerd's defaults.
import { z } from 'zod';
import { invalid } from '../../../core/errors.ts';
import type { ContainerConfig, EndpointSettings, HostConfig, MountSpec } from '../../../core/container-types.ts';
import { ciObject, int, parseBody, strSlice, stringArray, stringMap } from '../../validation.ts';

const healthcheck = ciObject({
  Test: stringArray,
  Interval: int.optional(),
  Timeout: int.optional(),
  StartPeriod: int.optional(),
  StartInterval: int.optional(),
  Retries: int.optional(),
});

const mountSpec = ciObject({
  Type: z.enum(['bind', 'volume', 'tmpfs', 'npipe', 'cluster']),
  Source: z.string().optional(),
  Target: z.string({ error: 'Target is required' }),
  ReadOnly: z.boolean().optional(),
  Consistency: z.string().optional(),
  BindOptions: ciObject({ Propagation: z.string().optional(), NonRecursive: z.boolean().optional(), CreateMountpoint: z.boolean().optional() }).nullable().optional(),
  VolumeOptions: ciObject({
    NoCopy: z.boolean().optional(),
    Labels: stringMap,
    DriverConfig: ciObject({ Name: z.string().optional(), Options: stringMap }).nullable().optional(),
    Subpath: z.string().optional(),
  }).nullable().optional(),
  TmpfsOptions: ciObject({ SizeBytes: int.optional(), Mode: int.optional(), Options: z.array(z.array(z.string())).nullable().optional() }).nullable().optional(),
});

const endpointSettings = ciObject({
  IPAMConfig: ciObject({ IPv4Address: z.string().optional(), IPv6Address: z.string().optional() }).nullable().optional(),
  Links: stringArray,
  Aliases: stringArray,
  MacAddress: z.string().optional(),
  DriverOpts: stringMap,
});

const hostConfig = ciObject({
  Binds: stringArray,
  Mounts: z.array(mountSpec).nullable().optional(),
  VolumesFrom: stringArray,
  PublishAllPorts: z.boolean().optional(),
  Links: stringArray,
  NetworkMode: z.string().optional(),
  PortBindings: z.record(z.string(), z.array(ciObject({ HostIp: z.string().optional(), HostPort: z.string().optional() })).nullable()).nullable().optional(),
  RestartPolicy: ciObject({
    Name: z.enum(['', 'no', 'always', 'unless-stopped', 'on-failure']).optional(),
    MaximumRetryCount: int.optional(),
  }).optional(),
  AutoRemove: z.boolean().optional(),
  CapAdd: stringArray,
  CapDrop: stringArray,
  Dns: stringArray,
  DnsOptions: stringArray,
  DnsSearch: stringArray,
  ExtraHosts: stringArray,
  Init: z.boolean().nullable().optional(),
  Privileged: z.boolean().optional(),
  ReadonlyRootfs: z.boolean().optional(),
  SecurityOpt: stringArray,
  Tmpfs: stringMap,
  ShmSize: int.optional(),
  Sysctls: stringMap,
  Memory: int.optional(),
  MemorySwap: int.optional(),
  MemoryReservation: int.optional(),
  NanoCpus: int.optional(),
  CpuShares: int.optional(),
  CpuPeriod: int.optional(),
  CpuQuota: int.optional(),
  CpusetCpus: z.string().optional(),
  PidsLimit: int.nullable().optional(),
  OomKillDisable: z.boolean().nullable().optional(),
  Ulimits: z.array(ciObject({ Name: z.string(), Soft: int, Hard: int })).nullable().optional(),
  ConsoleSize: z.array(int).nullable().optional(),
  LogConfig: ciObject({ Type: z.string().optional(), Config: stringMap }).optional(),
});

const createBody = ciObject({
  Hostname: z.string().optional(),
  Domainname: z.string().optional(),
  User: z.string().optional(),
  AttachStdin: z.boolean().optional(),
  AttachStdout: z.boolean().optional(),
  AttachStderr: z.boolean().optional(),
  ExposedPorts: z.record(z.string(), z.object({}).loose()).nullable().optional(),
  Tty: z.boolean().optional(),
  OpenStdin: z.boolean().optional(),
  StdinOnce: z.boolean().optional(),
  Env: stringArray,
  Cmd: strSlice,
  Healthcheck: healthcheck.nullable().optional(),
  Image: z.string({ error: 'Image is required' }),
  Volumes: z.record(z.string(), z.object({}).loose()).nullable().optional(),
  WorkingDir: z.string().optional(),
  Entrypoint: strSlice,
  NetworkDisabled: z.boolean().optional(),
  OnBuild: stringArray,
  Labels: stringMap,
  StopSignal: z.string().optional(),
  StopTimeout: int.nullable().optional(),
  Shell: stringArray,
  HostConfig: hostConfig.nullable().optional(),
  NetworkingConfig: ciObject({ EndpointsConfig: z.record(z.string(), endpointSettings.nullable()).nullable().optional() }).nullable().optional(),
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
    Memory: h.Memory ?? 0,
    MemorySwap: h.MemorySwap ?? 0,
    MemoryReservation: h.MemoryReservation ?? 0,
    NanoCpus: h.NanoCpus ?? 0,
    CpuShares: h.CpuShares ?? 0,
    CpuPeriod: h.CpuPeriod ?? 0,
    CpuQuota: h.CpuQuota ?? 0,
    CpusetCpus: h.CpusetCpus ?? '',
    PidsLimit: h.PidsLimit ?? null,
    OomKillDisable: h.OomKillDisable ?? null,
    Ulimits: h.Ulimits ?? null,
    ConsoleSize: h.ConsoleSize?.length === 2 ? [h.ConsoleSize[0], h.ConsoleSize[1]] : [0, 0],
    LogConfig: { Type: h.LogConfig?.Type || 'k8s-file', Config: h.LogConfig?.Config ?? {} },
  };
  const endpoints: Record<string, EndpointSettings> = {};
  for (const [name, settings] of Object.entries(b.NetworkingConfig?.EndpointsConfig ?? {})) endpoints[name] = (settings ?? {}) as EndpointSettings;
  // The CLI sends "Entrypoint": null when the user gave none: null means "use the image's".
  return { config, hostConfig, entrypointGiven: b.Entrypoint != null, cmdGiven: b.Cmd != null, endpoints };
}
