// The classic builder's cache: step key (parent image ID + expanded instruction + source
// checksum for COPY/ADD) → the image that step produced. Kept on disk so a restarted engine
// still hits it; every change is written atomically (DESIGN.md rule 4).
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeJsonAtomic } from '../../core/atomic-file.ts';

export class BuildCache {
  readonly #file: string;
  #entries = new Map<string, string>();
  #loaded = false;
  #writing: Promise<void> = Promise.resolve();

  constructor(dir: string) {
    this.#file = join(dir, 'cache.json');
  }

  static key(parentId: string, instruction: string, checksum = ''): string {
    return createHash('sha256').update(JSON.stringify([parentId, instruction, checksum])).digest('hex');
  }

  async load(): Promise<void> {
    if (this.#loaded) return;
    try {
      this.#entries = new Map(Object.entries(JSON.parse(await readFile(this.#file, 'utf8')) as Record<string, string>));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT' && !(error instanceof SyntaxError)) throw error;
    }
    this.#loaded = true;
  }

  get(key: string): string | undefined {
    return this.#entries.get(key);
  }

  /** The step images the entries point at (each once). */
  imageIds(): string[] {
    return [...new Set(this.#entries.values())];
  }

  async set(key: string, imageId: string): Promise<void> {
    this.#entries.set(key, imageId);
    await this.#save();
  }

  /** Drops every entry (or those `keep` rejects); returns the image IDs they pointed at. */
  async prune(keep: (imageId: string) => boolean = () => false): Promise<string[]> {
    await this.load();
    const dropped: string[] = [];
    for (const [key, id] of this.#entries) {
      if (keep(id)) continue;
      this.#entries.delete(key);
      dropped.push(id);
    }
    await this.#save();
    return [...new Set(dropped)];
  }

  /** Writes are chained so two builds finishing together never interleave their renames. */
  #save(): Promise<void> {
    const snapshot = Object.fromEntries(this.#entries);
    this.#writing = this.#writing.catch(() => undefined).then(() => writeJsonAtomic(this.#file, snapshot));
    return this.#writing;
  }
}
