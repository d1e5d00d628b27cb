// ContainerNetworking on netavark: at create the endpoints are checked and recorded; at start the
// container gets its own namespace, addresses, published ports and (on user networks) DNS; after
// exit all of it is torn down again, so a stopped container holds no port, address or interface.
import type { ContainerRecord, EndpointSettings } from '../../core/container-types.ts';
import { EngineError, errorMessage, invalid, notFound } from '../../core/errors.ts';
import { newId } from '../../core/ids.ts';
import { checkStaticAddress } from '../../core/network/address-book.ts';
import type { AttachRequest, NetworkJoin, NetworkRecord, PortBinder, PortReservation } from '../../core/network/network-types.ts';
import { bindPorts, portMapOf, releaseAll, requestedPorts } from '../../core/network/ports.ts';
import type { ContainerNetworking, NetworkAttachment } from '../containers/context.ts';
import type { NetworkService } from './network-service.ts';

/** Endpoint fields that exist only while the container is connected. */
export function clearLiveFields(endpoint: EndpointSettings): EndpointSettings {
  return { ...endpoint, EndpointID: '', Gateway: '', IPAddress: '', IPPrefixLen: 0, MacAddress: '' };
}

/** The endpoint of a network that does not exist: kept as asked, checked when the start needs it. */
function missingEndpoint(asked: EndpointSettings): EndpointSettings {
  return clearLiveFields({ IPAMConfig: asked.IPAMConfig ?? null, Links: asked.Links ?? null, Aliases: asked.Aliases ?? null, NetworkID: '', DriverOpts: asked.DriverOpts ?? null, DNSNames: null });
}

export class NetavarkContainerNetworking implements ContainerNetworking {
  readonly #networks: NetworkService;
  readonly #binder: PortBinder;
  readonly #save: (record: ContainerRecord) => Promise<void>;
  readonly #find: (ref: string) => ContainerRecord | undefined;
  /** Host ports held for running containers (sockets cannot be persisted; restore() re-binds). */
  readonly reservations = new Map<string, PortReservation[]>();

  constructor(deps: { networks: NetworkService; binder: PortBinder; save: (record: ContainerRecord) => Promise<void>; find: (ref: string) => ContainerRecord | undefined }) {
    this.#networks = deps.networks;
    this.#binder = deps.binder;
    this.#save = deps.save;
    this.#find = deps.find;
  }

  async prepare(record: ContainerRecord, endpoints: Record<string, EndpointSettings>): Promise<void> {
    const hc = record.HostConfig;
    if (!hc.NetworkMode || hc.NetworkMode === 'default') hc.NetworkMode = 'bridge';
    const mode = hc.NetworkMode;
    const networks: Record<string, EndpointSettings> = {};
    if (mode.startsWith('container:')) {
      const other = this.#find(mode.slice('container:'.length));
      if (!other) throw notFound(`No such container: ${mode.slice('container:'.length)}`);
      hc.NetworkMode = `container:${other.Id}`;
    } else {
      // Validates the port specs now, so a bad one fails `create`, not `start`.
      requestedPorts(hc, record.Config.ExposedPorts);
      // A network that does not exist (yet) is no error at create: dockerd records it under the
      // name given and fails the start with "network … not found" (daemon/container_operations.go
      // updateContainerNetworkSettings). A 404 here would make `docker run` pull the image.
      const nameOf = (ref: string) => this.#network(ref)?.Name ?? (ref === 'default' ? 'bridge' : ref);
      // EndpointsConfig keys may be names, ids or "default" (the CLI's key for `--ip` without --network).
      const asked = new Map<string, EndpointSettings>();
      for (const [ref, endpoint] of Object.entries(endpoints)) asked.set(nameOf(ref), endpoint);
      const primary = nameOf(mode);
      const names = [primary, ...[...asked.keys()].filter((n) => n !== primary)];
      for (const name of names) {
        const network = this.#network(name);
        if (network && network.Driver !== 'bridge' && names.length > 1) {
          throw invalid('conflicting options: host type networking can\'t be used with links. This would result in undefined behavior');
        }
        networks[name] = network ? this.#endpointFor(network, asked.get(name) ?? {}) : missingEndpoint(asked.get(name) ?? {});
      }
    }
    record.NetworkSettings = { Networks: networks, Ports: {}, SandboxKey: '' };
  }

