// Nanosecond timestamps: RFC 3339 text as conmon writes it and Docker prints it, and the
// "seconds.nanoseconds" form Docker clients send for since/until. BigInt because nanoseconds
// since the epoch do not fit a double.
import { invalid } from './errors.ts';

/** Parses "2024-01-02T03:04:05.123456789+01:00" (or ...Z) into epoch nanoseconds. */
export function parseTimestampNs(text: string): bigint | undefined {
  const match = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?(Z|[+-]\d\d:\d\d)$/.exec(text);
  if (!match) return undefined;
  const millis = Date.parse(`${match[1]}${match[3]}`);
  if (Number.isNaN(millis)) return undefined;
  return BigInt(millis) * 1_000_000n + BigInt((match[2] ?? '').padEnd(9, '0'));
}

/** Docker's timestamp shape for `logs -t`: UTC, nine fraction digits, "Z". */
export function formatTimestampNs(ns: bigint): string {
  const base = new Date(Number(ns / 1_000_000n)).toISOString().slice(0, 19);
  return `${base}.${(ns % 1_000_000_000n).toString().padStart(9, '0')}Z`;
}

/** A since/until query value: "1700000000", "1700000000.5" or RFC 3339; empty → undefined. */
export function parseTimeParam(value: string | null, name: string): bigint | undefined {
  if (value === null || value === '' || value === '0') return undefined;
  const unix = /^(\d+)(?:\.(\d{1,9}))?$/.exec(value);
  if (unix) return BigInt(unix[1]) * 1_000_000_000n + BigInt((unix[2] ?? '').padEnd(9, '0'));
  const rfc = parseTimestampNs(value);
  if (rfc !== undefined) return rfc;
  throw invalid(`invalid value for ${name}: ${JSON.stringify(value)} is not a valid timestamp`);
}
