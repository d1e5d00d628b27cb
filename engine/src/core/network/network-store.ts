// Network records, kept in memory and persisted one crash-safe file per network under
// <data-root>/networks (DESIGN.md rule 4).
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { readJsonRecords, writeJsonAtomic } from '../atomic-file.ts';
import { invalid, notFound } from '../errors.ts';
import type { NetworkRecord } from './network-types.ts';

export class NetworkStore {
  readonly #dir: string;
  readonly #byId = new Map<string, NetworkRecord>();

  constructor(dir: string) {
    this.#dir = dir;
  }

  async load(): Promise<void> {
    for (const record of await readJsonRecords<NetworkRecord>(this.#dir)) this.#byId.set(record.Id, record);
  }

  list(): NetworkRecord[] {
    return [...this.#byId.values()];
  }

  byName(name: string): NetworkRecord | undefined {
    return this.list().find((n) => n.Name === name);
  }

  /** dockerd's lookup order for networks: full ID, exact name, then unique ID prefix. */
  find(ref: string): NetworkRecord | undefined {
    const byId = this.#byId.get(ref);
    if (byId) return byId;
    const named = this.byName(ref);
    if (named) return named;
    if (!/^[0-9a-f]+$/.test(ref)) return undefined;
    const matches = this.list().filter((n) => n.Id.startsWith(ref));
    if (matches.length > 1) throw invalid(`network ${ref} is ambiguous (${matches.length} matches found based on ID prefix)`);
    return matches[0];
  }

  get(ref: string): NetworkRecord {
    const found = this.find(ref);
    if (!found) throw notFound(`network ${ref} not found`);
    return found;
  }

  async save(record: NetworkRecord): Promise<void> {
    await writeJsonAtomic(join(this.#dir, `${record.Id}.json`), record);
    this.#byId.set(record.Id, record);
  }

  async delete(record: NetworkRecord): Promise<void> {
    await rm(join(this.#dir, `${record.Id}.json`), { force: true });
    this.#byId.delete(record.Id);
  }
}