  #network(ref: string): NetworkRecord | undefined {
    try {
      return this.#networks.get(ref);
    } catch (error) {
      if (error instanceof EngineError && error.kind === 'not-found') return undefined;
      throw error;
    }
  }

  #endpointFor(network: NetworkRecord, asked: EndpointSettings): EndpointSettings {
    const ip = asked.IPAMConfig?.IPv4Address;
    if (ip) checkStaticAddress(network, ip);
    if (asked.Aliases?.length && (network.Predefined || !network.DnsEnabled)) {
      throw invalid('network-scoped alias is supported only for containers in user defined networks');
    }
    return clearLiveFields({
      IPAMConfig: asked.IPAMConfig ?? null,
      Links: asked.Links ?? null,
      Aliases: asked.Aliases ?? null,
      NetworkID: network.Id,
      DriverOpts: asked.DriverOpts ?? null,
      DNSNames: null,
    });
  }

  async connect(record: ContainerRecord): Promise<NetworkAttachment> {
    const mode = record.HostConfig.NetworkMode;
    if (mode.startsWith('container:')) {
      const other = this.#find(mode.slice('container:'.length));
      const sandbox = other && (other.State.Status === 'running' || other.State.Status === 'paused') ? other.NetworkSettings?.SandboxKey : undefined;
      if (!sandbox) throw new EngineError('conflict', `cannot join network namespace of a non running container: ${mode.slice(10, 22)}`);
      return { netnsPath: sandbox, hostsEntries: [] };
    }
    const settings = record.NetworkSettings ?? { Networks: {}, Ports: {}, SandboxKey: '' };
    record.NetworkSettings = settings;
    const names = Object.keys(settings.Networks);
    const bridgeNames = names.filter((name) => this.#networks.get(settings.Networks[name].NetworkID || name).Driver === 'bridge');
    // host and none: today's behaviour, the host's stack or an empty namespace from runc.
    if (bridgeNames.length === 0) return { hostsEntries: [] };
    // Leftovers of a start that died half-way would hold addresses and ports.
    await this.disconnect(record);

    const joins: NetworkJoin[] = [];
    const shortId = record.Id.slice(0, 12);
    const { bound, reservations } = await bindPorts(requestedPorts(record.HostConfig, record.Config.ExposedPorts), this.#binder);
    let sandbox: string | undefined;
    let request: AttachRequest | undefined;
    let embeddedDns = false;
    // Held until the container is attached: a `network rm` waits for it (network-service.ts).
    const endJoins: Array<() => void> = [];
    try {
      for (const [index, name] of bridgeNames.entries()) {
        const network = this.#networks.get(settings.Networks[name].NetworkID || name);
        endJoins.push(this.#networks.beginJoin(network));
        const endpoint = settings.Networks[name];
        const ip = this.#networks.addresses.allocate(network, endpoint.IPAMConfig?.IPv4Address || undefined);
        const aliases = network.DnsEnabled ? [...(endpoint.Aliases ?? []), shortId] : [];
        // `--mac-address` (Config.MacAddress) names the primary network's interface.
        const staticMac = index === 0 ? record.Config.MacAddress : undefined;
        joins.push({ network, interfaceName: `eth${index}`, staticIps: [ip], aliases, ...(staticMac ? { staticMac } : {}) });
      }
      sandbox = await this.#networks.driver.createSandbox(record.Id);
      request = { containerId: record.Id, containerName: record.Name.slice(1), ports: bound, networks: joins };
      // Persist before setup: a crash in the middle still leaves a record of what to undo.
      await this.#networks.attachments.save({ containerId: record.Id, sandbox, request });
      const results = await this.#networks.driver.setup(sandbox, request);
      this.reservations.set(record.Id, reservations);
      // Docker's embedded DNS (127.0.0.11) on user-defined networks, served by aardvark-dns on the
      // first such network's gateway. With --dns the container asks those servers directly:
      // aardvark-dns 1.4 cannot forward to per-container upstreams as dockerd's resolver does.
      const dnsJoin = record.HostConfig.Dns?.length ? undefined : joins.find((j) => j.network.DnsEnabled && !j.network.Internal);
      const dnsServer = dnsJoin && (results[dnsJoin.network.Id]?.addresses[0]?.gateway || dnsJoin.network.IPAM.Config[0]?.Gateway);
      if (dnsServer) await this.#networks.driver.redirectDns(sandbox, dnsServer);
      embeddedDns = !!dnsServer;
      // Every bridge stays up between its containers, as dockerd keeps docker0 and a user
      // network's br-… until `network rm`: netavark would tear it down, rules and all, with its
      // last container and build it again for the next (~200 ms of iptables on each side).
      for (const join of joins) {
        // Only speed is at stake: a failure here must not fail the container's start.
        if (join.network.Driver === 'bridge' && join.network.BridgeName) await this.#networks.driver.keepBridge(join.network.BridgeName).catch(() => undefined);
      }
      for (const [index, name] of bridgeNames.entries()) {
        const join = joins[index];
        const result = results[join.network.Id];
        const address = result.addresses[0];
        settings.Networks[name] = {
          ...settings.Networks[name],
          NetworkID: join.network.Id,
          EndpointID: newId(),
          Gateway: address?.gateway ?? '',
          IPAddress: address?.address ?? join.staticIps[0],
          IPPrefixLen: address?.prefixLen ?? 0,
          MacAddress: result.macAddress,
          DNSNames: join.network.DnsEnabled ? [record.Name.slice(1), ...join.aliases] : null,
        };
      }
    } catch (error) {
      await releaseAll(reservations);
      if (sandbox && request) await this.#networks.driver.teardown(sandbox, request).catch(() => undefined);
      if (sandbox) await this.#networks.driver.removeSandbox(sandbox).catch(() => undefined);
      for (const join of joins) for (const ip of join.staticIps) this.#networks.addresses.release(join.network.Id, ip);
      await this.#networks.attachments.delete(record.Id).catch(() => undefined);
      throw error;
    } finally {
      for (const end of endJoins) end();
    }
    settings.Ports = portMapOf(bound, record.Config.ExposedPorts);
    settings.SandboxKey = sandbox;
    for (const join of joins) this.#networks.events.publish('network', 'connect', join.network.Id, { container: record.Id, name: join.network.Name, type: 'bridge' });
    return this.#attachment(record, joins, embeddedDns);
  }

  #attachment(record: ContainerRecord, joins: NetworkJoin[], embeddedDns: boolean): NetworkAttachment {
    const first = record.NetworkSettings?.Networks[joins[0].network.Name];
    // Docker writes "<ip>\t<fqdn> <hostname>" (or just the hostname) for the container itself.
    const { Hostname: name, Domainname: domain } = record.Config;
    const fqdn = domain ? `${name}.${domain}` : name;
    const names = fqdn.includes('.') ? `${fqdn} ${fqdn.split('.')[0]}` : fqdn;
    const hostsEntries = first?.IPAddress ? [`${first.IPAddress}\t${names}`] : [];
    return { netnsPath: record.NetworkSettings?.SandboxKey, hostsEntries, embeddedDns };
  }

  async disconnect(record: ContainerRecord): Promise<void> {
    const attachment = this.#networks.attachments.get(record.Id);
    const reservations = this.reservations.get(record.Id) ?? [];
    this.reservations.delete(record.Id);
    await releaseAll(reservations);
    if (attachment) {
      await this.#networks.driver.teardown(attachment.sandbox, attachment.request).catch(() => undefined);
      await this.#networks.driver.removeSandbox(attachment.sandbox);
      for (const join of attachment.request.networks) {
        for (const ip of join.staticIps) this.#networks.addresses.release(join.network.Id, ip);
        this.#networks.events.publish('network', 'disconnect', join.network.Id, { container: record.Id, name: join.network.Name, type: 'bridge' });
      }
      await this.#networks.attachments.delete(record.Id);
    }
    const settings = record.NetworkSettings;
    if (!settings || (!attachment && settings.SandboxKey === '')) return;
    for (const name of Object.keys(settings.Networks)) settings.Networks[name] = clearLiveFields(settings.Networks[name]);
    settings.Ports = {};
    settings.SandboxKey = '';
    await this.#save(record).catch(() => undefined);
  }

  async release(record: ContainerRecord): Promise<void> {
    await this.disconnect(record);
  }

  /** Engine start (after the restore) and stop: a bridge is kept up only for the containers
   * connected to it; with none, it goes with its firewall rules, so an idle or stopped engine
   * leaves no bridge, NAT chain, forwarding rule or veth of its own behind. */
  async releaseIdleBridges(): Promise<void> {
    const inUse = new Set(this.#networks.attachments.list().flatMap((a) => a.request.networks.map((join) => join.network.Id)));
    const failures: string[] = [];
    for (const network of this.#networks.list()) {
      if (network.Driver !== 'bridge' || !network.BridgeName || inUse.has(network.Id)) continue;
      // One bridge the host's firewall will not let go must not keep the others up.
      await this.#networks.driver.releaseBridge(network).catch((error: unknown) => {
        failures.push(`${network.BridgeName}: ${errorMessage(error)}`);
      });
    }
    if (failures.length > 0) throw new Error(`releasing idle bridges: ${failures.join('; ')}`);
  }

  /** Engine start: holds the published ports of containers that are still running again. */
  async restore(): Promise<void> {
    for (const attachment of this.#networks.attachments.list()) {
      const record = this.#find(attachment.containerId);
      if (!record || (record.State.Status !== 'running' && record.State.Status !== 'paused')) continue;
      const held: PortReservation[] = [];
      for (const port of attachment.request.ports) {
        held.push(...(await bindPorts([{ ...port, hostPortLow: port.hostPort, hostPortHigh: port.hostPort }], this.#binder).then((r) => r.reservations, () => [])));
      }
      this.reservations.set(record.Id, held);
    }
  }
}
