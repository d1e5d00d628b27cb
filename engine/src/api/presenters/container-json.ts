// Container shapes clients read: `GET /containers/json` items and `GET /containers/{id}/json`
// (API spec "ContainerSummary" and "ContainerInspectResponse").
import type { ContainerRecord } from '../../core/container-types.ts';
import { exposedPort } from '../../core/network/ports.ts';
import { hostConfigJson, type HostConfigFacts } from './host-config-json.ts';
import { humanDuration } from './human-duration.ts';

const ZERO_TIME = '0001-01-01T00:00:00Z';

/** dockerd's State.String(): " (health: starting)", " (healthy)", " (unhealthy)". */
function healthSuffix(record: ContainerRecord): string {
  const health = record.State.Health;
  if (!health) return '';
  return health.Status === 'starting' ? ' (health: starting)' : ` (${health.Status})`;
}

export function statusText(record: ContainerRecord, now = Date.now()): string {
  const state = record.State;
  switch (state.Status) {
    case 'running':
      return `Up ${humanDuration(now - Date.parse(state.StartedAt))}${healthSuffix(record)}`;
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

const endpointDefaults = {
  IPAMConfig: null, Links: null, Aliases: null, MacAddress: '', NetworkID: '', EndpointID: '', Gateway: '', IPAddress: '',
  IPPrefixLen: 0, IPv6Gateway: '', GlobalIPv6Address: '', GlobalIPv6PrefixLen: 0, DriverOpts: null, DNSNames: null,
};

function networksOf(record: ContainerRecord): Record<string, object> {
  const mode = record.HostConfig.NetworkMode;
  if (record.NetworkSettings && Object.keys(record.NetworkSettings.Networks).length > 0) {
    const out: Record<string, object> = {};
    for (const [name, endpoint] of Object.entries(record.NetworkSettings.Networks)) out[name] = { ...endpointDefaults, ...endpoint };
    return out;
  }
  return {
    [mode]: {
      IPAMConfig: null, Links: null, Aliases: null, MacAddress: '', NetworkID: mode, EndpointID: '', Gateway: '', IPAddress: '',
      IPPrefixLen: 0, IPv6Gateway: '', GlobalIPv6Address: '', GlobalIPv6PrefixLen: 0, DriverOpts: null, DNSNames: null,
    },
  };
}

/** Only the endpoint of a running container has addresses and ports: a created or stopped one
 * shows none, exposed or published (dockerd fills NetworkSettings.Ports at start only). */
function livePorts(record: ContainerRecord) {
  const live = record.State.Status === 'running' || record.State.Status === 'paused';
  const ports: Record<string, Array<{ HostIp: string; HostPort: string }> | null> = {};
  if (!live) return ports;
  for (const port of Object.keys(record.Config.ExposedPorts ?? {})) ports[exposedPort(port).key] = null;
  Object.assign(ports, record.NetworkSettings?.Ports ?? {});
  return ports;
}

/** One entry of a summary's Ports (API spec "Port"). */
export interface PortSummary {
  IP?: string;
  PrivatePort: number;
  PublicPort?: number;
  Type: string;
}

/** The Ports `docker ps` shows, which its publish= and expose= filters match as well. */
export function portList(record: ContainerRecord): PortSummary[] {
  const out: PortSummary[] = [];
  for (const [key, bindings] of Object.entries(livePorts(record))) {
    const [port, type = 'tcp'] = key.split('/');
    if (!bindings || bindings.length === 0) out.push({ PrivatePort: Number(port), Type: type });
    else for (const b of bindings) out.push({ IP: b.HostIp || '0.0.0.0', PrivatePort: Number(port), PublicPort: Number(b.HostPort), Type: type });
  }
  return out;
}

function mountList(record: ContainerRecord): object[] {
  return (record.Mounts ?? []).map((m) => ({
    Type: m.Type, ...(m.Name ? { Name: m.Name } : {}), Source: m.Source, Destination: m.Destination,
    ...(m.Driver ? { Driver: m.Driver } : {}), Mode: m.Mode, RW: m.RW, Propagation: m.Propagation,
  }));
}

export function containerSummary(record: ContainerRecord, imageName: string): object {
  return {
    Id: record.Id,
    Names: [record.Name],
    Image: imageName,
    ImageID: record.Image,
    Command: [record.Path, ...record.Args].map((a) => (/\s/.test(a) ? `'${a}'` : a)).join(' '),
    Created: Math.floor(Date.parse(record.Created) / 1000),
    Ports: portList(record),
    Labels: record.Config.Labels ?? {},
    State: record.State.Status,
    Status: statusText(record),
    HostConfig: { NetworkMode: record.HostConfig.NetworkMode },
    NetworkSettings: { Networks: networksOf(record) },
    Mounts: mountList(record),
  };
}

/** The top-level address fields mirror the default bridge's endpoint, as dockerd shows them. */
function defaultEndpoint(record: ContainerRecord) {
  const bridge = record.NetworkSettings?.Networks.bridge;
  return {
    IPAddress: bridge?.IPAddress ?? '', IPPrefixLen: bridge?.IPPrefixLen ?? 0, Gateway: bridge?.Gateway ?? '',
    MacAddress: bridge?.MacAddress ?? '', IPv6Gateway: '', EndpointID: bridge?.EndpointID ?? '',
  };
}

/** `size=1` on list and inspect: the writable layer, and it plus the image ("virtual"). */
export interface ContainerSizes {
  SizeRw: number;
  SizeRootFs: number;
}

export function containerInspect(
  record: ContainerRecord,
  paths: { logPath: string; rootfs: string; upperDir: string },
  execIds: string[],
  host: HostConfigFacts,
  sizes?: ContainerSizes,
): object {
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
      ...(s.Health ? { Health: s.Health } : {}),
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
    HostConfig: hostConfigJson(record, host),
    GraphDriver: { Name: 'overlay2', Data: { MergedDir: paths.rootfs, UpperDir: paths.upperDir } },
    ...sizes,
    Mounts: mountList(record),
    Config: record.Config,
    NetworkSettings: {
      Bridge: '', SandboxID: '', SandboxKey: record.NetworkSettings?.SandboxKey ?? '', Ports: livePorts(record), HairpinMode: false, LinkLocalIPv6Address: '', LinkLocalIPv6PrefixLen: 0,
      SecondaryIPAddresses: null, SecondaryIPv6Addresses: null, GlobalIPv6Address: '', GlobalIPv6PrefixLen: 0,
      ...defaultEndpoint(record), Networks: networksOf(record),
    },
  };
}
