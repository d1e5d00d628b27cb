// Networking through the real docker CLI: published ports reachable on 127.0.0.1, random ports,
// -P, DNS by name and alias on user networks, --ip, the network verbs, and a clean host after.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEngine, type EngineHandle } from './support/engine-harness.ts';
import { rawApi } from './support/raw-api.ts';
import { testImage } from './support/fixtures.ts';
import { freePort } from './support/free-port.ts';

let engine: EngineHandle;
let busybox: string;

async function ok(args: string[]): Promise<string> {
  const result = await engine.docker(args);
  expect(result.code, `docker ${args.join(' ')}: ${result.stderr}`).toBe(0);
  return result.stdout.trim();
}

/** GET from the host, retrying while the server in the container starts. */
async function httpGet(url: string, attempts = 40): Promise<string> {
  let last: unknown;
  for (let i = 0; i < attempts; i++) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
      return await response.text();
    } catch (error) {
      last = error;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error(`GET ${url} failed: ${String(last)}`);
}

/** A web server container serving `text` from /www on port 8080. */
async function web(name: string, text: string, ...flags: string[]): Promise<void> {
  await ok(['run', '-d', '--name', name, ...flags, busybox, 'sh', '-c', 'mkdir -p /www && exec httpd -f -p 8080 -h /www']);
  await ok(['exec', name, 'sh', '-c', `echo ${text} > /www/index.html`]);
}

beforeAll(async () => {
  engine = await startEngine();
  busybox = testImage('busybox').ref;
  await ok(['pull', busybox]);
});
afterAll(async () => {
  await engine?.stop();
});

describe('published ports', () => {
  it('serves a container port on 127.0.0.1:PORT from the host', async () => {
    const port = await freePort();
    await web('pub', 'hello-from-pub', '-p', `127.0.0.1:${port}:8080`);
    expect(await httpGet(`http://127.0.0.1:${port}/`)).toBe('hello-from-pub\n');
    const inspect = JSON.parse(await ok(['inspect', 'pub']))[0];
    expect(inspect.NetworkSettings.Ports['8080/tcp']).toEqual([{ HostIp: '127.0.0.1', HostPort: String(port) }]);
    expect(inspect.NetworkSettings.Networks.bridge.IPAddress).toMatch(new RegExp(`^${engine.network.prefixes[0].replace(/\./g, '\\.')}`));
    await ok(['rm', '-f', 'pub']);
  });

  it('gives -p 8080 a random host port shown by docker port, and -P publishes EXPOSEd ports', async () => {
    await web('rnd', 'random', '-p', '8080');
    const line = await ok(['port', 'rnd', '8080']);
    const port = Number(/:(\d+)$/m.exec(line)?.[1]);
    expect(port).toBeGreaterThan(0);
    expect(await httpGet(`http://127.0.0.1:${port}/`)).toBe('random\n');
    await web('all', 'exposed', '--expose', '8080', '-P');
    const all = JSON.parse(await ok(['inspect', 'all']))[0].NetworkSettings.Ports['8080/tcp'];
    expect(all[0].HostPort).toMatch(/^\d+$/);
    expect(await httpGet(`http://127.0.0.1:${all[0].HostPort}/`)).toBe('exposed\n');
    await ok(['rm', '-f', 'rnd', 'all']);
  });

  it('refuses a port that is already allocated with Docker\'s message, leaving nothing half set up', async () => {
    const port = await freePort();
    await ok(['run', '-d', '--name', 'holder', '-p', `127.0.0.1:${port}:8080`, busybox, 'sleep', '60']);
    const clash = await engine.docker(['run', '-d', '--name', 'clash', '-p', `127.0.0.1:${port}:8080`, busybox, 'sleep', '60']);
    expect(clash.code).not.toBe(0);
    expect(clash.stderr).toContain(`Bind for 127.0.0.1:${port} failed: port is already allocated`);
    const state = JSON.parse(await ok(['inspect', 'clash']))[0];
    expect(state.State.Running).toBe(false);
    expect(readdirSync(join(engine.execRoot, 'netns'))).toEqual([JSON.parse(await ok(['inspect', 'holder']))[0].Id]);
    await ok(['rm', '-f', 'holder', 'clash']);
  });

  it('releases ports on stop and binds them again on start', async () => {
    const port = await freePort();
    await web('cycle', 'cycled', '-p', `127.0.0.1:${port}:8080`);
    expect(await httpGet(`http://127.0.0.1:${port}/`)).toBe('cycled\n');
    await ok(['stop', '-t', '1', 'cycle']);
    // Released: the port is free for anyone on the host.
    await new Promise<void>((resolve, reject) => {
      const server = createServer().once('error', reject).listen(port, '127.0.0.1', () => server.close(() => resolve()));
    });
    await ok(['start', 'cycle']);
    expect(await httpGet(`http://127.0.0.1:${port}/`)).toBe('cycled\n');
    await ok(['rm', '-f', 'cycle']);
  });
});

