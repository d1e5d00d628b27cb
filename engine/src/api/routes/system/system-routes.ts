// System endpoints (API spec "System" tag): ping, version, info, events.
import { arch } from 'node:os';
import type { EngineEvent } from '../../../core/interfaces.ts';
import { parseTimeParam } from '../../../core/timestamps.ts';
import type { EngineServices } from '../../../services/engine-services.ts';
import { API_VERSION, MIN_API_VERSION, type HttpContext } from '../../http-context.ts';
import { checkFilterKeys, filtersParam } from '../../query.ts';
import type { RouteTable } from '../../server.ts';

export const ENGINE_VERSION = '0.1.0';
const GO_ARCH: Record<string, string> = { x64: 'amd64', arm64: 'arm64', arm: 'arm', ia32: '386' };
const goArch = (): string => GO_ARCH[arch()] ?? arch();

function ping(ctx: HttpContext): void {
  ctx.send(200, 'OK', {
    'Content-Type': 'text/plain; charset=utf-8',
    'Builder-Version': '1',
    Swarm: 'inactive',
    'Cache-Control': 'no-cache, no-store, must-revalidate',
    Pragma: 'no-cache',
  });
}

function version(s: EngineServices): object {
  const details = { ApiVersion: API_VERSION, MinAPIVersion: MIN_API_VERSION, Os: 'linux', Arch: goArch(), KernelVersion: s.system.kernelVersion };
  return {
    Platform: { Name: 'Berth Engine' },
    Components: [{ Name: 'Engine', Version: ENGINE_VERSION, Details: { ...details, GitCommit: '', GoVersion: process.version, BuildTime: '', Experimental: 'false' } }],
    Version: ENGINE_VERSION,
    ApiVersion: API_VERSION,
    MinAPIVersion: MIN_API_VERSION,
    GitCommit: '',
    GoVersion: process.version,
    Os: 'linux',
    Arch: goArch(),
    KernelVersion: s.system.kernelVersion,
    BuildTime: '',
  };
}

function info(s: EngineServices): object {
  const containers = s.containers.store.list();
  const count = (status: string) => containers.filter((c) => c.State.Status === status).length;
  const sys = s.system;
  return {
    ID: sys.hostname,
    Containers: containers.length,
    ContainersRunning: count('running'),
    ContainersPaused: count('paused'),
    ContainersStopped: containers.length - count('running') - count('paused'),
    Images: s.images.store.list().length,
    Driver: 'overlay2',
    DriverStatus: [['Backing Filesystem', sys.backingFilesystem], ['Supports d_type', 'true'], ['Using metacopy', 'false'], ['Native Overlay Diff', 'true'], ['userxattr', 'false']],
    Plugins: { Volume: ['local'], Network: ['bridge', 'host', 'none'], Authorization: null, Log: ['json-file'] },
    MemoryLimit: true,
    SwapLimit: true,
    CpuCfsPeriod: true,
    CpuCfsQuota: true,
    CPUShares: true,
    CPUSet: true,
    PidsLimit: true,
    IPv4Forwarding: true,
    Debug: false,
    NFd: sys.openFds(),
    NGoroutines: 0,
    SystemTime: new Date().toISOString(),
    // The engine's log is what `docker logs` reads back: a json-file driver, as clients see it.
    LoggingDriver: 'json-file',
    CgroupDriver: 'cgroupfs',
    CgroupVersion: sys.cgroupVersion,
    NEventsListener: 0,
    KernelVersion: sys.kernelVersion,
    OperatingSystem: sys.operatingSystem,
    OSVersion: '',
    OSType: 'linux',
    Architecture: arch() === 'x64' ? 'x86_64' : arch(),
    IndexServerAddress: 'https://index.docker.io/v1/',
    RegistryConfig: {
      InsecureRegistryCIDRs: ['127.0.0.0/8', '::1/128'],
      IndexConfigs: {},
      Mirrors: sys.registryMirrors,
      AllowNondistributableArtifactsCIDRs: null,
      AllowNondistributableArtifactsHostnames: null,
    },
    NCPU: sys.ncpu,
    MemTotal: sys.memTotal,
    DockerRootDir: sys.dataRoot,
    Name: sys.hostname,
    Labels: [],
    ExperimentalBuild: false,
    ServerVersion: ENGINE_VERSION,
    Runtimes: { runc: { path: sys.runtimePath } },
    DefaultRuntime: 'runc',
    Swarm: { NodeID: '', NodeAddr: '', LocalNodeState: 'inactive', ControlAvailable: false, Error: '', RemoteManagers: null },
    LiveRestoreEnabled: true,
    Isolation: '',
    InitBinary: 'docker-init',
    SecurityOptions: ['name=seccomp,profile=builtin'],
    Warnings: null,
  };
}

