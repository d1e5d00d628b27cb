import { describe, expect, it } from 'vitest';
import { parseUntil } from './prune-filters.ts';

describe('parseUntil', () => {
  it('reads unix timestamps, RFC 3339 dates and Go durations counted back from now', () => {
    expect(parseUntil('1700000000')).toBe(1_700_000_000_000);
    expect(parseUntil('2024-01-02T03:04:05Z')).toBe(Date.parse('2024-01-02T03:04:05Z'));
    expect(parseUntil('1h30m', 10_000_000)).toBe(10_000_000 - 5_400_000);
    expect(parseUntil('10s', 20_000)).toBe(10_000);
    expect(parseUntil(undefined)).toBeUndefined();
  });

  it('rejects what is none of those, as dockerd does', () => {
    expect(() => parseUntil('yesterday')).toThrow(/invalid filter 'until=yesterday'/);
  });
});