describe('user-defined networks', () => {
  it('resolves containers by name and --network-alias, not on the default bridge', async () => {
    await ok(['network', 'create', 'appnet']);
    await web('websrv', 'by-dns', '--network', 'appnet', '--network-alias', 'web');
    const out = await ok(['run', '--rm', '--network', 'appnet', busybox, 'sh', '-c', 'wget -qO- http://web:8080/ && wget -qO- http://websrv:8080/']);
    expect(out).toBe('by-dns\nby-dns');
    const onBridge = await engine.docker(['run', '--rm', busybox, 'wget', '-T', '2', '-qO-', 'http://websrv:8080/']);
    expect(onBridge.code).not.toBe(0);
    await ok(['rm', '-f', 'websrv']);
    await ok(['network', 'rm', 'appnet']);
  });

  it('gives --ip on a network with a user subnet, and writes the address into /etc/hosts', async () => {
    const subnet = engine.network.spareSubnet;
    const ip = subnet.replace(/\d+\/25$/, (m) => String(Number(m.split('/')[0]) + 9));
    await ok(['network', 'create', '--subnet', subnet, 'fixed']);
    const out = await ok(['run', '--rm', '--network', 'fixed', '--ip', ip, '-h', 'pinned', busybox, 'sh', '-c', 'ip -4 -o addr show eth0; grep pinned /etc/hosts']);
    expect(out).toContain(`inet ${ip}/25`);
    expect(out).toContain(`${ip}\tpinned`);
    const onBridge = await engine.docker(['run', '--rm', '--network', 'bridge', '--ip', ip, busybox, 'true']);
    expect(onBridge.stderr).toContain('user specified IP address is supported on user defined networks only');
    await ok(['network', 'rm', 'fixed']);
  });

  it('creates, lists, inspects, connects, disconnects, removes and prunes networks', async () => {
    const id = await ok(['network', 'create', '--label', 'team=berth', 'verbs']);
    expect(id).toMatch(/^[0-9a-f]{64}$/);
    expect((await ok(['network', 'ls', '--format', '{{.Name}}'])).split('\n').sort()).toEqual(expect.arrayContaining(['bridge', 'host', 'none', 'verbs']));
    expect(await ok(['network', 'ls', '-q', '--filter', 'label=team=berth'])).toBe(id.slice(0, 12));
    expect(await ok(['network', 'ls', '--filter', 'type=custom', '--format', '{{.Name}}'])).toBe('verbs');
    const dup = await engine.docker(['network', 'create', 'verbs']);
    expect(dup.stderr).toContain('network with name verbs already exists');
    const info = JSON.parse(await ok(['network', 'inspect', 'verbs']))[0];
    expect(info.IPAM.Config[0].Subnet).toMatch(/\/26$/);
    expect(info.Driver).toBe('bridge');

    await ok(['run', '-d', '--name', 'member', busybox, 'sleep', '60']);
    await ok(['network', 'connect', '--alias', 'buddy', 'verbs', 'member']);
    const connected = JSON.parse(await ok(['network', 'inspect', 'verbs']))[0].Containers;
    const endpoint = Object.values(connected)[0] as { Name: string; IPv4Address: string };
    expect(endpoint.Name).toBe('member');
    expect(await ok(['exec', 'member', 'sh', '-c', 'ip -o link | grep -c eth'])).toBe('2');
    const busy = await engine.docker(['network', 'rm', 'verbs']);
    expect(busy.stderr).toContain(`error while removing network: network verbs id ${id} has active endpoints`);
    await ok(['network', 'disconnect', 'verbs', 'member']);
    expect(await ok(['exec', 'member', 'sh', '-c', 'ip -o link | grep -c eth'])).toBe('1');

    const builtin = await engine.docker(['network', 'rm', 'bridge']);
    expect(builtin.code).not.toBe(0);
    const missing = await engine.docker(['network', 'rm', 'nope']);
    expect(missing.stderr).toContain('No such network: nope');
    // The CLI rewords a 404; the engine's own text is dockerd's.
    expect(JSON.parse((await rawApi(engine.socket, 'DELETE', '/v1.47/networks/nope')).body.toString())).toEqual({ message: 'network nope not found' });
    await ok(['network', 'create', 'spare']);
    const pruned = await ok(['network', 'prune', '-f', '--filter', 'label=team=berth']);
    expect(pruned).toContain('verbs');
    expect(pruned).not.toContain('spare');
    await ok(['network', 'rm', 'spare']);
    await ok(['rm', '-f', 'member']);
  });
});

