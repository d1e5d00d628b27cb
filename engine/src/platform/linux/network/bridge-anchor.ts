// Keeps the default bridge up between containers, as dockerd keeps docker0. netavark deletes a
// bridge, with its NAT chain and forwarding rules, when its last container leaves, and builds it
// all again for the next one: ~200 ms of iptables work on each side of every `docker run --rm`.
// The anchor is a veth pair whose host end is enslaved to the bridge and whose other end sits as
// `eth0` in a namespace of its own (<exec-root>/netns/anchor-<bridge>): to netavark it looks like
// one more container. That makes the anchor removable the way a container is: `netavark teardown`
// of that namespace deletes the pair and, the bridge being empty then, the bridge with its NAT
// chain and forwarding rules. So a stopped engine with no running containers leaves nothing of
// its network behind, and one whose containers outlive it (conmon) leaves exactly what they use.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { promisify } from 'node:util';
import type { NetnsManager } from './netns.ts';

const run = promisify(execFile);

/** Interface names are limited to 15 characters: derive a short, stable one from the bridge. */
export function anchorName(bridge: string): string {
  return `ba${createHash('sha256').update(bridge).digest('hex').slice(0, 10)}`;
}

/** The anchor's namespace key under the netns directory (container ids are 64 hex digits). */
export const anchorSandboxKey = (bridge: string): string => `anchor-${bridge}`;

const linkExists = (name: string): boolean => existsSync(`/sys/class/net/${name}`);

/** Interfaces enslaved to `bridge` (sysfs lists them under brif/). */
async function bridgeMembers(bridge: string): Promise<string[]> {
  return readdir(`/sys/class/net/${bridge}/brif`).catch(() => []);
}

export class BridgeAnchors {
  readonly #netns: NetnsManager;
  readonly #anchored = new Set<string>();

  constructor(netns: NetnsManager) {
    this.#netns = netns;
  }

  /** Idempotent; the bridge must exist (netavark creates it on the first setup). An anchor left
   * by an earlier engine process is adopted as it is. */
  async keep(bridge: string): Promise<void> {
    if (this.#anchored.has(bridge)) return;
    const name = anchorName(bridge);
    if (!linkExists(name)) {
      const sandbox = await this.#netns.create(anchorSandboxKey(bridge));
      await run('ip', ['link', 'add', name, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', sandbox]);
    }
    await run('ip', ['link', 'set', name, 'master', bridge, 'up']);
    this.#anchored.add(bridge);
  }

  /**
   * Removes the anchor of `bridge` and, when nothing else is on the bridge, the bridge with its
   * firewall rules: `teardown(sandbox)` is netavark's teardown of the anchor's namespace. An
   * anchor of another shape (both ends on the host, as earlier versions made it) is replaced by
   * one netavark can tear down, so its rules go too.
   */
  async release(bridge: string, teardown: (sandbox: string) => Promise<void>): Promise<void> {
    this.#anchored.delete(bridge);
    const name = anchorName(bridge);
    const sandbox = this.#netns.pathOf(anchorSandboxKey(bridge));
    if (!linkExists(bridge)) {
      if (linkExists(name)) await run('ip', ['link', 'delete', name]).catch(() => undefined);
      await this.#netns.remove(sandbox);
      return;
    }
    const others = (await bridgeMembers(bridge)).filter((member) => member !== name);
    if (others.length > 0) return; // a container still uses the bridge: it keeps it up
    if (!(await this.#anchorInSandbox(sandbox))) {
      if (linkExists(name)) await run('ip', ['link', 'delete', name]).catch(() => undefined);
      await this.#netns.create(anchorSandboxKey(bridge));
      await run('ip', ['link', 'add', name, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', sandbox]);
      await run('ip', ['link', 'set', name, 'master', bridge, 'up']);
    }
    try {
      await teardown(sandbox);
    } finally {
      if (linkExists(name)) await run('ip', ['link', 'delete', name]).catch(() => undefined);
      await this.#netns.remove(sandbox);
    }
  }

  /** True when the namespace file is mounted and holds the anchor's `eth0`. */
  async #anchorInSandbox(sandbox: string): Promise<boolean> {
    if (!existsSync(sandbox)) return false;
    return run('nsenter', [`--net=${sandbox}`, 'ip', 'link', 'show', 'eth0']).then(
      () => true,
      () => false,
    );
  }
}
