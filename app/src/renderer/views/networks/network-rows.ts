// What the Networks table shows per network: its first subnet and gateway, and the containers
// attached, from the network's own Containers map when the engine filled it in and from the
// containers list (NetworkSettings.Networks) otherwise: GET /networks leaves the map empty.
import type { ContainerSummary, Network } from '../../../common/docker-types.ts';
import { containerName } from '../../components/format.ts';

/** The networks every engine creates itself; Docker refuses to delete them. */
export const BUILTIN_NETWORKS = new Set(['bridge', 'host', 'none']);

export function connectedContainers(network: Network, containers: readonly ContainerSummary[]): string[] {
  const names = new Set<string>();
  for (const attached of Object.values(network.Containers ?? {})) {
    if (attached.Name) names.add(attached.Name.replace(/^\//, ''));
  }
  for (const container of containers) {
    const networks = container.NetworkSettings?.Networks ?? {};
    for (const [name, settings] of Object.entries(networks)) {
      if (name === network.Name || (settings.NetworkID && settings.NetworkID === network.Id)) names.add(containerName(container));
    }
  }
  return [...names].sort((a, b) => a.localeCompare(b));
}

export function ipamOf(network: Network): { subnet: string; gateway: string } {
  const configs = network.IPAM?.Config ?? [];
  return {
    subnet: configs.map((config) => config.Subnet).filter(Boolean).join(', '),
    gateway: configs.map((config) => config.Gateway).filter(Boolean).join(', '),
  };
}
