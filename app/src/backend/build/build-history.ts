// Recent builds, kept across launches in <settingsDir>/builds.json (written crash-safe: temp
// file, fsync, rename). The newest first, at most MAX_RECORDS; a file that does not parse is
// treated as empty rather than stopping the Build view.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BuildRecord } from '../../common/desktop-api.ts';
import { writeJsonAtomically } from '../atomic-json-file.ts';

const MAX_RECORDS = 30;
const OUTCOMES = new Set(['succeeded', 'failed', 'cancelled']);

function isRecord(value: unknown): value is BuildRecord {
  const r = value as Partial<BuildRecord> | null;
  return typeof r === 'object' && r !== null && typeof r.buildId === 'string' && typeof r.folder === 'string'
    && typeof r.dockerfile === 'string' && Array.isArray(r.tags) && OUTCOMES.has(r.outcome as string)
    && typeof r.startedAt === 'number' && typeof r.durationMs === 'number';
}

export class BuildHistory {
  readonly #path: string;
  #records: BuildRecord[] | undefined;

  constructor(settingsDir: string) {
    this.#path = join(settingsDir, 'builds.json');
  }

  list(): BuildRecord[] {
    if (!this.#records) {
      try {
        const parsed = JSON.parse(readFileSync(this.#path, 'utf8')) as { builds?: unknown };
        this.#records = Array.isArray(parsed.builds) ? parsed.builds.filter(isRecord) : [];
      } catch {
        this.#records = [];
      }
    }
    return [...this.#records];
  }

  add(record: BuildRecord): void {
    this.#records = [record, ...this.list().filter((r) => r.buildId !== record.buildId)].slice(0, MAX_RECORDS);
    writeJsonAtomically(this.#path, { builds: this.#records });
  }
}
