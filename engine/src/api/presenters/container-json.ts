// Container shapes clients read: `GET /containers/json` items and `GET /containers/{id}/json`
// (API spec "ContainerSummary" and "ContainerInspectResponse").
import type { ContainerRecord } from '../../core/container-types.ts';
import { humanDuration } from './human-duration.ts';

const ZERO_TIME = '0001-01-01T00:00:00Z';

export function statusText(record: ContainerRecord, now = Date.now()): string {
  const state = record.State;
  switch (state.Status) {
    case 'running':
      return `Up ${humanDuration(now - Date.parse(state.StartedAt))}`;
    case 'paused':
      return `Up ${humanDuration(now - Date.parse(state.StartedAt))} (Paused)`;
    case 'restarting':
      return `Restarting (${state.ExitCode}) ${humanDuration(now - Date.parse(state.FinishedAt))} ago`;
    case 'exited':
      return state.FinishedAt === ZERO_TIME ? 'Created' : `Exited (${state.ExitCode}) ${humanDuration(now - Date.parse(state.FinishedAt))} ago`;
    case 'removing':
      return 'Removal In Progress';
    case 'dead':
      return 'Dead';
    default:
      return 'Created';
  }
}

function networksOf(record: ContainerRecord): Record<string, object> {
  const mode = record.HostConfig.NetworkMode;
  return {
    [mode]: {
      IPAMConfig: null, Links: null, Aliases: null, MacAddress: '', NetworkID: mode, EndpointID: '', Gateway: '', IPAddress: '',
      IPPrefixLen: 0, IPv6Gateway: '', GlobalIPv6Address: '', GlobalIPv6PrefixLen: 0, DriverOpts: null, DNSNames: null,
    },
  };
}

export function containerSummary(record: ContainerRecord, imageName: string): object {
  return {
    Id: record.Id,
    Names: [record.Name],
    Image: imageName,
    ImageID: record.Image,
    Command: [record.Path, ...record.Args].map((a) => (/\s/.test(a) ? `'${a}'` : a)).join(' '),
    Created: Math.floor(Date.parse(record.Created) / 1000),
    Ports: [],
    Labels: record.Config.Labels ?? {},
    State: record.State.Status,
    Status: statusText(record),
    HostConfig: { NetworkMode: record.HostConfig.NetworkMode },
    NetworkSettings: { Networks: networksOf(record) },
    Mounts: [],
  };
}

export function containerInspect(record: ContainerRecord, paths: { logPath: string; rootfs: string; upperDir: string }, execIds: string[]): object {
  const s = record.State;
  return {
    Id: record.Id,
    Created: record.Created,
    Path: record.Path,
    Args: record.Args,
    State: {
      Status: s.Status,
      Running: s.Status === 'running' || s.Status === 'paused',
      Paused: s.Status === 'paused',
      Restarting: s.Status === 'restarting',
      OOMKilled: s.OOMKilled,
      Dead: s.Status === 'dead',
      Pid: s.Pid,
      ExitCode: s.ExitCode,
      Error: s.Error,
      StartedAt: s.StartedAt,
      FinishedAt: s.FinishedAt,
    },
    Image: record.Image,
    ResolvConfPath: '',
    HostnamePath: '',
    HostsPath: '',
    LogPath: paths.logPath,
    Name: record.Name,
    RestartCount: record.RestartCount,
    Driver: 'overlay2',
    Platform: 'linux',
    MountLabel: '',
    ProcessLabel: '',
    AppArmorProfile: '',
    ExecIDs: execIds.length > 0 ? execIds : null,
    HostConfig: record.HostConfig,
    GraphDriver: { Name: 'overlay2', Data: { MergedDir: paths.rootfs, UpperDir: paths.upperDir } },
    Mounts: [],
    Config: record.Config,
    NetworkSettings: {
      Bridge: '', SandboxID: '', SandboxKey: '', Ports: {}, HairpinMode: false, LinkLocalIPv6Address: '', LinkLocalIPv6PrefixLen: 0,
      SecondaryIPAddresses: null, SecondaryIPv6Addresses: null, EndpointID: '', Gateway: '', GlobalIPv6Address: '', GlobalIPv6PrefixLen: 0,
      IPAddress: '', IPPrefixLen: 0, IPv6Gateway: '', MacAddress: '', Networks: networksOf(record),
    },
  };
}
