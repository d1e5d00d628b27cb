// Published ports: what HostConfig.PortBindings / PublishAllPorts ask for, and binding them all or
// none. dockerd's port allocator hands out random ports for HostPort "" or "0" and reports a busy
// one as "Bind for 0.0.0.0:8080 failed: port is already allocated".
import type { HostConfig, PortMap } from '../container-types.ts';
import { EngineError, invalid } from '../errors.ts';
import type { PortBinder, PortBinding, PortProtocol, PortRequest, PortReservation } from './network-types.ts';

/** "80/tcp" → port and protocol (no protocol = tcp, as in nat.ParsePort). */
export function parsePortKey(key: string): { port: number; protocol: PortProtocol } {
  const [portText, proto = 'tcp'] = key.split('/');
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port < 1 || port > 65535) throw invalid(`invalid port specification: "${key}"`);
  if (proto !== 'tcp' && proto !== 'udp' && proto !== 'sctp') throw invalid(`invalid proto: ${proto}`);
  return { port, protocol: proto };
}

/** How dockerd 20.10 reads an ExposedPorts key from an image (go-connections nat.Port's Proto()
 * and Int(), then libnetwork's ParseProtocol): no protocol means tcp, a port that is not a
 * 16-bit number reads as 0 and an unknown protocol as "0" — the container still runs, and
 * NetworkSettings.Ports lists "0/tcp". Images carry such keys ("80", "x/tcp", "99999/tcp"). */
export function exposedPort(key: string): { key: string; port: number; protocol: PortProtocol | undefined } {
  const parts = key.split('/');
  let portText = '';
  let proto = '';
  if (key !== '' && parts[0] !== '') {
    portText = parts[0];
    proto = parts.length === 1 || parts[1] === '' ? 'tcp' : parts[1];
  }
  const port = /^\d+$/.test(portText) && Number(portText) <= 65535 ? Number(portText) : 0;
  const lower = proto.toLowerCase();
  const protocol = lower === 'tcp' || lower === 'udp' || lower === 'sctp' ? lower : undefined;
  return { key: `${port}/${protocol ?? (lower === 'icmp' ? 'icmp' : '0')}`, port, protocol };
}

function hostPortRange(text: string | undefined, key: string): [number, number] {
  if (!text || text === '0') return [0, 0];
  const match = /^(\d+)(?:-(\d+))?$/.exec(text);
  const low = Number(match?.[1]);
  const high = match?.[2] ? Number(match[2]) : low;
  if (!match || low < 1 || high > 65535 || high < low) throw invalid(`invalid port specification: "${text}" for ${key}`);
  return [low, high];
}

/** Every binding to make: PortBindings, plus (with -P) a random port for each other exposed port. */
export function requestedPorts(hostConfig: Pick<HostConfig, 'PortBindings' | 'PublishAllPorts'>, exposedPorts: Record<string, object> | undefined): PortRequest[] {
  const out: PortRequest[] = [];
  const bindings = hostConfig.PortBindings ?? {};
  const keys = new Set(Object.keys(bindings));
  if (hostConfig.PublishAllPorts) {
    for (const key of Object.keys(exposedPorts ?? {})) {
      const exposed = exposedPort(key);
      // An exposed key dockerd reads as port 0 or an unknown protocol has nothing to forward to.
      if (exposed.port === 0 || !exposed.protocol) continue;
      if (!keys.has(exposed.key) && !keys.has(key)) keys.add(exposed.key);
    }
  }
  for (const key of keys) {
    const { port, protocol } = parsePortKey(key);
    const normal = `${port}/${protocol}`;
    // -P publishes an exposed port that has no explicit binding on a random port of all addresses.
    const list = bindings[key]?.length ? bindings[key] : [{ HostIp: '', HostPort: '' }];
    for (const b of list ?? []) {
      const hostIp = b.HostIp ?? '';
      if (hostIp.includes(':')) continue; // IPv6 publishing needs an IPv6 network (not supported yet).
      const [low, high] = hostPortRange(b.HostPort, key);
      out.push({ key: normal, containerPort: port, protocol, hostIp: hostIp === '0.0.0.0' ? '' : hostIp, hostPortLow: low, hostPortHigh: high });
    }
  }
  return out;
}

/** NetworkSettings.Ports: every exposed or published port, bound ones with their host side. */
export function portMapOf(bound: PortBinding[], exposedPorts: Record<string, object> | undefined): PortMap {
  const map: PortMap = {};
  for (const key of Object.keys(exposedPorts ?? {})) map[exposedPort(key).key] = null;
  for (const b of bound) {
    const list = map[b.key] ?? [];
    list.push({ HostIp: b.hostIp || '0.0.0.0', HostPort: String(b.hostPort) });
    map[b.key] = list;
  }
  return map;
}

export const allocatedMessage = (hostIp: string, port: number) => `Bind for ${hostIp || '0.0.0.0'}:${port} failed: port is already allocated`;

function isAddressInUse(error: unknown): boolean {
  return (error as { code?: string }).code === 'EADDRINUSE';
}

/** Binds requests one by one; on the first failure releases what it bound and throws. */
export async function bindPorts(requests: PortRequest[], binder: PortBinder): Promise<{ bound: PortBinding[]; reservations: PortReservation[] }> {
  const bound: PortBinding[] = [];
  const reservations: PortReservation[] = [];
  try {
    for (const r of requests) {
      const reservation = await bindOne(r, binder);
      reservations.push(reservation);
      bound.push({ key: r.key, containerPort: r.containerPort, protocol: r.protocol, hostIp: r.hostIp, hostPort: reservation.hostPort });
    }
  } catch (error) {
    await releaseAll(reservations);
    throw error;
  }
  return { bound, reservations };
}

async function bindOne(r: PortRequest, binder: PortBinder): Promise<PortReservation> {
  if (r.hostPortLow === 0) return binder(r.hostIp, 0, r.protocol);
  // A host range (-p 8000-8010:80) takes its first free port, as dockerd's allocator does.
  for (let port = r.hostPortLow; port <= r.hostPortHigh; port++) {
    try {
      return await binder(r.hostIp, port, r.protocol);
    } catch (error) {
      if (!isAddressInUse(error)) throw new EngineError('system', `failed to bind port ${r.hostIp || '0.0.0.0'}:${port}/${r.protocol}: ${(error as Error).message}`);
    }
  }
  const port = r.hostPortLow === r.hostPortHigh ? `${r.hostPortLow}` : `${r.hostPortLow}-${r.hostPortHigh}`;
  throw new EngineError('system', `Bind for ${r.hostIp || '0.0.0.0'}:${port} failed: port is already allocated`);
}

export async function releaseAll(reservations: PortReservation[]): Promise<void> {
  await Promise.all(reservations.map((r) => r.release().catch(() => undefined)));
}
