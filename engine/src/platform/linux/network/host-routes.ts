// The host's IPv4 routes from /proc/net/route (the kernel's main table, hex little-endian fields),
// so automatic subnets keep clear of networks the host already reaches (as dockerd checks with
// netlink before picking a default pool).
import { readFile } from 'node:fs/promises';

/** "0002000A" (little-endian hex) → "10.0.2.0". */
function hexToIPv4(hex: string): string {
  const n = Number.parseInt(hex, 16);
  return [n & 255, (n >>> 8) & 255, (n >>> 16) & 255, n >>> 24].join('.');
}

function maskBits(hex: string): number {
  let n = Number.parseInt(hex, 16) >>> 0;
  let bits = 0;
  while (n) {
    bits += n & 1;
    n >>>= 1;
  }
  return bits;
}

export function parseProcNetRoute(text: string): string[] {
  const out = new Set<string>();
  for (const line of text.split('\n').slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f.length < 8) continue;
    out.add(`${hexToIPv4(f[1])}/${maskBits(f[7])}`);
  }
  return [...out];
}

export async function readHostRoutes(path = '/proc/net/route'): Promise<string[]> {
  return parseProcNetRoute(await readFile(path, 'utf8').catch(() => ''));
}
