// `docker network create/ls/inspect/rm/prune` with dockerd's rules: unique names, the predefined
// `bridge`, `host` and `none` networks that cannot be removed, and no removal while containers
// are connected ("has active endpoints").
import type { ContainerRecord } from '../../core/container-types.ts';
import { conflict, errorMessage, forbidden, invalid, notFound } from '../../core/errors.ts';
import { newId } from '../../core/ids.ts';
import type { EventBus } from '../../core/interfaces.ts';
import { AddressBook } from '../../core/network/address-book.ts';
import type { AttachmentStore } from '../../core/network/attachment-store.ts';
import { formatCidr, parseCidr, planNetworkIpam, type AddressPool } from '../../core/network/ipam.ts';
import type { NetworkStore } from '../../core/network/network-store.ts';
import type { NetworkDriver, NetworkRecord } from '../../core/network/network-types.ts';

export interface CreateNetworkInput {
  Name: string;
  Driver?: string;
  Internal?: boolean;
  Attachable?: boolean;
  EnableIPv6?: boolean;
  IPAM?: { Driver?: string; Config?: Array<{ Subnet?: string; Gateway?: string; IPRange?: string }>; Options?: Record<string, string> };
  Options?: Record<string, string>;
  Labels?: Record<string, string>;
}

export interface NetworkServiceOptions {
  store: NetworkStore;
  attachments: AttachmentStore;
  driver: NetworkDriver;
  events: EventBus;
  /** All containers, to show who is connected. */
  containers: () => ContainerRecord[];
  /** `--bridge` and `--bip` of the default network. */
  bridgeName: string;
  bip: string;
  /** `--default-address-pool`, for user networks without --subnet. */
  pools: AddressPool[];
  /** Where a bridge that could not be released is reported (the network goes anyway). */
  log?: (line: string) => void;
}

const PREDEFINED = ['bridge', 'host', 'none'];
/** Linux interface names are at most 15 bytes (IFNAMSIZ - 1). */
const VALID_IFNAME = /^[a-zA-Z0-9_.-]{1,15}$/;
/** dockerd's network name rule (same as container names, one character allowed). */
const VALID_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;

export class NetworkService {
  readonly store: NetworkStore;
  readonly attachments: AttachmentStore;
  readonly driver: NetworkDriver;
  readonly events: EventBus;
  readonly addresses = new AddressBook();
  readonly #options: NetworkServiceOptions;
  /** Networks a remove is taking down: no container may join them any more. */
  readonly #removing = new Set<string>();
  /** Joins under way per network (from the network's lookup until the attachment is saved). */
  readonly #joining = new Map<string, { count: number; settled: Array<() => void> }>();

  constructor(options: NetworkServiceOptions) {
    this.#options = options;
    this.store = options.store;
    this.attachments = options.attachments;
    this.driver = options.driver;
    this.events = options.events;
  }

  /** Loads networks and host state; creates (or re-aims, after a --bip change) the predefined ones. */
  async load(): Promise<void> {
    await this.store.load();
    await this.attachments.load();
    const bip = this.#options.bip;
    const gateway = bip.split('/')[0];
    // --bip names the bridge's own address (dockerd: "10.47.0.1/16" = gateway .1 of 10.47.0.0/16).
    const bridgeConfig = { Subnet: formatCidr(parseCidr(bip)), Gateway: gateway };
    for (const name of PREDEFINED) {
      const existing = this.store.byName(name);
      const record: NetworkRecord = {
        Id: existing?.Id ?? newId(),
        Name: name,
        Created: existing?.Created ?? new Date().toISOString(),
        Driver: name === 'bridge' ? 'bridge' : name === 'host' ? 'host' : 'null',
        EnableIPv6: false,
        Internal: false,
        Attachable: false,
        IPAM: { Driver: 'default', Options: {}, Config: name === 'bridge' ? [bridgeConfig] : [] },
        Options: name === 'bridge'
          ? {
              'com.docker.network.bridge.default_bridge': 'true',
              'com.docker.network.bridge.enable_icc': 'true',
              'com.docker.network.bridge.enable_ip_masquerade': 'true',
              'com.docker.network.bridge.name': this.#options.bridgeName,
              'com.docker.network.driver.mtu': '1500',
            }
          : {},
        Labels: {},
        BridgeName: name === 'bridge' ? this.#options.bridgeName : undefined,
        DnsEnabled: false,
        Predefined: true,
      };
      if (JSON.stringify(existing) !== JSON.stringify(record)) await this.store.save(record);
    }
    // Addresses of containers still connected (running, or exited while the engine was away and
    // about to be torn down by the restore).
    for (const attachment of this.attachments.list()) {
      for (const join of attachment.request.networks) for (const ip of join.staticIps) this.addresses.take(join.network.Id, ip);
    }
  }

  list(): NetworkRecord[] {
    return this.store.list();
  }

  /** `network` by id, name or id prefix; `default` means `bridge`, as in dockerd. */
  get(ref: string): NetworkRecord {
    return this.store.get(ref === 'default' ? 'bridge' : ref);
  }

  /** Containers with an endpoint on the host for this network (connected and set up). */
  activeContainers(networkId: string): ContainerRecord[] {
    const ids = new Set(this.attachments.list().filter((a) => a.request.networks.some((j) => j.network.Id === networkId)).map((a) => a.containerId));
    return this.#options.containers().filter((c) => ids.has(c.Id));
  }

