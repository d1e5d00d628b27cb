// conmon's k8s-file log format: one record per line,
//   <RFC 3339 timestamp with nanoseconds and offset> <stdout|stderr> <P|F> <content>
// P marks a partial line (the process wrote no newline yet), F a full one whose newline conmon
// stripped. Joining P records and adding "\n" after F gives back the exact bytes written.

export interface LogRecord {
  stream: 'stdout' | 'stderr';
  /** Nanoseconds since the epoch (bigint: nanosecond timestamps overflow doubles). */
  timeNs: bigint;
  /** Content including the trailing newline for full lines. */
  data: Buffer;
  full: boolean;
}

import { parseTimestampNs } from '../../../core/timestamps.ts';

const SPACE = 0x20;
const NEWLINE = Buffer.from('\n');

/** Parses one line (without its "\n"); returns undefined for anything malformed. */
export function parseLogLine(line: Buffer): LogRecord | undefined {
  const first = line.indexOf(SPACE);
  if (first < 0) return undefined;
  const second = line.indexOf(SPACE, first + 1);
  if (second < 0) return undefined;
  const timeNs = parseTimestampNs(line.subarray(0, first).toString('latin1'));
  const stream = line.subarray(first + 1, second).toString('latin1');
  if (timeNs === undefined || (stream !== 'stdout' && stream !== 'stderr')) return undefined;
  const flag = line[second + 1];
  const full = flag === 0x46; /* F */
  // The content starts after "<flag> "; an empty full line is written as "F" with no space.
  const content = line.length > second + 3 ? line.subarray(second + 3) : Buffer.alloc(0);
  return { stream, timeNs, full, data: full ? Buffer.concat([content, NEWLINE]) : Buffer.from(content) };
}
