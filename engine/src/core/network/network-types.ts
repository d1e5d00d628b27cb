// Networks in the names Docker uses for them (API spec "Network", "IPAM", "IPAMConfig"), plus the
// role interface the platform implements to put containers on them (DESIGN.md rule 1).

/** One IPv4 pool of a network (API "IPAMConfig"). */
export interface IpamConfig {
  Subnet: string;
  Gateway: string;
  IPRange?: string;
}

export type NetworkDriverName = 'bridge' | 'host' | 'null';

/** Everything the engine persists about one network. */
export interface NetworkRecord {
  Id: string;
  Name: string;
  Created: string;
  Driver: NetworkDriverName;
  EnableIPv6: boolean;
  Internal: boolean;
  Attachable: boolean;
  IPAM: { Driver: string; Options: Record<string, string>; Config: IpamConfig[] };
  Options: Record<string, string>;
  Labels: Record<string, string>;
  /** Engine-only: the host bridge interface (bridge driver). */
  BridgeName?: string;
  /** Engine-only: names resolve through aardvark-dns. Docker does this on user-defined networks only. */
  DnsEnabled: boolean;
  /** Engine-only: the user gave the subnet (`--ip` is allowed only then, as in dockerd). */
  UserSubnet?: boolean;
  /** Engine-only: `bridge`, `host` and `none` exist in every engine and cannot be removed. */
  Predefined: boolean;
}

export type PortProtocol = 'tcp' | 'udp' | 'sctp';

/** One published port as asked for: hostPort 0 means "any free port", a range means "first free". */
export interface PortRequest {
  /** The PortMap key, e.g. "80/tcp". */
  key: string;
  containerPort: number;
  protocol: PortProtocol;
  /** "" = all IPv4 addresses (Docker shows it as 0.0.0.0). */
  hostIp: string;
  hostPortLow: number;
  hostPortHigh: number;
}

/** One published port as bound. */
export interface PortBinding {
  key: string;
  containerPort: number;
  protocol: PortProtocol;
  hostIp: string;
  hostPort: number;
}

/** A port held on the host so no one else can take it while the container publishes it (what
 * docker-proxy's listening socket does for dockerd). */
export interface PortReservation {
  readonly hostPort: number;
  release(): Promise<void>;
}

/** Binds a host port (0 = let the kernel choose); rejects with code EADDRINUSE when taken. */
export type PortBinder = (hostIp: string, hostPort: number, protocol: PortProtocol) => Promise<PortReservation>;

/** One network a container joins in a setup/teardown call. */
export interface NetworkJoin {
  network: NetworkRecord;
  interfaceName: string;
  staticIps: string[];
  /** Extra DNS names (aliases, short id); the container name always resolves. */
  aliases: string[];
  /** The interface's MAC address (`--mac-address`); the driver picks one when absent. */
  staticMac?: string;
}

export interface AttachRequest {
  containerId: string;
  containerName: string;
  ports: PortBinding[];
  networks: NetworkJoin[];
}

/** What the driver reports per network (keyed by network id): the interface it made in the container. */
export interface JoinResult {
  macAddress: string;
  addresses: Array<{ address: string; prefixLen: number; gateway?: string }>;
}

/** Puts containers on networks (netavark on Linux). */
export interface NetworkDriver {
  /** A new, persistent, empty network namespace for the container; returns its path. */
  createSandbox(containerId: string): Promise<string>;
  /** Removes the namespace; no error when it is already gone. */
  removeSandbox(path: string): Promise<void>;
  setup(sandbox: string, request: AttachRequest): Promise<Record<string, JoinResult>>;
  teardown(sandbox: string, request: AttachRequest): Promise<void>;
  /** IPv4 destinations the host already routes ("10.0.0.0/8"), to keep new subnets clear of them. */
  hostRoutes(): Promise<string[]>;
  /** Makes 127.0.0.11:53 (udp and tcp) inside the namespace reach the DNS server at `server`
   * (Docker's embedded-DNS address, served by the network's resolver). Lives in the namespace
   * and goes with it. */
  redirectDns(sandbox: string, server: string): Promise<void>;
  /** Keeps a bridge (and its firewall rules) in place after its last container leaves. */
  keepBridge(bridge: string): Promise<void>;
  /** Undoes keepBridge: when no container is on the network's bridge any more, the bridge and
   * its firewall rules go as they do with the last container of an unkept network. */
  releaseBridge(network: NetworkRecord): Promise<void>;
}
