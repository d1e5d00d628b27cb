// Keeps the default bridge up between containers, as dockerd keeps docker0. netavark deletes a
// bridge, with its NAT chain and forwarding rules, when its last container leaves, and builds it
// all again for the next one: ~200 ms of iptables work on each side of every `docker run --rm`.
// One end of a veth pair enslaved to the bridge counts as a member, so netavark leaves it standing
// (a veth, not a dummy: veth is what netavark itself needs, dummy may not be built).
// Releasing it must also remove what netavark keeps for the bridge, and only netavark knows its
// chains: the anchor is swapped for a stand-in container (a veth whose other end is `eth0` in a
// namespace made for the moment) and netavark tears that down, which, the bridge being empty then,
// deletes the bridge with its NAT chain and forwarding rules. So a stopped engine with no running
// containers leaves nothing of its network behind; one whose containers outlive it (conmon)
// leaves exactly what they use.
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

/** The stand-in's namespace file name in the anchors' directory. */
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
    if (!linkExists(name)) await run('ip', ['link', 'add', name, 'type', 'veth', 'peer', 'name', `${name}p`]);
    await run('ip', ['link', 'set', name, 'master', bridge, 'up']);
    this.#anchored.add(bridge);
  }

  /**
   * Removes the anchor of `bridge` and, when nothing else is on the bridge, the bridge with its
   * firewall rules: `teardown(sandbox)` is netavark's teardown of the stand-in's namespace. A
   * bridge without our anchor is left alone.
   */
  async release(bridge: string, teardown: (sandbox: string) => Promise<void>): Promise<void> {
    this.#anchored.delete(bridge);
    const name = anchorName(bridge);
    const anchored = linkExists(name);
    if (!linkExists(bridge)) {
      if (anchored) await run('ip', ['link', 'delete', name]).catch(() => undefined);
      return;
    }
    // Without our anchor the bridge was never kept up by an engine: netavark removes its own with
    // the last container, so an empty one is the user's (`-o com.docker.network.bridge.name` of an
    // existing bridge), which is not ours to delete.
    if (!anchored) return;
    const others = (await bridgeMembers(bridge)).filter((member) => member !== name);
    if (others.length > 0) return; // a container still uses the bridge: it keeps it up
    if (linkExists(name)) await run('ip', ['link', 'delete', name]);
    const sandbox = await this.#netns.create(anchorSandboxKey(bridge));
    try {
      await run('ip', ['link', 'add', name, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', sandbox]);
      await run('ip', ['link', 'set', name, 'master', bridge, 'up']);
      await teardown(sandbox);
    } finally {
      if (linkExists(name)) await run('ip', ['link', 'delete', name]).catch(() => undefined);
      await this.#netns.remove(sandbox);
    }
  }
}
