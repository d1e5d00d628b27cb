// Container records, kept in memory for fast listing and persisted one file per container.
import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { writeJsonAtomic } from './atomic-file.ts';
import { conflict, invalid, notFound } from './errors.ts';
import type { ContainerRecord } from './container-types.ts';

export class ContainerStore {
  readonly #dir: string;
  #byId = new Map<string, ContainerRecord>();
  /** Name without the leading slash → id. */
  #names = new Map<string, string>();

  constructor(dir: string) {
    this.#dir = dir;
  }

  async load(): Promise<void> {
    await mkdir(this.#dir, { recursive: true });
    for (const id of await readdir(this.#dir)) {
      try {
        const record = JSON.parse(await readFile(this.fileOf(id), 'utf8')) as ContainerRecord;
        this.#byId.set(record.Id, record);
        this.#names.set(record.Name.slice(1), record.Id);
      } catch (error) {
        // A directory without a committed record is a create that crashed half-way: drop it.
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') await rm(join(this.#dir, id), { recursive: true, force: true });
        else throw error;
      }
    }
  }

  dirOf(id: string): string {
    return join(this.#dir, id);
  }

  fileOf(id: string): string {
    return join(this.#dir, id, 'container.json');
  }

  list(): ContainerRecord[] {
    return [...this.#byId.values()];
  }

  nameTaken(name: string): boolean {
    return this.#names.has(name.replace(/^\//, ''));
  }

  /** Docker's lookup order: full ID, exact name, then unique ID prefix. */
  find(ref: string): ContainerRecord | undefined {
    const byId = this.#byId.get(ref);
    if (byId) return byId;
    const named = this.#names.get(ref.replace(/^\//, ''));
    if (named) return this.#byId.get(named);
    if (!/^[0-9a-f]+$/.test(ref)) return undefined;
    const matches = [...this.#byId.keys()].filter((id) => id.startsWith(ref));
    if (matches.length > 1) throw invalid(`multiple IDs found with provided prefix: ${ref}`);
    return matches.length === 1 ? this.#byId.get(matches[0]) : undefined;
  }

  get(ref: string): ContainerRecord {
    const record = this.find(ref);
    if (!record) throw notFound(`No such container: ${ref}`);
    return record;
  }

  /** Claims the name before anything is written, so two creates cannot both take it. */
  reserveName(name: string, id: string): void {
    const existing = this.#names.get(name);
    if (existing && existing !== id) {
      throw conflict(
        `Conflict. The container name "/${name}" is already in use by container "${existing}". You have to remove (or rename) that container to be able to reuse that name.`,
      );
    }
    this.#names.set(name, id);
  }

  releaseName(name: string, id: string): void {
    if (this.#names.get(name) === id) this.#names.delete(name);
  }

  async save(record: ContainerRecord): Promise<void> {
    this.#byId.set(record.Id, record);
    this.#names.set(record.Name.slice(1), record.Id);
    await writeJsonAtomic(this.fileOf(record.Id), record);
  }

  async delete(record: ContainerRecord): Promise<void> {
    this.#byId.delete(record.Id);
    this.releaseName(record.Name.slice(1), record.Id);
    await rm(this.dirOf(record.Id), { recursive: true, force: true });
  }
}