describe('user network bridges', () => {
  it('keep their bridge and rules between containers, with DNS working after, and lose them all at network rm', async () => {
    const id = await ok(['network', 'create', 'kept']);
    const bridge = JSON.parse(await ok(['network', 'inspect', 'kept']))[0].Options?.['com.docker.network.bridge.name'] ?? `br-${id.slice(0, 12)}`;
    const subnet: string = JSON.parse(await ok(['network', 'inspect', 'kept']))[0].IPAM.Config[0].Subnet;
    const subnetRules = () => ['nat', 'filter'].flatMap((table) =>
      execFileSync('iptables', ['-w', '-t', table, '-S'], { encoding: 'utf8' }).split('\n').filter((rule) => rule.includes(subnet)));
    const linkUp = (name: string) => existsSync(`/sys/class/net/${name}`);
    await ok(['run', '-d', '--name', 'kept-a', '--network', 'kept', busybox, 'sleep', '60']);
    expect(linkUp(bridge)).toBe(true);
    const rules = subnetRules();
    expect(rules.length).toBeGreaterThan(0);
    await ok(['rm', '-f', 'kept-a']);
    // Its last container gone, the network keeps its bridge and NAT rules (as dockerd's br-…).
    expect(linkUp(bridge)).toBe(true);
    expect(subnetRules()).toEqual(rules);
    // The next containers find the network as it was: names resolve through its DNS.
    await ok(['run', '-d', '--name', 'kept-b', '--network', 'kept', busybox, 'sleep', '60']);
    expect(await ok(['run', '--rm', '--network', 'kept', busybox, 'nslookup', 'kept-b'])).toContain('Name:');
    await ok(['rm', '-f', 'kept-b']);
    await ok(['network', 'rm', 'kept']);
    expect(linkUp(bridge)).toBe(false);
    expect(subnetRules()).toEqual([]);
  }, 120_000);
});

describe('clean host', () => {
  it('leaves no veth, netns, iptables rule, mount or cgroup after 50 parallel run --rm -p', async () => {
    // The default bridge stays up between containers (as docker0 does), with its NAT rules and the
    // engine's anchor as its only member: what each container added must be gone again.
    const bridgeMembers = () => execFileSync('ip', ['-o', 'link'], { encoding: 'utf8' }).split('\n').filter((l) => l.includes(`master ${engine.network.bridge} `)).map((l) => l.split(':')[1].trim());
    const subnetRules = () => ['nat', 'filter'].flatMap((table) =>
      execFileSync('iptables', ['-w', '-t', table, '-S'], { encoding: 'utf8' }).split('\n').filter((rule) => engine.network.prefixes.some((p) => rule.includes(p))));
    expect((await engine.docker(['run', '--rm', busybox, 'true'])).code).toBe(0);
    const membersBefore = bridgeMembers();
    const rulesBefore = subnetRules();
    expect(membersBefore).toHaveLength(1);
    const runs = Array.from({ length: 50 }, () => engine.docker(['run', '--rm', '-p', '127.0.0.1::8080', busybox, 'true'], { timeoutMs: 120_000 }));
    const results = await Promise.all(runs);
    for (const r of results) expect(r.code, r.stderr).toBe(0);
    expect(await ok(['ps', '-aq'])).toBe('');
    expect(readdirSync(join(engine.execRoot, 'netns'))).toEqual([]);
    expect(bridgeMembers()).toEqual(membersBefore);
    expect(subnetRules()).toEqual(rulesBefore);
    const mounts = readFileSync('/proc/self/mountinfo', 'utf8');
    expect(mounts).not.toContain(engine.execRoot);
    const cgroups = existsSync('/sys/fs/cgroup') ? execFileSync('find', ['/sys/fs/cgroup', '-maxdepth', '3', '-name', `${engine.cgroupPrefix}*`], { encoding: 'utf8' }) : '';
    // The parent cgroup may stay (as dockerd's /docker does); no container's cgroup may.
    expect(cgroups.split('\n').filter((p) => /[0-9a-f]{64}$/.test(p))).toEqual([]);
  }, 180_000);
});
