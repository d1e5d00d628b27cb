// Network shapes clients read: `GET /networks` items and `GET /networks/{id}` (API spec "Network").
import type { ContainerRecord } from '../../core/container-types.ts';
import type { NetworkRecord } from '../../core/network/network-types.ts';

export function networkJson(network: NetworkRecord, connected: ContainerRecord[]): object {
  const containers: Record<string, object> = {};
  for (const c of connected) {
    const endpoint = Object.values(c.NetworkSettings?.Networks ?? {}).find((e) => e.NetworkID === network.Id);
    if (!endpoint) continue;
    containers[c.Id] = {
      Name: c.Name.slice(1),
      EndpointID: endpoint.EndpointID ?? '',
      MacAddress: endpoint.MacAddress ?? '',
      IPv4Address: endpoint.IPAddress ? `${endpoint.IPAddress}/${endpoint.IPPrefixLen}` : '',
      IPv6Address: '',
    };
  }
  return {
    Name: network.Name,
    Id: network.Id,
    Created: network.Created,
    Scope: 'local',
    Driver: network.Driver,
    EnableIPv4: true,
    EnableIPv6: network.EnableIPv6,
    IPAM: {
      Driver: network.IPAM.Driver,
      Options: network.IPAM.Options,
      Config: network.IPAM.Config.map((c) => ({ Subnet: c.Subnet, Gateway: c.Gateway, ...(c.IPRange ? { IPRange: c.IPRange } : {}) })),
    },
    Internal: network.Internal,
    Attachable: network.Attachable,
    Ingress: false,
    ConfigFrom: { Network: '' },
    ConfigOnly: false,
    Containers: containers,
    Options: network.Options,
    Labels: network.Labels,
  };
}
