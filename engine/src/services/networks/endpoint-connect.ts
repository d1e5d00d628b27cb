// `docker network connect/disconnect`: a stopped container just gains or loses the endpoint in
// its settings (set up at its next start); a running one gets the interface added to or removed
// from its namespace at once, as dockerd does.
import type { ContainerRecord, EndpointSettings } from '../../core/container-types.ts';
import { forbidden } from '../../core/errors.ts';
import { newId } from '../../core/ids.ts';
import type { AttachRequest } from '../../core/network/network-types.ts';
import type { ContainerContext } from '../containers/context.ts';
import type { NetavarkContainerNetworking } from './container-networking.ts';
import type { NetworkService } from './network-service.ts';

const live = (status: string) => status === 'running' || status === 'paused';

export async function connectEndpoint(deps: { ctx: ContainerContext; networks: NetworkService; networking: NetavarkContainerNetworking },
  networkRef: string, containerRef: string, asked: EndpointSettings): Promise<void> {
  const { ctx, networks } = deps;
  const network = networks.get(networkRef);
  const record = ctx.store.get(containerRef);
  await ctx.withLock(record.Id, async () => {
    const mode = record.HostConfig.NetworkMode;
    if (network.Driver !== 'bridge') throw forbidden('container cannot be disconnected from host network or connected to host network');
    if (mode === 'host' || mode === 'none' || mode.startsWith('container:')) {
      throw forbidden('container sharing network namespace with another container or host cannot be connected to any other network');
    }
    const settings = record.NetworkSettings ?? { Networks: {}, Ports: {}, SandboxKey: '' };
    record.NetworkSettings = settings;
    if (Object.values(settings.Networks).some((e) => e.NetworkID === network.Id) || settings.Networks[network.Name]) {
      throw forbidden(`endpoint with name ${record.Name.slice(1)} already exists in network ${network.Name}`);
    }
    // Validation (static address, aliases) is the same as at create.
    const probe: ContainerRecord = { ...record, NetworkSettings: undefined, HostConfig: { ...record.HostConfig, NetworkMode: network.Name, PortBindings: {}, PublishAllPorts: false } };
    await deps.networking.prepare(probe, { [network.Name]: asked });
    const endpoint = probe.NetworkSettings?.Networks[network.Name] ?? {};
    const attachment = networks.attachments.get(record.Id);
    if (live(record.State.Status) && attachment) {
      // Held until the attachment is saved: a `network rm` waits for it (network-service.ts).
      const endJoin = networks.beginJoin(network);
      const used = new Set(attachment.request.networks.map((j) => j.interfaceName));
      let index = 0;
      while (used.has(`eth${index}`)) index++;
      const ip = networks.addresses.allocate(network, endpoint.IPAMConfig?.IPv4Address || undefined);
      const join = { network, interfaceName: `eth${index}`, staticIps: [ip], aliases: [...(endpoint.Aliases ?? []), record.Id.slice(0, 12)] };
      const request: AttachRequest = { containerId: record.Id, containerName: record.Name.slice(1), ports: [], networks: [join] };
      try {
        const results = await networks.driver.setup(attachment.sandbox, request);
        const address = results[network.Id]?.addresses[0];
        attachment.request.networks.push(join);
        await networks.attachments.save(attachment);
        settings.Networks[network.Name] = {
          ...endpoint, EndpointID: newId(),
          Gateway: address?.gateway ?? '', IPAddress: address?.address ?? ip, IPPrefixLen: address?.prefixLen ?? 0,
          MacAddress: results[network.Id]?.macAddress ?? '', DNSNames: [record.Name.slice(1), ...join.aliases],
        };
      } catch (error) {
        networks.addresses.release(network.Id, ip);
        throw error;
      } finally {
        endJoin();
      }
    } else {
      settings.Networks[network.Name] = endpoint;
    }
    await ctx.store.save(record);
    networks.events.publish('network', 'connect', network.Id, { container: record.Id, name: network.Name, type: network.Driver });
  });
}

export async function disconnectEndpoint(deps: { ctx: ContainerContext; networks: NetworkService }, networkRef: string, containerRef: string, force: boolean): Promise<void> {
  const { ctx, networks } = deps;
  const network = networks.get(networkRef);
  const record = ctx.store.find(containerRef);
  if (!record) {
    // dockerd lets `--force` clean up an endpoint of a container that is already gone.
    if (force) return;
    ctx.store.get(containerRef);
    return;
  }
  await ctx.withLock(record.Id, async () => {
    const settings = record.NetworkSettings;
    const name = Object.keys(settings?.Networks ?? {}).find((n) => n === network.Name || settings?.Networks[n].NetworkID === network.Id);
    if (!settings || !name) throw forbidden(`container ${record.Id} is not connected to network ${network.Name}`);
    if (network.Driver !== 'bridge') throw forbidden('container cannot be disconnected from host network or connected to host network');
    const attachment = networks.attachments.get(record.Id);
    const join = attachment?.request.networks.find((j) => j.network.Id === network.Id);
    if (attachment && join) {
      const request: AttachRequest = { containerId: record.Id, containerName: record.Name.slice(1), ports: attachment.request.ports, networks: [join] };
      await networks.driver.teardown(attachment.sandbox, request).catch((error) => {
        if (!force) throw error;
      });
      for (const ip of join.staticIps) networks.addresses.release(network.Id, ip);
      attachment.request.networks = attachment.request.networks.filter((j) => j !== join);
      await networks.attachments.save(attachment);
    }
    delete settings.Networks[name];
    if (Object.keys(settings.Networks).length === 0 && !live(record.State.Status)) settings.Ports = {};
    await ctx.store.save(record);
    networks.events.publish('network', 'disconnect', network.Id, { container: record.Id, name: network.Name, type: network.Driver });
  });
}
