// What is set up on the host for each connected container (namespace, interfaces, ports), so a
// teardown replays exactly what setup did, also after an engine crash. It lives under the exec
// root: a reboot wipes namespaces and interfaces, and with them the need to tear anything down.
import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { writeJsonAtomic } from '../atomic-file.ts';
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
    await mkdir(this.#dir, { recursive: true });
    for (const file of await readdir(this.#dir)) {
      if (!file.endsWith('.json') || file.startsWith('.')) continue;
      try {
        const attachment = JSON.parse(await readFile(join(this.#dir, file), 'utf8')) as Attachment;
        this.#byId.set(attachment.containerId, attachment);
      } catch {
        // An unreadable state file cannot guide a teardown; the harness-style sweep handles leftovers.
      }
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
