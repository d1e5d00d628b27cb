// Nanosecond timestamps: RFC 3339 text as conmon writes it and Docker prints it, and the
// "seconds.nanoseconds" form Docker clients send for since/until. BigInt because nanoseconds
// since the epoch do not fit a double.
import { invalid } from './errors.ts';

/** Parses "2024-01-02T03:04:05.123456789+01:00" (or ...Z) into epoch nanoseconds. */
const RFC3339 = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?(Z|[+-]\d\d:\d\d)$/;
// Log records arrive thousands per second with the same whole second: Date.parse and the BigInt
// arithmetic for that second are done once, not per line (they were most of `docker logs` time).
let cachedSecond = '';
let cachedSecondNs = 0n;

export function parseTimestampNs(text: string): bigint | undefined {
  const match = RFC3339.exec(text);
  if (!match) return undefined;
  const second = `${match[1]}${match[3]}`;
  if (second !== cachedSecond) {
    const millis = Date.parse(second);
    if (Number.isNaN(millis)) return undefined;
    cachedSecond = second;
    cachedSecondNs = BigInt(millis) * 1_000_000n;
  }
  const fraction = match[2];
  return fraction === undefined ? cachedSecondNs : cachedSecondNs + BigInt(fraction.length === 9 ? fraction : fraction.padEnd(9, '0'));
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
