// Shared fixtures for this folder's tests: a container record as `docker create` would persist it
// with no options, and two described hosts (cgroup v1 x64 like this machine, cgroup v2 arm64).
import type { ContainerRecord, HostConfig } from '../../../core/container-types.ts';
import { KNOWN_CAPABILITIES } from './capabilities.ts';
import type { HostFacts } from './types.ts';

export function makeRecord(overrides: { Config?: Partial<ContainerRecord['Config']>; HostConfig?: Partial<HostConfig> } = {}): ContainerRecord {
  return {
    Id: 'c0ffee'.padEnd(64, '0'),
    Name: '/test',
    Created: '2024-01-01T00:00:00Z',
    Path: '/bin/sh',
    Args: ['-c', 'true'],
    Image: 'sha256:' + 'a'.repeat(64),
    ImageRef: 'busybox:latest',
    Config: {
      Hostname: 'c0ffee000000', Domainname: '', User: '', AttachStdin: false, AttachStdout: true,
      AttachStderr: true, Tty: false, OpenStdin: false, StdinOnce: false, Env: [], Cmd: ['sh'],
      Image: 'busybox', WorkingDir: '', Entrypoint: null, Labels: {},
      ...overrides.Config,
    },
    HostConfig: {
      NetworkMode: 'default', RestartPolicy: { Name: 'no', MaximumRetryCount: 0 }, AutoRemove: false,
      CapAdd: null, CapDrop: null, Privileged: false, ReadonlyRootfs: false, Memory: 0, MemorySwap: 0,
      NanoCpus: 0, CpuShares: 0, CpuPeriod: 0, CpuQuota: 0, PidsLimit: null,
      ...overrides.HostConfig,
    },
    State: { Status: 'created', Pid: 0, ExitCode: 0, Error: '', StartedAt: '', FinishedAt: '', OOMKilled: false },
    RestartCount: 0,
    ManuallyStopped: false,
  };
}

export const HOST_V1: HostFacts = {
  arch: 'x64',
  kernel: [6, 1],
  cgroupV2: false,
  swapAccounting: true,
  capabilities: [...KNOWN_CAPABILITIES],
  thermalThrottlePaths: [],
  netSysctls: ['net.ipv4.ping_group_range', 'net.ipv4.ip_unprivileged_port_start'],
  nofileHard: 1048576,
  nrOpen: 1048576,
};

export const HOST_V2_ARM: HostFacts = {
  ...HOST_V1,
  arch: 'arm64',
  cgroupV2: true,
  thermalThrottlePaths: ['/sys/devices/system/cpu/cpu0/thermal_throttle'],
};

export const ROOT_USER = { uid: 0, gid: 0, additionalGids: [0] };
