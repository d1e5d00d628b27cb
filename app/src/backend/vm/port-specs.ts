// Which host listeners the VM's published ports call for, as data: the engine's container list
// (GET /containers/json, running containers only; Docker API "ContainerSummary".Ports) becomes one
// listen spec per protocol, address and port, and the listeners open now are diffed against it.
// Pure, so the mapping and the diff are unit-tested without sockets or a VM.

/** One entry of ContainerSummary.Ports as the engine lists it. */
export interface ListedPort {
  IP?: string;
  PrivatePort: number;
  PublicPort?: number;
  Type: string;
}

export interface ListedContainer {
  Id: string;
  Names?: string[];
  Ports?: ListedPort[] | null;
}

export type ForwardProtocol = 'tcp' | 'udp';

export interface ListenSpec {
  /** `tcp 127.0.0.1:8080`: equal keys are the same listener. */
  key: string;
  protocol: ForwardProtocol;
  /** The host address to listen on: 'any' (all interfaces, IPv4 and IPv6 where the host has
   * it, as Docker Desktop does for 0.0.0.0) or one address, the same one as in the guest. */
  address: 'any' | string;
  port: number;
  /** Where the agent dials inside the guest: the published port itself, which berthd holds and
   * netavark's DNAT (OUTPUT chain, route_localnet) sends on to the container. */
  guestHost: string;
  /** Short names of the containers publishing it (one, unless a restart raced a list). */
  containers: string[];
}

const WILDCARDS = new Set(['', '0.0.0.0', '::']);

function displayName(container: ListedContainer): string {
  return container.Names?.[0]?.replace(/^\//, '') ?? container.Id.slice(0, 12);
}

/** Every listener the running containers' published ports need, by key. SCTP has no socket in
 * Node (and no agent pipe): those are left out. A port published on both 0.0.0.0 and :: (as
 * dockerd lists a dual-stack binding) is one listener. */
export function listenSpecs(containers: ListedContainer[]): Map<string, ListenSpec> {
  const specs = new Map<string, ListenSpec>();
  for (const container of containers) {
    for (const port of container.Ports ?? []) {
      if (!port.PublicPort || (port.Type !== 'tcp' && port.Type !== 'udp')) continue;
      const ip = port.IP ?? '';
      const address = WILDCARDS.has(ip) ? 'any' : ip;
      const key = `${port.Type} ${address === 'any' ? '*' : address.includes(':') ? `[${address}]` : address}:${port.PublicPort}`;
      const name = displayName(container);
      const existing = specs.get(key);
      if (existing) {
        if (!existing.containers.includes(name)) existing.containers.push(name);
        continue;
      }
      specs.set(key, {
        key, protocol: port.Type, address, port: port.PublicPort,
        guestHost: address === 'any' ? '127.0.0.1' : address, containers: [name],
      });
    }
  }
  return specs;
}

export interface ListenerDiff {
  open: ListenSpec[];
  close: string[];
}

/** What to open (wanted, not open: new ones and ones that failed before, which are tried again)
 * and what to close (open, no longer wanted). A key that stays keeps its listener untouched, so
 * connections in flight on it are not cut. */
export function diffListeners(wanted: Map<string, ListenSpec>, open: Iterable<string>): ListenerDiff {
  const openKeys = new Set(open);
  return {
    open: [...wanted.values()].filter((spec) => !openKeys.has(spec.key)),
    close: [...openKeys].filter((key) => !wanted.has(key)),
  };
}

/** The words for a host port the forwarder could not take (ports.json, status, the toast). */
export function problemMessage(spec: ListenSpec, error: NodeJS.ErrnoException): string {
  const where = `${spec.address === 'any' ? '0.0.0.0' : spec.address}:${spec.port}/${spec.protocol}`;
  const who = spec.containers.join(', ');
  switch (error.code) {
    case 'EADDRINUSE':
      return `host port ${where} (container ${who}) is already in use by another program on this computer; the container runs, but is not reachable there`;
    case 'EACCES':
      return `host port ${where} (container ${who}) needs privileges this user does not have; publish a port above 1023`;
    case 'EADDRNOTAVAIL':
      return `host address ${where} (container ${who}) does not exist on this computer; publish on 127.0.0.1 or 0.0.0.0`;
    default:
      return `host port ${where} (container ${who}) could not be opened: ${error.message}`;
  }
}
