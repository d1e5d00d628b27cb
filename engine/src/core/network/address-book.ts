// Which container addresses are in use on each network. Addresses are held while a container is
// connected (from start to exit, as dockerd's IPAM releases them on stop) and rebuilt at engine
// start from what is still set up on the host.
import { conflict, forbidden, invalid } from '../errors.ts';
import { isIPv4, nextFreeAddress, parseIPv4, usableIn } from './ipam.ts';
import type { NetworkRecord } from './network-types.ts';

export class AddressBook {
  readonly #used = new Map<string, Set<string>>();
  readonly #lastGiven = new Map<string, string>();

  #set(networkId: string): Set<string> {
    let set = this.#used.get(networkId);
    if (!set) this.#used.set(networkId, (set = new Set()));
    return set;
  }

  used(networkId: string): ReadonlySet<string> {
    return this.#set(networkId);
  }

  /** Marks an address taken without checks (restoring what the host already has). */
  take(networkId: string, ip: string): void {
    this.#set(networkId).add(ip);
  }

  release(networkId: string, ip: string): void {
    this.#used.get(networkId)?.delete(ip);
  }

  /** A static address (`--ip`) or the next free one, now marked taken. */
  allocate(network: NetworkRecord, requested?: string): string {
    const used = this.#set(network.Id);
    if (requested) {
      checkStaticAddress(network, requested);
      if (used.has(requested)) throw conflict(`Address already in use: ${requested} on network ${network.Name}`);
      used.add(requested);
      return requested;
    }
    for (const pool of network.IPAM.Config) {
      const ip = nextFreeAddress(pool, used, this.#lastGiven.get(network.Id));
      if (ip) {
        used.add(ip);
        this.#lastGiven.set(network.Id, ip);
        return ip;
      }
    }
    throw conflict(`no available IPv4 addresses on this network's address pools: ${network.Name} (${network.Id})`);
  }
}

/** dockerd's rules for `--ip` (daemon/container_operations.go validateEndpointSettings and the
 * bridge driver): only on user-defined networks whose subnet the user gave, and inside it. */
export function checkStaticAddress(network: NetworkRecord, ip: string): void {
  if (!isIPv4(ip)) throw invalid(`invalid IPv4 address: ${ip}`);
  if (network.Predefined) throw forbidden('user specified IP address is supported on user defined networks only');
  if (!network.UserSubnet) throw forbidden('user specified IP address is supported only when connecting to networks with user configured subnets');
  const n = parseIPv4(ip);
  if (!network.IPAM.Config.some((pool) => usableIn(pool, n))) throw invalid(`no configured subnet or ip-range contain the IP address ${ip}`);
}
