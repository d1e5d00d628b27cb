// The NetworkDriver over netavark 1.4 (Debian): `netavark --config <dir> --aardvark-binary <path>
// setup|teardown <netns>` with the network options JSON on stdin (netavark src/network/types.rs:
// NetworkOptions, PerNetworkOptions, Network, PortMapping). Setup prints a map of network name →
// StatusBlock {interfaces: {eth0: {mac_address, subnets: [{ipnet, gateway}]}}}; errors come as
// {"error": "…"} on stdout with a non-zero exit.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { systemError } from '../../../core/errors.ts';
import type { AttachRequest, JoinResult, NetworkDriver, NetworkRecord } from '../../../core/network/network-types.ts';
import { readHostRoutes } from './host-routes.ts';
import { BridgeAnchors } from './bridge-anchor.ts';
import { NetnsManager } from './netns.ts';
import { redirectEmbeddedDns } from './embedded-dns.ts';

export interface NetavarkOptions {
  netavarkPath: string;
  aardvarkPath: string;
  /** netavark's --config: aardvark-dns keeps its per-network files and pid under <dir>/aardvark-dns. */
  configDir: string;
  /** Where container namespaces live (<exec-root>/netns). */
  netnsDir: string;
  /** Where the bridge anchors' namespaces live (<exec-root>/bridge-anchors): apart from the
   * containers', whose directory lists exactly the containers with networking. */
  anchorDir: string;
}

/** Debian ships netavark and aardvark-dns under /usr/lib/podman; Fedora under /usr/libexec/podman. */
export function findNetavark(): { netavarkPath: string; aardvarkPath: string } {
  const dirs = ['/usr/lib/podman', '/usr/libexec/podman', '/usr/local/lib/podman', '/usr/local/libexec/podman'];
  const dir = dirs.find((d) => existsSync(`${d}/netavark`));
  if (!dir) throw systemError(`netavark not found in ${dirs.join(', ')}: install Debian's netavark and aardvark-dns packages`);
  return { netavarkPath: `${dir}/netavark`, aardvarkPath: `${dir}/aardvark-dns` };
}

/** netavark's network name doubles as the key of its iptables chains (NETAVARK-<hash(name)>), and
 * iptables is shared by every engine on the host: the network id keeps two engines' "bridge"
 * networks apart. */
const netavarkName = (id: string) => id;

/** The JSON netavark reads, built from the engine's request. */
export function netavarkOptions(request: AttachRequest): object {
  const networks: Record<string, object> = {};
  const info: Record<string, object> = {};
  for (const join of request.networks) {
    const n = join.network;
    const name = netavarkName(n.Id);
    networks[name] = { static_ips: join.staticIps, aliases: join.aliases, interface_name: join.interfaceName, ...(join.staticMac ? { static_mac: join.staticMac } : {}) };
    info[name] = {
      name,
      id: n.Id,
      driver: 'bridge',
      network_interface: n.BridgeName,
      subnets: n.IPAM.Config.map((c) => ({ subnet: c.Subnet, gateway: c.Gateway })),
      ipv6_enabled: false,
      internal: n.Internal,
      dns_enabled: n.DnsEnabled,
      ...(n.Options['com.docker.network.driver.mtu'] ? { options: { mtu: n.Options['com.docker.network.driver.mtu'] } } : {}),
    };
  }
  return {
    container_id: request.containerId,
    container_name: request.containerName,
    // netavark writes DNAT rules for the first network only in effect; Docker publishes through
    // the container's default (first) network too.
    port_mappings: request.ports.map((p) => ({ host_ip: p.hostIp, container_port: p.containerPort, host_port: p.hostPort, range: 1, protocol: p.protocol })),
    networks,
    network_info: info,
  };
}

interface StatusBlock {
  interfaces?: Record<string, { mac_address: string; subnets?: Array<{ ipnet: string; gateway?: string }> }>;
}

export function parseSetupResult(stdout: string, request: AttachRequest): Record<string, JoinResult> {
  const parsed = JSON.parse(stdout) as Record<string, StatusBlock>;
  const out: Record<string, JoinResult> = {};
  for (const join of request.networks) {
    const block = parsed[netavarkName(join.network.Id)];
    const iface = block?.interfaces?.[join.interfaceName] ?? Object.values(block?.interfaces ?? {})[0];
    if (!iface) throw systemError(`netavark reported no interface for network ${join.network.Name}`);
    out[join.network.Id] = {
      macAddress: iface.mac_address,
      addresses: (iface.subnets ?? []).map((s) => {
        const [address, prefix] = s.ipnet.split('/');
        return { address, prefixLen: Number(prefix), gateway: s.gateway };
      }),
    };
  }
  return out;
}

