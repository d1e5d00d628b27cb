// The `until` prune filter as dockerd reads it (api/types/time GetTimestamp): a unix timestamp,
// an RFC 3339 date, or a Go duration ("24h", "1h30m", "10s") counted back from now.
import { invalid } from '../../core/errors.ts';

const UNIT_MS: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

export function parseUntil(value: string | undefined, now = Date.now()): number | undefined {
  if (value === undefined || value === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Number(value) * 1000;
  if (/^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/.test(value)) {
    let ms = 0;
    for (const m of value.matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g)) ms += Number(m[1]) * UNIT_MS[m[2]];
    return now - ms;
  }
  const date = Date.parse(value);
  if (Number.isNaN(date)) throw invalid(`invalid filter 'until=${value}'`);
  return date;
}
