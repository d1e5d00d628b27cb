// Per-engine network isolation for tests: every berthd under test gets its own bridge name and
// address ranges, and leaves no namespace, bridge, veth, aardvark-dns or iptables rule behind.
// Everything is scoped to that engine's ranges and dirs: other engines may run at the same time.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { anchorName } from '../../src/platform/linux/network/bridge-anchor.ts';

export interface EngineNetwork {
  /** --bridge: ≤ 15 characters. */
  bridge: string;
  /** --bip, e.g. 10.231.7.1/25. */
  bip: string;
  /** --default-address-pool base=…,size=26. */
  pool: string;
  /** A /25 next to the bip nobody allocates from: for tests that need `--subnet` (and `--ip`). */
  spareSubnet: string;
  /** Every IPv4 prefix the engine may use, for the iptables sweep ("10.231.7." / "10.171.28."…). */
  prefixes: string[];
}

function quiet(cmd: string, args: string[]): string {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 20_000 });
  } catch {
    return '';
  }
}

/** Random ranges that no host route uses yet: bip + spare in one /24, the pool in a /22. */
export function pickEngineNetwork(id: string): EngineNetwork {
  const routes = quiet('ip', ['-4', 'route']);
  for (let attempt = 0; attempt < 50; attempt++) {
    const a = 224 + Math.floor(Math.random() * 24);
    const b = Math.floor(Math.random() * 256);
    const p = 160 + Math.floor(Math.random() * 48);
    const q = Math.floor(Math.random() * 64) * 4;
    if (routes.includes(`10.${a}.${b}.`) || [0, 1, 2, 3].some((i) => routes.includes(`10.${p}.${q + i}.`))) continue;
    return {
      bridge: `bt${id.replace(/[^a-zA-Z0-9]/g, '').slice(0, 10)}`,
      bip: `10.${a}.${b}.1/25`,
      pool: `base=10.${p}.${q}.0/22,size=26`,
      spareSubnet: `10.${a}.${b}.128/25`,
      prefixes: [`10.${a}.${b}.`, ...[0, 1, 2, 3].map((i) => `10.${p}.${q + i}.`)],
    };
  }
  throw new Error('no free test address range');
}

/** Bridges the engine made: the default one and those recorded for its user networks. */
function engineBridges(net: EngineNetwork, dataRoot: string): string[] {
  const names = [net.bridge];
  const dir = join(dataRoot, 'networks');
  if (existsSync(dir)) {
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.json'))) {
      try {
        const record = JSON.parse(readFileSync(join(dir, file), 'utf8')) as { BridgeName?: string };
        if (record.BridgeName) names.push(record.BridgeName);
      } catch {
        // Half-written record: nothing to learn from it.
      }
    }
  }
  return names;
}

/** Per-network and per-port chains netavark names with a hash; its shared base chains are not. */
const OWN_CHAIN = /^NETAVARK-(?:DN-)?[0-9A-F]{10,}$/;

function ruleSpec(line: string): string[] {
  const spec = line.slice(3).match(/(?:[^\s"']+|"[^"]*"|'[^']*')+/g) ?? [];
  return spec.map((s) => s.replace(/^"(.*)"$/, '$1'));
}

/** Deletes iptables rules (nat and filter) that mention the engine's addresses, then the
 * per-network and per-port chains those rules live in or jump to, with every rule anywhere that
 * jumps to them: a published port's NETAVARK-HOSTPORT-DNAT rule names only the port, not an
 * address, so it is found through the NETAVARK-DN-… chain it jumps to. */
function sweepIptables(net: EngineNetwork): void {
  for (const table of ['nat', 'filter']) {
    const rules = quiet('iptables', ['-w', '-t', table, '-S']).split('\n').filter((line) => line.startsWith('-A '));
    const ours = new Set<string>();
    for (const line of rules) {
      if (!net.prefixes.some((p) => line.includes(p))) continue;
      const chain = line.split(' ')[1];
      if (OWN_CHAIN.test(chain)) ours.add(chain);
      const jump = /-j (NETAVARK-\S+)/.exec(line)?.[1];
      if (jump && OWN_CHAIN.test(jump)) ours.add(jump);
      quiet('iptables', ['-w', '-t', table, '-D', ...ruleSpec(line)]);
    }
    for (const line of rules) {
      const jump = /-j (NETAVARK-\S+)/.exec(line)?.[1];
      if (jump && ours.has(jump) && !ours.has(line.split(' ')[1])) quiet('iptables', ['-w', '-t', table, '-D', ...ruleSpec(line)]);
    }
    for (const chain of ours) quiet('iptables', ['-w', '-t', table, '-F', chain]);
    for (const chain of ours) quiet('iptables', ['-w', '-t', table, '-X', chain]);
    // netavark's teardown flushes a port's DN chain but leaves it declared: drop hashed chains that
    // are empty and that nothing jumps to (-X refuses a chain still referenced).
    const after = quiet('iptables', ['-w', '-t', table, '-S']).split('\n');
    const declared = after.filter((line) => line.startsWith('-N ')).map((line) => line.slice(3).trim()).filter((c) => OWN_CHAIN.test(c));
    const used = new Set(after.filter((line) => line.startsWith('-A ')).flatMap((line) => [line.split(' ')[1], /-j (\S+)/.exec(line)?.[1] ?? '']));
    for (const chain of declared) if (!used.has(chain)) quiet('iptables', ['-w', '-t', table, '-X', chain]);
  }
}

/** aardvark-dns daemons started for this engine (their --config is under its exec root). */
function killAardvark(execRoot: string): void {
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      if ((argv[0] ?? '').endsWith('aardvark-dns') && argv.some((a) => a.startsWith(execRoot))) process.kill(Number(pid), 'SIGKILL');
    } catch {
      // Gone meanwhile.
    }
  }
}

export function cleanupEngineNetwork(net: EngineNetwork, dataRoot: string, execRoot: string): void {
  killAardvark(execRoot);
  const netnsDir = join(execRoot, 'netns');
  if (existsSync(netnsDir)) {
    for (const file of readdirSync(netnsDir)) {
      const path = join(netnsDir, file);
      // Deleting the namespace deletes the container ends of its veths, and with them the host ends.
      quiet('umount', ['-l', path]);
    }
  }
  for (const bridge of engineBridges(net, dataRoot)) {
    // The engine keeps its default bridge up with a dummy member (platform bridge-anchor.ts).
    quiet('ip', ['link', 'delete', anchorName(bridge)]);
    quiet('ip', ['link', 'delete', bridge]);
  }
  sweepIptables(net);
}