function netavarkError(stdout: string, stderr: string, code: number | null): string {
  try {
    const parsed = JSON.parse(stdout) as { error?: string };
    if (parsed.error) return parsed.error;
  } catch {
    // Not JSON: fall back to stderr.
  }
  return stderr.trim() || stdout.trim() || `exit code ${code}`;
}

export class NetavarkDriver implements NetworkDriver {
  readonly #options: NetavarkOptions;
  readonly #netns: NetnsManager;
  readonly #anchors: BridgeAnchors;
  /** netavark edits shared iptables chains and aardvark's files: podman runs it under a lock, so
   * do we (one call at a time per engine). */
  #queue: Promise<unknown> = Promise.resolve();

  constructor(options: NetavarkOptions) {
    this.#options = options;
    this.#netns = new NetnsManager(options.netnsDir);
    this.#anchors = new BridgeAnchors(new NetnsManager(options.anchorDir));
  }

  createSandbox(containerId: string): Promise<string> {
    return this.#netns.create(containerId);
  }

  removeSandbox(path: string): Promise<void> {
    return this.#netns.remove(path);
  }

  redirectDns(sandbox: string, server: string): Promise<void> {
    return redirectEmbeddedDns(sandbox, server);
  }

  hostRoutes(): Promise<string[]> {
    return readHostRoutes();
  }

  keepBridge(bridge: string): Promise<void> {
    return this.#anchors.keep(bridge);
  }

  releaseBridge(network: NetworkRecord): Promise<void> {
    const bridge = network.BridgeName;
    if (!bridge) return Promise.resolve();
    // To netavark the anchor is a container on this network with `eth0` and no port. netavark
    // 1.4 panics on a teardown without an address; the anchor has none, and the subnet's own
    // (network) address is one no container holds, so no container's rule can match it.
    const subnets = network.IPAM.Config.map((c) => c.Subnet.split('/')[0]).filter(Boolean);
    const request: AttachRequest = {
      containerId: `anchor-${network.Id}`.slice(0, 64),
      containerName: `anchor-${bridge}`,
      ports: [],
      // Without DNS: the stand-in never had a name in aardvark-dns, whose files for the network
      // went with its last real container (a teardown asking to remove it fails on ENOENT).
      networks: [{ network: { ...network, DnsEnabled: false }, interfaceName: 'eth0', staticIps: subnets.slice(0, 1), aliases: [] }],
    };
    return this.#anchors.release(bridge, async (sandbox) => {
      await this.#run('teardown', sandbox, request);
    });
  }

  async setup(sandbox: string, request: AttachRequest): Promise<Record<string, JoinResult>> {
    const stdout = await this.#run('setup', sandbox, request);
    return parseSetupResult(stdout, request);
  }

  async teardown(sandbox: string, request: AttachRequest): Promise<void> {
    await this.#run('teardown', sandbox, request);
  }

  #run(command: 'setup' | 'teardown', sandbox: string, request: AttachRequest): Promise<string> {
    const task = this.#queue.catch(() => undefined).then(() => this.#exec(command, sandbox, request));
    this.#queue = task;
    return task;
  }

  async #exec(command: 'setup' | 'teardown', sandbox: string, request: AttachRequest): Promise<string> {
    await mkdir(this.#options.configDir, { recursive: true, mode: 0o700 });
    const args = ['--config', this.#options.configDir, '--aardvark-binary', this.#options.aardvarkPath, command, sandbox];
    return new Promise((resolve, reject) => {
      // aardvark-dns is started by netavark and daemonizes; it must not keep our pipes open.
      const child = spawn(this.#options.netavarkPath, args, { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, RUST_LOG: 'warn' } });
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      child.stdout.on('data', (d: Buffer) => out.push(d));
      child.stderr.on('data', (d: Buffer) => err.push(d));
      child.on('error', (e) => reject(systemError(`netavark ${command}: ${e.message}`, e)));
      // aardvark-dns, started by netavark with inherited stdio, may keep the pipes open after
      // netavark exits: finish on exit once stdout has drained (or after a short grace period).
      let code: number | null | undefined;
      let drained = false;
      const finish = () => {
        if (code === undefined || !drained) return;
        const stdout = Buffer.concat(out).toString();
        child.stdout.destroy();
        child.stderr.destroy();
        if (code === 0) resolve(stdout);
        else reject(systemError(`netavark ${command}: ${netavarkError(stdout, Buffer.concat(err).toString(), code)}`));
      };
      child.stdout.on('end', () => {
        drained = true;
        finish();
      });
      child.on('exit', (exitCode) => {
        code = exitCode;
        setTimeout(() => {
          drained = true;
          finish();
        }, 200).unref();
        finish();
      });
      child.stdin.on('error', () => undefined);
      child.stdin.end(JSON.stringify(netavarkOptions(request)));
    });
  }
}