function eventMatches(event: EngineEvent, filters: Map<string, string[]>): boolean {
  const check = (key: string, value: string | undefined) => {
    const wanted = filters.get(key);
    return !wanted || (value !== undefined && wanted.includes(value));
  };
  const attrs = event.Actor.Attributes;
  if (!check('type', event.Type)) return false;
  // dockerd (#25798): "health_status", "exec_create" and "exec_start" also match the actions
  // that carry a suffix ("health_status: healthy"); everything else matches exactly.
  const actions = filters.get('event');
  if (actions && !actions.some((a) => a === event.Action || (!a.includes(':') && event.Action.startsWith(`${a}:`)))) return false;
  if (filters.has('container') && (event.Type !== 'container' || !filters.get('container')!.some((c) => event.Actor.ID.startsWith(c) || attrs.name === c))) return false;
  // dockerd fuzzyMatchName: the volume's name (its Actor.ID), by prefix; other events drop out.
  if (filters.has('volume') && (event.Type !== 'volume' || !filters.get('volume')!.some((v) => event.Actor.ID.startsWith(v)))) return false;
  // dockerd fuzzyMatchName: a network's ID or name, by prefix; other events drop out.
  if (filters.has('network') && (event.Type !== 'network' || !filters.get('network')!.some((n) => event.Actor.ID.startsWith(n) || (attrs.name ?? '').startsWith(n)))) return false;
  if (filters.has('image') && !filters.get('image')!.some((i) => attrs.image === i || event.Actor.ID === i || attrs.name === i)) return false;
  const labels = filters.get('label');
  if (labels && !labels.every((l) => (l.includes('=') ? attrs[l.split('=')[0]] === l.slice(l.indexOf('=') + 1) : l in attrs))) return false;
  return true;
}

function toWire(event: EngineEvent): object {
  const legacy = event.Type === 'container' ? { status: event.Action, id: event.Actor.ID, from: event.Actor.Attributes.image } : {};
  return { ...legacy, ...event };
}

async function events(s: EngineServices, ctx: HttpContext): Promise<void> {
  const filters = filtersParam(ctx.query);
  checkFilterKeys(filters, ['container', 'event', 'image', 'label', 'type', 'volume', 'network', 'daemon', 'plugin', 'node', 'service', 'secret', 'config', 'scope']);
  const since = parseTimeParam(ctx.query.get('since'), 'since');
  const until = parseTimeParam(ctx.query.get('until'), 'until');
  const { out } = ctx.startStream('application/json');
  const send = (event: EngineEvent) => {
    if (until !== undefined && BigInt(event.timeNano) > until) return;
    if (eventMatches(event, filters)) out.write(`${JSON.stringify(toWire(event))}\n`);
  };
  if (since !== undefined) for (const event of s.events.recent()) if (BigInt(event.timeNano) >= since) send(event);
  const nowNs = BigInt(Date.now()) * 1_000_000n;
  if (until !== undefined && until <= nowNs) {
    out.end();
    return;
  }
  const unsubscribe = s.events.subscribe(send);
  const timer = until !== undefined ? setTimeout(() => out.end(), Number((until - nowNs) / 1_000_000n)) : undefined;
  ctx.onClientGone(() => {
    unsubscribe();
    clearTimeout(timer);
  });
}

export function systemRoutes(s: EngineServices): RouteTable[] {
  return [
    { method: 'GET', path: '/_ping', handler: ping },
    { method: 'HEAD', path: '/_ping', handler: ping },
    { method: 'GET', path: '/version', handler: (ctx) => ctx.sendJson(200, version(s)) },
    { method: 'GET', path: '/info', handler: (ctx) => ctx.sendJson(200, info(s)) },
    { method: 'GET', path: '/events', handler: (ctx) => events(s, ctx) },
  ];
}
