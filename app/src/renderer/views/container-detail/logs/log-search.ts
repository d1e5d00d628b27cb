// Incremental search over a LogBuffer: scans in time slices (so a million lines never block a
// frame), keeps scanning new lines as they arrive (O(new lines) per batch, never a rescan), and
// forgets matches whose lines were dropped. A match is a line (absolute index) containing the
// query, case-insensitively, in its text without ANSI escapes; the count is of matching lines,
// which bounds memory by the buffer's own capacity.
import { stripAnsi } from './ansi.ts';
import type { LogBuffer } from './log-buffer.ts';

export function queryPattern(query: string): RegExp | undefined {
  if (query === '') return undefined;
  return new RegExp(query.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'i');
}

/** Where `query` occurs in `plain` (case-insensitive), as [start, end) ranges. */
export function matchRanges(plain: string, query: string): [number, number][] {
  if (query === '') return [];
  const haystack = plain.toLowerCase();
  const needle = query.toLowerCase();
  // toLowerCase can change lengths for a few scripts; then offsets would lie, so give up on them.
  if (haystack.length !== plain.length) return [];
  const ranges: [number, number][] = [];
  for (let at = haystack.indexOf(needle); at !== -1; at = haystack.indexOf(needle, at + needle.length)) {
    ranges.push([at, at + needle.length]);
  }
  return ranges;
}

export class LogSearch {
  private readonly buffer: LogBuffer;
  private pattern: RegExp | undefined;
  private queryText = '';
  /** Absolute line indices of matches, ascending, from `head` to `tail`. */
  private lines = new Float64Array(1024);
  private head = 0;
  private tail = 0;
  /** Absolute index of the next line to scan. */
  private scanned = 0;

  constructor(buffer: LogBuffer) {
    this.buffer = buffer;
  }

  get query(): string { return this.queryText; }
  get count(): number { this.prune(); return this.tail - this.head; }
  /** True while lines wait to be scanned. */
  get pending(): boolean { return this.pattern !== undefined && this.scanned < this.buffer.total; }

  setQuery(query: string): void {
    this.queryText = query;
    this.pattern = queryPattern(query);
    this.head = 0;
    this.tail = 0;
    this.scanned = this.buffer.dropped;
  }

  /** Forget everything (the buffer was cleared). */
  reset(): void {
    this.setQuery(this.queryText);
  }

  /**
   * Scans until caught up or `budgetMs` has passed; returns true when caught up. `now` is a
   * parameter so tests can scan without a clock.
   */
  step(budgetMs = 8, now: () => number = () => performance.now()): boolean {
    const pattern = this.pattern;
    if (!pattern) return true;
    if (this.scanned < this.buffer.dropped) this.scanned = this.buffer.dropped;
    const deadline = now() + budgetMs;
    let caughtUp = true;
    this.buffer.forEachRun(this.scanned, this.buffer.total, (texts, start, end, absoluteStart) => {
      for (let i = start; i < end; i++) {
        if (pattern.test(stripAnsi(texts[i]))) this.push(absoluteStart + (i - start));
      }
      this.scanned = absoluteStart + (end - start);
      if (this.scanned < this.buffer.total && now() >= deadline) {
        caughtUp = false;
        return false;
      }
      return true;
    });
    return caughtUp;
  }

  /** The absolute line of match number `n` (0-based among the matches still held). */
  matchLine(n: number): number | undefined {
    this.prune();
    const at = this.head + n;
    return n >= 0 && at < this.tail ? this.lines[at] : undefined;
  }

  /** The number of the first match on or after absolute line `line` (count when none). */
  firstAtOrAfter(line: number): number {
    this.prune();
    let low = this.head;
    let high = this.tail;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (this.lines[mid] < line) low = mid + 1;
      else high = mid;
    }
    return low - this.head;
  }

  private push(line: number): void {
    if (this.tail === this.lines.length) {
      const live = this.tail - this.head;
      // Compact when half is dead, grow when it is not.
      const next = live * 2 <= this.lines.length ? this.lines : new Float64Array(this.lines.length * 2);
      if (next === this.lines) next.copyWithin(0, this.head, this.tail);
      else next.set(this.lines.subarray(this.head, this.tail));
      this.lines = next;
      this.head = 0;
      this.tail = live;
    }
    this.lines[this.tail++] = line;
  }

  private prune(): void {
    const first = this.buffer.dropped;
    while (this.head < this.tail && this.lines[this.head] < first) this.head++;
  }
}
