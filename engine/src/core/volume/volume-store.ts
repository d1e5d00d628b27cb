// Volume records, in memory and persisted crash-safely (DESIGN.md rule 4) the way dockerd lays
// volumes out: <data-root>/volumes/<name>/volume.json beside the data in <name>/_data.
import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { writeJsonAtomic } from '../atomic-file.ts';
import { notFound } from '../errors.ts';
import type { VolumeRecord } from './volume-types.ts';

const RECORD_FILE = 'volume.json';

export class VolumeStore {
  readonly root: string;
  readonly #byName = new Map<string, VolumeRecord>();

  constructor(root: string) {
    this.root = root;
  }

  async load(): Promise<void> {
    await mkdir(this.root, { recursive: true, mode: 0o701 });
    for (const entry of await readdir(this.root, { withFileTypes: true })) {
      if (!entry.isDirectory()) continue;
      // A directory without its record is a create that crashed before committing (the record
      // is written last) or a remove that crashed after uncommitting (written first): no volume.
      const text = await readFile(join(this.root, entry.name, RECORD_FILE), 'utf8').catch(() => undefined);
      if (text === undefined) continue;
      const record = JSON.parse(text) as VolumeRecord;
      if (record.Name === entry.name) this.#byName.set(record.Name, record);
    }
  }

  list(): VolumeRecord[] {
    return [...this.#byName.values()];
  }

  find(name: string): VolumeRecord | undefined {
    return this.#byName.get(name);
  }

  /** dockerd's message for an unknown volume (volume/service OpErr{Op: "get"}). */
  get(name: string): VolumeRecord {
    const found = this.#byName.get(name);
    if (!found) throw notFound(`get ${name}: no such volume`);
    return found;
  }

  async save(record: VolumeRecord): Promise<void> {
    await writeJsonAtomic(join(this.root, record.Name, RECORD_FILE), record);
    this.#byName.set(record.Name, record);
  }

  /** Forgets the record (the data directory is the driver's to delete, after this). */
  async delete(name: string): Promise<void> {
    await rm(join(this.root, name, RECORD_FILE), { force: true });
    this.#byName.delete(name);
  }
}
