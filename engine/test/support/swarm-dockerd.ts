// A single-node swarm for tests: Debian's dockerd with its own data root, exec root, pidfile,
// socket and bridge (dockerd.ts), made a manager with `docker swarm init`. Everything a swarm
// would put on the host is kept private and on loopback, so several can run side by side:
//   - the control plane listens on 127.0.0.1:<free port>, never 0.0.0.0:2377;
//   - the data path (VXLAN, UDP) uses 127.0.0.1 and a port of its own, not 4789;
//   - docker_gwbridge is made before the init with a bridge name and subnet of this test's own
//     (dockerd creates it otherwise as a host-wide "docker_gwbridge" on 172.18/16).
// stop() leaves the swarm, removes the gateway bridge network, stops dockerd, and then checks
// that nothing of it is left on the host: links, netns files, iptables rules (leftovers()).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createSocket } from 'node:dgram';
import { docker } from './docker-cli.ts';
import { freeBridgeSubnet, startDockerd, type DockerdHandle } from './dockerd.ts';
import { freePort } from './free-port.ts';

export interface SwarmDockerd {
  dockerd: DockerdHandle;
  /** DOCKER_HOST for the CLI and the backend. */
  endpoint: string;
  /** The host interface of this swarm's docker_gwbridge. */
  gatewayBridge: string;
  /** Leaves the swarm and stops dockerd; idempotent. */
  stop(): Promise<void>;
  /** What this swarm left on the host (empty when clean); call after stop(). */
  leftovers(): string[];
}

/** A UDP port in the range swarm accepts for its data path (1024-49151) that nothing has bound. */
async function freeUdpPort(): Promise<number> {
  for (let tries = 0; tries < 50; tries++) {
    const port = 20_000 + Math.floor(Math.random() * 29_000);
    const socket = createSocket('udp4');
    const ok = await new Promise<boolean>((resolve) => {
      socket.once('error', () => resolve(false));
      // The kernel's VXLAN socket binds the wildcard address: probe the same.
      socket.bind(port, '0.0.0.0', () => resolve(true));
    });
    await new Promise<void>((resolve) => socket.close(() => resolve()));
    if (ok) return port;
  }
  throw new Error('no free UDP port for the swarm data path');
}

function must(result: { code: number; stdout: string; stderr: string }, what: string): string {
  if (result.code !== 0) throw new Error(`${what} failed (${result.code}): ${result.stderr}`);
  return result.stdout;
}

const links = (): string => spawnSync('ip', ['-o', 'link', 'show'], { encoding: 'utf8' }).stdout ?? '';
const iptables = (): string => spawnSync('iptables-save', [], { encoding: 'utf8' }).stdout ?? '';

const systemNetns = (): string[] => (existsSync('/run/docker/netns') ? readdirSync('/run/docker/netns') : []);
/** The routing mesh's host chain; only a swarm makes it. */
const hasIngressChain = (): boolean => /^:DOCKER-INGRESS /m.test(iptables());

export async function startSwarmDockerd(opts: { registryHost?: string } = {}): Promise<SwarmDockerd> {
  const netnsBefore = new Set(systemNetns());
  const ingressChainBefore = hasIngressChain();
  const dockerd = await startDockerd({ registryHost: opts.registryHost, bridged: true, isolated: true });
  const env = dockerd.dockerEnv;
  const id = dockerd.dir.slice(-6).replace(/[^a-zA-Z0-9]/g, 'x');
  const gatewayBridge = `bgw-${id}`;
  let stopped = false;
  let dataPathPort = 0;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    // Leaving removes services, tasks, the ingress network and its sandbox; the gateway bridge
    // network is a local one and stays until removed.
    await docker(['swarm', 'leave', '--force'], { env, timeoutMs: 120_000 }).catch(() => undefined);
    await docker(['network', 'rm', 'docker_gwbridge'], { env }).catch(() => undefined);
    await dockerd.stop();
    // If dockerd died before removing it, the link would outlive it.
    if (links().includes(`${gatewayBridge}:`)) spawnSync('ip', ['link', 'del', gatewayBridge], { stdio: 'ignore' });
  };
  const leftovers = (): string[] => {
    const found: string[] = [];
    const l = links();
    if (l.includes(`${gatewayBridge}:`)) found.push(`link ${gatewayBridge}`);
    for (const line of iptables().split('\n')) {
      if (line.includes(gatewayBridge) || line.includes(dockerd.dir)) found.push(`iptables: ${line}`);
    }
    if (existsSync(dockerd.dir)) found.push(`dir ${dockerd.dir}`);
    // The namespaces are nsfs bind mounts; the data path a kernel VXLAN socket.
    for (const line of readFileSync('/proc/self/mountinfo', 'utf8').split('\n')) if (line.includes(dockerd.dir)) found.push(`mount ${line}`);
    const udp = spawnSync('ss', ['-Hulpn', `sport = :${dataPathPort}`], { encoding: 'utf8' }).stdout ?? '';
    if (udp.trim()) found.push(`udp socket ${udp.trim()}`);
    // dockerd keeps its namespaces under <exec-root>/netns (ingress_sbox, 1-<ingress id>); the
    // system-wide /run/docker/netns must not have gained any either.
    for (const n of systemNetns()) if (!netnsBefore.has(n)) found.push(`netns /run/docker/netns/${n}`);
    if (hasIngressChain() && !ingressChainBefore) found.push('iptables chain DOCKER-INGRESS');
    return found;
  };
  try {
    const subnet = freeBridgeSubnet().replace(/\.1\/24$/, '.0/24');
    must(
      await docker(
        ['network', 'create', '--driver', 'bridge', '--subnet', subnet,
          '-o', `com.docker.network.bridge.name=${gatewayBridge}`,
          // The options dockerd gives the docker_gwbridge it makes itself.
          '-o', 'com.docker.network.bridge.enable_icc=false', '-o', 'com.docker.network.bridge.enable_ip_masquerade=true',
          'docker_gwbridge'],
        { env },
      ),
      'creating docker_gwbridge',
    );
    const listenPort = await freePort();
    dataPathPort = await freeUdpPort();
    must(
      await docker(
        ['swarm', 'init', '--advertise-addr', '127.0.0.1', '--listen-addr', `127.0.0.1:${listenPort}`, '--data-path-addr', '127.0.0.1', '--data-path-port', String(dataPathPort)],
        { env, timeoutMs: 120_000 },
      ),
      'docker swarm init',
    );
  } catch (error) {
    await stop();
    throw error;
  }
  return { dockerd, endpoint: env.DOCKER_HOST, gatewayBridge, stop, leftovers };
}
