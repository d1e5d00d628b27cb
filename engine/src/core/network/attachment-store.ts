// What is set up on the host for each connected container (namespace, interfaces, ports), so a
// teardown replays exactly what setup did, also after an engine crash. It lives under the exec
// root: a reboot wipes namespaces and interfaces, and with them the need to tear anything down.
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { readJsonRecords, writeJsonAtomic } from '../atomic-file.ts';
import type { AttachRequest } from './network-types.ts';

export interface Attachment {
  containerId: string;
  /** The container's network namespace file. */
  sandbox: string;
  /** What was passed to the driver's setup (networks with their interface names, ports). */
  request: AttachRequest;
}

export class AttachmentStore {
  readonly #dir: string;
  readonly #byId = new Map<string, Attachment>();

  constructor(dir: string) {
    this.#dir = dir;
  }

  async load(): Promise<void> {
    // An unreadable state file cannot guide a teardown; the harness-style sweep handles leftovers.
    for (const attachment of await readJsonRecords<Attachment>(this.#dir, { skipUnreadable: true })) {
      this.#byId.set(attachment.containerId, attachment);
    }
  }

  get(containerId: string): Attachment | undefined {
    return this.#byId.get(containerId);
  }

  list(): Attachment[] {
    return [...this.#byId.values()];
  }

  async save(attachment: Attachment): Promise<void> {
    this.#byId.set(attachment.containerId, attachment);
    await writeJsonAtomic(join(this.#dir, `${attachment.containerId}.json`), attachment);
  }

  async delete(containerId: string): Promise<void> {
    this.#byId.delete(containerId);
    await rm(join(this.#dir, `${containerId}.json`), { force: true });
  }
}
