// IPv4 address management, as dockerd's default IPAM driver does it: subnets from a pool that
// avoid each other and the host's routes, a gateway at the first address, container addresses
// from the subnet (or its --ip-range) skipping the network, gateway and broadcast addresses.
import { forbidden, invalid } from '../errors.ts';
import type { IpamConfig } from './network-types.ts';

export interface Cidr {
  /** Network address as an unsigned 32-bit number. */
  base: number;
  bits: number;
}

/** `--default-address-pool base=10.48.0.0/12,size=24`: cut `base` into /size subnets. */
export interface AddressPool {
  base: Cidr;
  size: number;
}

export function parseIPv4(text: string): number {
  const parts = text.split('.');
  if (parts.length !== 4 || parts.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 255)) throw invalid(`invalid IP address: ${text}`);
  return parts.reduce((n, p) => n * 256 + Number(p), 0);
}

export function isIPv4(text: string): boolean {
  try {
    parseIPv4(text);
    return true;
  } catch {
    return false;
  }
}

export function formatIPv4(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

const maskOf = (bits: number): number => (bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0);

/** Parses "a.b.c.d/n"; the host part is dropped, as Go's net.ParseCIDR returns the network. */
export function parseCidr(text: string): Cidr {
  const match = /^([\d.]+)\/(\d{1,2})$/.exec(text.trim());
  if (!match || Number(match[2]) > 32) throw invalid(`invalid CIDR address: ${text}`);
  let ip: number;
  try {
    ip = parseIPv4(match[1]);
  } catch {
    throw invalid(`invalid CIDR address: ${text}`);
  }
  const bits = Number(match[2]);
  return { base: (ip & maskOf(bits)) >>> 0, bits };
}

export const formatCidr = (c: Cidr): string => `${formatIPv4(c.base)}/${c.bits}`;
const last = (c: Cidr): number => c.base + 2 ** (32 - c.bits) - 1;

export function contains(c: Cidr, ip: number): boolean {
  return ip >= c.base && ip <= last(c);
}

export function overlaps(a: Cidr, b: Cidr): boolean {
  return a.base <= last(b) && b.base <= last(a);
}

/** dockerd's `--default-address-pool` value: "base=10.48.0.0/12,size=24". */
export function parseAddressPool(text: string): AddressPool {
  const fields = new Map(text.split(',').map((kv) => {
    const eq = kv.indexOf('=');
    return [kv.slice(0, eq).trim(), kv.slice(eq + 1).trim()] as const;
  }));
  const baseText = fields.get('base');
  const size = Number(fields.get('size'));
  if (!baseText || !Number.isInteger(size)) throw invalid(`invalid default address pool ${JSON.stringify(text)}: want base=CIDR,size=N`);
  const base = parseCidr(baseText);
  if (size < base.bits || size > 30) throw invalid(`invalid default address pool ${JSON.stringify(text)}: size ${size} must be between ${base.bits} and 30`);
  return { base, size };
}

/** The first /size subnet of the pools that overlaps nothing taken (other networks, host routes). */
export function allocateSubnet(pools: AddressPool[], taken: Cidr[]): Cidr | undefined {
  for (const pool of pools) {
    const step = 2 ** (32 - pool.size);
    for (let base = pool.base.base; base + step - 1 <= last(pool.base); base += step) {
      const candidate = { base, bits: pool.size };
      const clash = taken.find((t) => overlaps(t, candidate));
      // Skip past the whole clashing block at once when it is bigger than one step.
      if (clash) base = Math.max(base, last(clash) + 1 - step);
      else return candidate;
    }
  }
  return undefined;
}

/** A host route that says nothing about where a subnet is: the default route. */
const isDefaultRoute = (c: Cidr) => c.bits === 0;

export interface PlanInput {
  /** Pools the user asked for (`--subnet`, `--gateway`, `--ip-range`); empty = allocate one. */
  requested: Array<{ Subnet?: string; Gateway?: string; IPRange?: string }>;
  pools: AddressPool[];
  /** Subnets of the engine's other networks: never shared, as in dockerd. */
  networkSubnets: string[];
  /** Host routes: automatic subnets avoid them (a user-given subnet may still use them). */
  hostRoutes: string[];
}

/** The IPAM.Config a new network gets. Throws Docker's errors for bad or overlapping pools. */
export function planNetworkIpam(input: PlanInput): IpamConfig[] {
  const others = input.networkSubnets.map(parseCidr);
  if (input.requested.length === 0) {
    const taken = [...others, ...input.hostRoutes.map(parseCidr).filter((c) => !isDefaultRoute(c))];
    const subnet = allocateSubnet(input.pools, taken);
    if (!subnet) throw forbidden('could not find an available, non-overlapping IPv4 address pool among the defaults to assign to the network');
    return [{ Subnet: formatCidr(subnet), Gateway: formatIPv4(subnet.base + 1) }];
  }
  const out: IpamConfig[] = [];
  for (const r of input.requested) {
    if (!r.Subnet) throw invalid('invalid pool request: a Subnet is required when Gateway or IPRange is given');
    if (r.Subnet.includes(':')) throw invalid('IPv6 subnets are not supported by berth');
    const subnet = parseCidr(r.Subnet);
    if (subnet.bits > 30) throw invalid(`invalid subnet ${r.Subnet}: too small for a gateway and a container`);
    if ([...others, ...out.map((o) => parseCidr(o.Subnet))].some((o) => overlaps(o, subnet))) {
      throw forbidden('invalid pool request: Pool overlaps with other one on this address space');
    }
    const gateway = r.Gateway ? parseIPv4(r.Gateway) : subnet.base + 1;
    if (!contains(subnet, gateway)) throw invalid(`no matching subnet for gateway ${r.Gateway}`);
    let range: Cidr | undefined;
    if (r.IPRange) {
      range = parseCidr(r.IPRange);
      if (!contains(subnet, range.base) || !contains(subnet, last(range))) throw invalid(`no matching subnet for range ${r.IPRange}`);
    }
    out.push({ Subnet: formatCidr(subnet), Gateway: formatIPv4(gateway), ...(range ? { IPRange: formatCidr(range) } : {}) });
  }
  return out;
}

/** Whether `ip` is an address a container may hold in `pool` (not network, broadcast or gateway). */
export function usableIn(pool: IpamConfig, ip: number): boolean {
  const subnet = parseCidr(pool.Subnet);
  return contains(subnet, ip) && ip !== subnet.base && ip !== last(subnet) && ip !== parseIPv4(pool.Gateway);
}

/** The next free container address of the pool, searching round-robin from `after` (dockerd
 * hands addresses out sequentially so a just-released one is not reused at once). */
export function nextFreeAddress(pool: IpamConfig, used: ReadonlySet<string>, after?: string): string | undefined {
  const range = parseCidr(pool.IPRange ?? pool.Subnet);
  const size = last(range) - range.base + 1;
  const start = after && contains(range, parseIPv4(after)) ? parseIPv4(after) - range.base + 1 : 0;
  for (let i = 0; i < size; i++) {
    const ip = range.base + ((start + i) % size);
    if (usableIn(pool, ip) && !used.has(formatIPv4(ip))) return formatIPv4(ip);
  }
  return undefined;
}

export const prefixLenOf = (pool: IpamConfig): number => parseCidr(pool.Subnet).bits;
