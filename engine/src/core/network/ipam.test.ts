import { describe, expect, it } from 'vitest';
import { AddressBook } from './address-book.ts';
import { allocateSubnet, nextFreeAddress, parseAddressPool, parseCidr, planNetworkIpam } from './ipam.ts';
import type { NetworkRecord } from './network-types.ts';

const pool = parseAddressPool('base=10.48.0.0/12,size=24');

function network(config: NetworkRecord['IPAM']['Config'], extra: Partial<NetworkRecord> = {}): NetworkRecord {
  return {
    Id: 'n1', Name: 'net', Created: '', Driver: 'bridge', EnableIPv6: false, Internal: false, Attachable: false,
    IPAM: { Driver: 'default', Options: {}, Config: config }, Options: {}, Labels: {}, DnsEnabled: true, Predefined: false, UserSubnet: true, ...extra,
  };
}

describe('subnets', () => {
  it('parses CIDRs to their network and rejects junk like Go net.ParseCIDR', () => {
    expect(parseCidr('10.47.0.1/16')).toEqual(parseCidr('10.47.0.0/16'));
    expect(() => parseCidr('10.47.0.300/16')).toThrow(/invalid CIDR address/);
    expect(() => parseCidr('10.47.0.0')).toThrow(/invalid CIDR address/);
    expect(() => parseAddressPool('base=10.0.0.0/8')).toThrow(/base=CIDR,size=N/);
  });

  it('allocates pool subnets that avoid host routes and other networks, and never repeats one', () => {
    const first = planNetworkIpam({ requested: [], pools: [pool], networkSubnets: [], hostRoutes: ['0.0.0.0/0', '10.48.0.0/23'] });
    expect(first).toEqual([{ Subnet: '10.48.2.0/24', Gateway: '10.48.2.1' }]);
    const second = planNetworkIpam({ requested: [], pools: [pool], networkSubnets: ['10.48.2.0/24'], hostRoutes: ['10.48.0.0/23'] });
    expect(second[0].Subnet).toBe('10.48.3.0/24');
    expect(allocateSubnet([parseAddressPool('base=10.1.0.0/24,size=25')], [parseCidr('10.1.0.0/24')])).toBeUndefined();
    expect(() => planNetworkIpam({ requested: [], pools: [parseAddressPool('base=10.1.0.0/24,size=24')], networkSubnets: ['10.1.0.0/24'], hostRoutes: [] }))
      .toThrow(/could not find an available, non-overlapping IPv4 address pool/);
  });

  it('takes a user subnet, gateway and ip-range, refusing overlaps and gateways outside', () => {
    expect(planNetworkIpam({ requested: [{ Subnet: '192.168.77.0/24', Gateway: '192.168.77.254', IPRange: '192.168.77.128/25' }], pools: [pool], networkSubnets: [], hostRoutes: [] }))
      .toEqual([{ Subnet: '192.168.77.0/24', Gateway: '192.168.77.254', IPRange: '192.168.77.128/25' }]);
    expect(() => planNetworkIpam({ requested: [{ Subnet: '10.47.1.0/24' }], pools: [pool], networkSubnets: ['10.47.0.0/16'], hostRoutes: [] }))
      .toThrow(/Pool overlaps with other one on this address space/);
    expect(() => planNetworkIpam({ requested: [{ Subnet: '10.9.0.0/24', Gateway: '10.9.1.1' }], pools: [pool], networkSubnets: [], hostRoutes: [] }))
      .toThrow(/no matching subnet for gateway/);
  });
});

describe('addresses', () => {
  it('hands out addresses in order, skipping network, gateway and broadcast, and wraps to released ones', () => {
    const cfg = { Subnet: '10.5.0.0/29', Gateway: '10.5.0.1' };
    expect(nextFreeAddress(cfg, new Set())).toBe('10.5.0.2');
    const book = new AddressBook();
    const net = network([cfg]);
    const given = Array.from({ length: 5 }, () => book.allocate(net));
    expect(given).toEqual(['10.5.0.2', '10.5.0.3', '10.5.0.4', '10.5.0.5', '10.5.0.6']);
    expect(() => book.allocate(net)).toThrow(/no available IPv4 addresses/);
    book.release('n1', '10.5.0.3');
    expect(book.allocate(net)).toBe('10.5.0.3');
  });

  it('keeps automatic addresses inside --ip-range', () => {
    expect(nextFreeAddress({ Subnet: '10.5.0.0/24', Gateway: '10.5.0.1', IPRange: '10.5.0.128/25' }, new Set())).toBe('10.5.0.128');
  });

  it('checks --ip like dockerd: user subnets only, inside them, and not twice', () => {
    const book = new AddressBook();
    const net = network([{ Subnet: '10.6.0.0/24', Gateway: '10.6.0.1' }]);
    expect(book.allocate(net, '10.6.0.50')).toBe('10.6.0.50');
    expect(() => book.allocate(net, '10.6.0.50')).toThrow(/Address already in use/);
    expect(() => book.allocate(net, '10.7.0.5')).toThrow(/no configured subnet or ip-range contain the IP address 10.7.0.5/);
    expect(() => book.allocate(network(net.IPAM.Config, { UserSubnet: false }), '10.6.0.9')).toThrow(/user configured subnets/);
    expect(() => book.allocate(network(net.IPAM.Config, { Predefined: true }), '10.6.0.9')).toThrow(/user defined networks only/);
  });
});
