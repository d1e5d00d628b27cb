// Keeps the default bridge up between containers, as dockerd keeps docker0. netavark deletes a
// bridge, with its NAT and forwarding rules, when its last container leaves, and builds it all
// again for the next one: ~200 ms of iptables work on each side of every `docker run --rm`.
// One end of a veth pair enslaved to the bridge counts as a member, so netavark leaves it
// standing (a veth, not a dummy: veth is what netavark itself needs, dummy may not be built).
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Interface names are limited to 15 characters: derive a short, stable one from the bridge. */
export function anchorName(bridge: string): string {
  return `ba${createHash('sha256').update(bridge).digest('hex').slice(0, 10)}`;
}

export class BridgeAnchors {
  readonly #anchored = new Set<string>();

  /** Idempotent; the bridge must exist (netavark creates it on the first setup). */
  async keep(bridge: string): Promise<void> {
    if (this.#anchored.has(bridge)) return;
    const name = anchorName(bridge);
    await run('ip', ['link', 'add', name, 'type', 'veth', 'peer', 'name', `${name}p`]).catch((error: { stderr?: string }) => {
      if (!/File exists/.test(error.stderr ?? '')) throw error;
    });
    await run('ip', ['link', 'set', name, 'master', bridge, 'up']);
    this.#anchored.add(bridge);
  }
}