  async create(input: CreateNetworkInput): Promise<{ Id: string; Warning: string }> {
    const name = input.Name;
    if (!name) throw invalid('network name cannot be empty');
    if (!VALID_NAME.test(name)) throw invalid(`invalid network name "${name}": only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed`);
    if (PREDEFINED.includes(name) || name === 'default') throw forbidden(`operation is not permitted on predefined ${name} network `);
    if (this.store.byName(name)) throw conflict(`network with name ${name} already exists`);
    const driver = input.Driver || 'bridge';
    if (driver !== 'bridge') throw notFound(`plugin "${driver}" not found`);
    if (input.IPAM?.Driver && input.IPAM.Driver !== 'default') throw notFound(`plugin "${input.IPAM.Driver}" not found`);
    if (input.EnableIPv6) throw invalid('IPv6 networks are not supported by berth yet');
    const options = input.Options ?? {};
    const networkSubnets = this.list().flatMap((n) => n.IPAM.Config.map((c) => c.Subnet));
    const requested = input.IPAM?.Config ?? [];
    const config = planNetworkIpam({
      requested,
      pools: this.#options.pools,
      networkSubnets,
      hostRoutes: requested.length ? [] : await this.driver.hostRoutes(),
    });
    const id = newId();
    // dockerd names user bridges br-<12 hex of the id> unless the option gives a name.
    const bridgeName = options['com.docker.network.bridge.name'] || `br-${id.slice(0, 12)}`;
    if (!VALID_IFNAME.test(bridgeName)) throw invalid(`invalid bridge name ${bridgeName}: at most 15 characters of [a-zA-Z0-9_.-]`);
    if (this.list().some((n) => n.BridgeName === bridgeName)) throw conflict(`bridge name ${bridgeName} is already used by another network`);
    const record: NetworkRecord = {
      Id: id,
      Name: name,
      Created: new Date().toISOString(),
      Driver: 'bridge',
      EnableIPv6: false,
      Internal: input.Internal ?? false,
      Attachable: input.Attachable ?? false,
      IPAM: { Driver: 'default', Options: input.IPAM?.Options ?? {}, Config: config },
      Options: options,
      Labels: input.Labels ?? {},
      BridgeName: bridgeName,
      // Docker's embedded DNS serves user-defined networks only; aardvark-dns plays its part.
      DnsEnabled: true,
      UserSubnet: requested.length > 0,
      Predefined: false,
    };
    await this.store.save(record);
    this.events.publish('network', 'create', id, { name, type: 'bridge' });
    return { Id: id, Warning: '' };
  }

  /**
   * Marks a container's join of `network` as under way; the returned function ends it (call it
   * once the attachment is saved, or the join failed). A network being removed is refused as gone,
   * so a `run` or `network connect` racing `network rm` either finishes before the removal looks
   * for active endpoints or fails: never a container on a network whose bridge was released.
   */
  beginJoin(network: NetworkRecord): () => void {
    if (this.#removing.has(network.Id)) throw notFound(`network ${network.Name} not found`);
    const entry = this.#joining.get(network.Id) ?? { count: 0, settled: [] };
    entry.count++;
    this.#joining.set(network.Id, entry);
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      if (--entry.count > 0) return;
      this.#joining.delete(network.Id);
      for (const settled of entry.settled.splice(0)) settled();
    };
  }

  async #joinsSettled(networkId: string): Promise<void> {
    const entry = this.#joining.get(networkId);
    if (entry) await new Promise<void>((resolve) => entry.settled.push(resolve));
  }

  /** Takes one network down (remove and prune): joins are shut out, the ones under way awaited,
   * then its kept bridge released and its record deleted. False when a container uses it. */
  async #takeDown(network: NetworkRecord): Promise<boolean> {
    if (this.#removing.has(network.Id)) throw conflict(`network ${network.Name} is already being removed`);
    this.#removing.add(network.Id);
    try {
      await this.#joinsSettled(network.Id);
      if (this.activeContainers(network.Id).length > 0) return false;
      // Its bridge was kept up between containers (container-networking.ts): it goes now, with
      // its firewall rules, as dockerd removes br-… at `network rm`. A teardown refused by the
      // host's firewall (rules flushed by a firewalld reload) must not keep the network forever.
      await this.driver.releaseBridge(network).catch((error: unknown) => {
        this.#options.log?.(`network ${network.Name}: releasing bridge ${network.BridgeName}: ${errorMessage(error)}`);
      });
      await this.store.delete(network);
      this.events.publish('network', 'destroy', network.Id, { name: network.Name, type: network.Driver });
      return true;
    } finally {
      this.#removing.delete(network.Id);
    }
  }

  async remove(ref: string): Promise<void> {
    const network = this.get(ref);
    if (network.Predefined) throw forbidden(`${network.Name} is a pre-defined network and cannot be removed`);
    if (!(await this.#takeDown(network))) {
      throw conflict(`error while removing network: network ${network.Name} id ${network.Id} has active endpoints`);
    }
  }

  /** Removes every user network nobody is connected to and `keep` does not protect. */
  async prune(selected: (network: NetworkRecord) => boolean): Promise<string[]> {
    const removed: string[] = [];
    for (const network of this.list()) {
      if (network.Predefined || !selected(network) || this.activeContainers(network.Id).length > 0 || this.#removing.has(network.Id)) continue;
      if (await this.#takeDown(network)) removed.push(network.Name);
    }
    return removed;
  }
}
