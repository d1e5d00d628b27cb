// The Logs tab's line store: a bounded ring of fixed-size chunks, kept outside React state so that
// appending a batch costs O(batch) and the view reads only the rows it shows. Lines are addressed
// two ways:
//   - absolute index: the line's position since the stream opened (never reused, survives drops);
//   - view index: 0 … length-1 over the lines still held (absolute − dropped).
// When more than `capacity` lines arrived, the oldest are dropped; `dropped` says how many, so
// the view can say "N older lines dropped". Whole chunks are released as the window moves, so
// memory stays within capacity + one chunk.
import type { LogLine } from '../../../../common/desktop-api.ts';

export const DEFAULT_LOG_CAPACITY = 1_000_000;
const DEFAULT_CHUNK_SIZE = 4096;

interface Chunk {
  texts: string[];
  /** 1 where the line came from stderr. */
  stderr: Uint8Array;
  /** Only allocated once a line with a timestamp arrives. */
  timestamps: (string | undefined)[] | undefined;
  /** Only allocated once a line with a source (a merged compose log's service) arrives. */
  sources: (string | undefined)[] | undefined;
}

export interface StoredLine {
  text: string;
  stderr: boolean;
  timestamp?: string;
  source?: string;
}

export class LogBuffer {
  readonly capacity: number;
  readonly chunkSize: number;
  private chunks: Chunk[] = [];
  /** Absolute index of the first line of chunks[0]. */
  private chunkBase = 0;
  /** Absolute index of the oldest line still held. */
  private first = 0;
  /** Absolute index one past the newest line. */
  private end = 0;

  constructor(capacity = DEFAULT_LOG_CAPACITY, chunkSize = DEFAULT_CHUNK_SIZE) {
    if (!(capacity > 0) || !(chunkSize > 0)) throw new RangeError('capacity and chunk size must be positive');
    this.capacity = capacity;
    this.chunkSize = chunkSize;
  }

  /** Lines held now. */
  get length(): number { return this.end - this.first; }
  /** Lines dropped from the front since the stream opened. */
  get dropped(): number { return this.first; }
  /** Absolute index one past the newest line (= lines ever appended). */
  get total(): number { return this.end; }

  append(lines: readonly LogLine[]): void {
    for (const line of lines) {
      const offset = this.end - this.chunkBase;
      const chunkIndex = Math.floor(offset / this.chunkSize);
      const slot = offset - chunkIndex * this.chunkSize;
      let chunk = this.chunks[chunkIndex];
      if (!chunk) {
        chunk = { texts: [], stderr: new Uint8Array(this.chunkSize), timestamps: undefined, sources: undefined };
        this.chunks.push(chunk);
      }
      chunk.texts[slot] = line.text;
      if (line.stream === 'stderr') chunk.stderr[slot] = 1;
      if (line.timestamp !== undefined) (chunk.timestamps ??= [])[slot] = line.timestamp;
      if (line.source !== undefined) (chunk.sources ??= [])[slot] = line.source;
      this.end++;
    }
    this.trim();
  }

  clear(): void {
    this.chunks = [];
    this.chunkBase = 0;
    this.first = 0;
    this.end = 0;
  }

  /** The line at view index `index` (0 = oldest held). */
  at(index: number): StoredLine | undefined {
    return this.atAbsolute(this.first + index);
  }

  atAbsolute(absolute: number): StoredLine | undefined {
    if (absolute < this.first || absolute >= this.end) return undefined;
    const offset = absolute - this.chunkBase;
    const chunk = this.chunks[Math.floor(offset / this.chunkSize)];
    const slot = offset % this.chunkSize;
    const timestamp = chunk.timestamps?.[slot];
    const source = chunk.sources?.[slot];
    return {
      text: chunk.texts[slot], stderr: chunk.stderr[slot] === 1,
      ...(timestamp !== undefined ? { timestamp } : {}), ...(source !== undefined ? { source } : {}),
    };
  }

  /** The text at an absolute index, without building an object (search's hot loop). */
  textAtAbsolute(absolute: number): string | undefined {
    if (absolute < this.first || absolute >= this.end) return undefined;
    const offset = absolute - this.chunkBase;
    return this.chunks[Math.floor(offset / this.chunkSize)].texts[offset % this.chunkSize];
  }

  toView(absolute: number): number { return absolute - this.first; }
  toAbsolute(index: number): number { return index + this.first; }

  /**
   * Calls `visit` with runs of consecutive texts from absolute `from` (clamped to what is held)
   * up to `to` (exclusive), one call per chunk: lets search and export walk a million lines
   * without per-line bounds checks or allocations.
   */
  forEachRun(from: number, to: number, visit: (texts: readonly string[], start: number, end: number, absoluteStart: number) => boolean | void): void {
    let absolute = Math.max(from, this.first);
    const stop = Math.min(to, this.end);
    while (absolute < stop) {
      const offset = absolute - this.chunkBase;
      const chunkIndex = Math.floor(offset / this.chunkSize);
      const start = offset - chunkIndex * this.chunkSize;
      const end = Math.min(this.chunkSize, start + (stop - absolute));
      if (visit(this.chunks[chunkIndex].texts, start, end, absolute) === false) return;
      absolute += end - start;
    }
  }

  private trim(): void {
    const excess = this.length - this.capacity;
    if (excess <= 0) return;
    this.first += excess;
    // Release every chunk that now lies wholly before the first held line.
    const wholeChunks = Math.floor((this.first - this.chunkBase) / this.chunkSize);
    if (wholeChunks > 0) {
      this.chunks.splice(0, wholeChunks);
      this.chunkBase += wholeChunks * this.chunkSize;
    }
  }
}
