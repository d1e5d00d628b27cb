// Reads a container's k8s-file log for `docker logs`: since/until/tail filters, and follow mode
// that tails the file as conmon appends to it until the container has stopped.
import { open, stat, watch } from 'node:fs/promises';
import type { LogRecord } from './k8s-file-format.ts';
import { parseLogLine } from './k8s-file-format.ts';
import type { LogReadOptions } from '../../../services/containers/context.ts';

const CHUNK = 256 * 1024;

/** Yields complete records from `path` starting at `offset`, updating `state.offset`. */
async function* readRecords(path: string, state: { offset: number; rest: Buffer }): AsyncGenerator<LogRecord> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  try {
    const buffer = Buffer.allocUnsafe(CHUNK);
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, CHUNK, state.offset);
      if (bytesRead === 0) return;
      state.offset += bytesRead;
      let data = state.rest.length > 0 ? Buffer.concat([state.rest, buffer.subarray(0, bytesRead)]) : Buffer.from(buffer.subarray(0, bytesRead));
      let start = 0;
      for (let nl = data.indexOf(10, start); nl >= 0; nl = data.indexOf(10, start)) {
        const record = parseLogLine(data.subarray(start, nl));
        start = nl + 1;
        if (record) yield record;
      }
      data = data.subarray(start);
      state.rest = Buffer.from(data);
    }
  } finally {
    await handle.close();
  }
}

/**
 * The byte offset where the last `count` lines of the log begin, found by reading backwards from
 * the end, so `docker logs --tail 10` of a log with millions of lines reads a few kilobytes, not
 * the whole file. A line is a run of partial ("P") records closed by a full ("F") one; the last
 * record counts as a line end even when partial (its line is still being written).
 */
export async function tailOffset(path: string, count: number, chunkSize = CHUNK): Promise<number> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw error;
  }
  try {
    let lines = 0;
    let seenRecord = false;
    /** Decides on one complete record ending just before `after`; returns the offset when found. */
    const consider = (content: Buffer, after: number): number | undefined => {
      const record = parseLogLine(content);
      if (!record) return undefined;
      const lineEnd = record.full || !seenRecord;
      seenRecord = true;
      if (!lineEnd) return undefined;
      if (lines >= count) return after;
      lines++;
      return undefined;
    };
    const buffer = Buffer.allocUnsafe(chunkSize);
    let pos = (await handle.stat()).size;
    // Bytes of the record being assembled that lie after the chunk in hand, and the offset of the
    // newline that ends that record (undefined until the first newline from the end is seen: bytes
    // after the last newline are an unfinished write, which forward reading handles).
    let carry = Buffer.alloc(0);
    let recordEnd: number | undefined;
    while (pos > 0) {
      const start = Math.max(0, pos - chunkSize);
      const { bytesRead } = await handle.read(buffer, 0, pos - start, start);
      const chunk = buffer.subarray(0, bytesRead);
      let segmentEnd = chunk.length;
      for (let nl = chunk.lastIndexOf(10, segmentEnd - 1); nl >= 0; nl = nl > 0 ? chunk.lastIndexOf(10, nl - 1) : -1) {
        if (recordEnd !== undefined) {
          const found = consider(Buffer.concat([chunk.subarray(nl + 1, segmentEnd), carry]), recordEnd + 1);
          if (found !== undefined) return found;
        }
        recordEnd = start + nl;
        carry = Buffer.alloc(0);
        segmentEnd = nl;
        if (nl === 0) break;
      }
      if (recordEnd !== undefined) carry = Buffer.concat([chunk.subarray(0, segmentEnd), carry]);
      pos = start;
    }
    if (recordEnd !== undefined) {
      const found = consider(carry, recordEnd + 1);
      if (found !== undefined) return found;
    }
    return 0;
  } finally {
    await handle.close();
  }
}

/** Groups partial records with the full record that ends them, so `tail` counts lines. */
export function lastLines(records: LogRecord[], count: number): LogRecord[] {
  if (count <= 0) return [];
  let lines = 0;
  for (let i = records.length - 1; i >= 0; i--) {
    if (records[i].full || i === records.length - 1) {
      if (lines === count) return records.slice(i + 1);
      lines++;
    }
  }
  return records;
}

function inRange(record: LogRecord, options: LogReadOptions): boolean {
  if (options.sinceNs !== undefined && record.timeNs < options.sinceNs) return false;
  if (options.untilNs !== undefined && record.timeNs > options.untilNs) return false;
  return true;
}

export async function* readContainerLog(path: string, options: LogReadOptions): AsyncGenerator<LogRecord> {
  const state = { offset: 0, rest: Buffer.alloc(0) };
  if (options.tail !== undefined && options.sinceNs === undefined && options.untilNs === undefined) {
    state.offset = await tailOffset(path, options.tail);
    for await (const record of readRecords(path, state)) yield record;
  } else if (options.tail !== undefined) {
    // With a time window, the tail counts lines inside it: those need a full scan.
    const all: LogRecord[] = [];
    for await (const record of readRecords(path, state)) if (inRange(record, options)) all.push(record);
    yield* lastLines(all, options.tail);
  } else {
    for await (const record of readRecords(path, state)) if (inRange(record, options)) yield record;
  }
  if (!options.follow) return;

  let stopped = false;
  void options.stopped?.then(() => (stopped = true));
  while (!stopped) {
    const before = state.offset;
    for await (const record of readRecords(path, state)) if (inRange(record, options)) yield record;
    if (state.offset !== before) continue;
    await waitForChange(path, before, options.stopped);
  }
  // Drain what conmon wrote before the exit was noticed.
  for await (const record of readRecords(path, state)) if (inRange(record, options)) yield record;
}

/** Waits until the file changes (inotify), the reader should stop, or a second has passed (the
 * bound covers a file that does not exist yet and any missed notification). */
async function waitForChange(path: string, size: number, stopped: Promise<void> | undefined): Promise<void> {
  const abort = new AbortController();
  const timeout = new Promise<void>((resolve) => setTimeout(resolve, 1000).unref());
  try {
    const current = await stat(path).catch(() => undefined);
    if (current && current.size !== size) return;
    const changed = current
      ? (async () => {
          for await (const _event of watch(path, { signal: abort.signal })) return;
        })().catch(() => undefined)
      : timeout;
    await Promise.race([changed, timeout, stopped ?? timeout]);
  } finally {
    abort.abort();
  }
}
