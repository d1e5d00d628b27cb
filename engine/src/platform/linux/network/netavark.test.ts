import { describe, expect, it } from 'vitest';
import type { AttachRequest, NetworkRecord } from '../../../core/network/network-types.ts';
import { parseProcNetRoute } from './host-routes.ts';
import { netavarkOptions, parseSetupResult } from './netavark.ts';

const network: NetworkRecord = {
  Id: 'f'.repeat(64), Name: 'app', Created: '', Driver: 'bridge', EnableIPv6: false, Internal: false, Attachable: false,
  IPAM: { Driver: 'default', Options: {}, Config: [{ Subnet: '10.48.0.0/24', Gateway: '10.48.0.1' }] }, Options: {}, Labels: {},
  BridgeName: 'br-ffffffffffff', DnsEnabled: true, Predefined: false,
};
const request: AttachRequest = {
  containerId: 'c'.repeat(64), containerName: 'web',
  ports: [{ key: '80/tcp', containerPort: 80, protocol: 'tcp', hostIp: '127.0.0.1', hostPort: 8080 }],
  networks: [{ network, interfaceName: 'eth0', staticIps: ['10.48.0.2'], aliases: ['site', 'cccccccccccc'] }],
};

describe('netavark options', () => {
  it('writes netavark 1.4 field names, keyed by network id so engines never share iptables chains', () => {
    expect(netavarkOptions(request)).toEqual({
      container_id: 'c'.repeat(64),
      container_name: 'web',
      port_mappings: [{ host_ip: '127.0.0.1', container_port: 80, host_port: 8080, range: 1, protocol: 'tcp' }],
      networks: { ['f'.repeat(64)]: { static_ips: ['10.48.0.2'], aliases: ['site', 'cccccccccccc'], interface_name: 'eth0' } },
      network_info: {
        ['f'.repeat(64)]: {
          name: 'f'.repeat(64), id: 'f'.repeat(64), driver: 'bridge', network_interface: 'br-ffffffffffff',
          subnets: [{ subnet: '10.48.0.0/24', gateway: '10.48.0.1' }], ipv6_enabled: false, internal: false, dns_enabled: true,
        },
      },
    });
  });

  it('reads the interface, MAC and address from setup\'s status blocks', () => {
    const stdout = JSON.stringify({ ['f'.repeat(64)]: { dns_server_ips: ['10.48.0.1'], interfaces: { eth0: { mac_address: '8a:3c:81:ba:97:65', subnets: [{ gateway: '10.48.0.1', ipnet: '10.48.0.2/24' }] } } } });
    expect(parseSetupResult(stdout, request)).toEqual({ ['f'.repeat(64)]: { macAddress: '8a:3c:81:ba:97:65', addresses: [{ address: '10.48.0.2', prefixLen: 24, gateway: '10.48.0.1' }] } });
  });
});

describe('host routes', () => {
  it('turns /proc/net/route rows into CIDRs', () => {
    const text = 'Iface\tDestination\tGateway\tFlags\tRefCnt\tUse\tMetric\tMask\tMTU\tWindow\tIRTT\n'
      + 'eth0\t00000000\t010200C0\t0003\t0\t0\t0\t00000000\t0\t0\t0\n'
      + 'eth0\t000200C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0\n';
    expect(parseProcNetRoute(text)).toEqual(['0.0.0.0/0', '192.0.2.0/24']);
  });
});
