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

/** Deletes iptables rules (nat and filter) that mention the engine's addresses, then the
 * per-network chains those rules jumped to once they are empty. */
function sweepIptables(net: EngineNetwork): void {
  for (const table of ['nat', 'filter']) {
    const chains = new Set<string>();
    for (const line of quiet('iptables', ['-w', '-t', table, '-S']).split('\n')) {
      if (!line.startsWith('-A ') || !net.prefixes.some((p) => line.includes(p))) continue;
      const jump = /-j (NETAVARK-[0-9A-F]+)\b/.exec(line);
      if (jump) chains.add(jump[1]);
      const spec = line.slice(3).match(/(?:[^\s"']+|"[^"]*"|'[^']*')+/g) ?? [];
      quiet('iptables', ['-w', '-t', table, '-D', ...spec.map((s) => s.replace(/^"(.*)"$/, '$1'))]);
    }
    for (const chain of chains) {
      const rest = quiet('iptables', ['-w', '-t', table, '-S', chain]).split('\n').filter((l) => l.startsWith('-A '));
      if (rest.length === 0) quiet('iptables', ['-w', '-t', table, '-X', chain]);
    }
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
