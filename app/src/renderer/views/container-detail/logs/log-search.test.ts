import { describe, expect, test } from 'vitest';
import type { LogLine } from '../../../../common/desktop-api.ts';
import { LogBuffer } from './log-buffer.ts';
import { LogSearch, matchRanges } from './log-search.ts';

const out = (...texts: string[]): LogLine[] => texts.map((text) => ({ stream: 'stdout', text }));

function matches(search: LogSearch): number[] {
  return Array.from({ length: search.count }, (_, n) => search.matchLine(n)!);
}

describe('LogSearch', () => {
  test('finds the lines that contain the query, case-insensitively, ignoring ANSI escapes', () => {
    const buffer = new LogBuffer(100, 4);
    buffer.append(out('Error: disk', 'ok', 'an ERROR here', '\x1b[31mErr\x1b[0mor split by colour', 'fine', 'err or'));
    const search = new LogSearch(buffer);
    search.setQuery('error');
    expect(search.step()).toBe(true);
    expect(matches(search)).toEqual([0, 2, 3]);
  });

  test('treats the query as text, not as a regular expression', () => {
    const buffer = new LogBuffer(100, 4);
    buffer.append(out('a.b', 'axb', '(x)', 'x'));
    const search = new LogSearch(buffer);
    search.setQuery('a.b');
    search.step();
    expect(matches(search)).toEqual([0]);
    search.setQuery('(x)');
    search.step();
    expect(matches(search)).toEqual([2]);
  });

  test('scans in time slices and then only the lines that arrived since', () => {
    const buffer = new LogBuffer(100_000, 64);
    buffer.append(out(...Array.from({ length: 10_000 }, (_, i) => (i % 1000 === 0 ? `hit ${i}` : `line ${i}`))));
    const search = new LogSearch(buffer);
    search.setQuery('hit');
    // A clock that moves 1 ms per reading: each 8 ms slice ends after a few chunks.
    let clock = 0;
    const now = () => clock++;
    let slices = 1;
    while (!search.step(8, now)) slices++;
    expect(slices).toBeGreaterThan(1);
    expect(search.count).toBe(10);
    expect(search.pending).toBe(false);

    buffer.append(out('no', 'hit again'));
    expect(search.pending).toBe(true);
    search.step();
    expect(search.count).toBe(11);
    expect(search.matchLine(10)).toBe(10_001);
  });

  test('forgets matches on lines the buffer dropped, and positions follow', () => {
    const buffer = new LogBuffer(5, 2);
    const search = new LogSearch(buffer);
    search.setQuery('x');
    buffer.append(out('x0', 'a', 'x2', 'b', 'x4'));
    search.step();
    expect(matches(search)).toEqual([0, 2, 4]);
    buffer.append(out('c', 'x6', 'd'));
    search.step();
    expect(buffer.dropped).toBe(3);
    expect(matches(search)).toEqual([4, 6]);
    expect(search.firstAtOrAfter(5)).toBe(1);
    expect(search.firstAtOrAfter(7)).toBe(2);
  });

  test('keeps up with a buffer that overflows its capacity between slices', () => {
    const buffer = new LogBuffer(100, 8);
    const search = new LogSearch(buffer);
    search.setQuery('7');
    for (let round = 0; round < 50; round++) {
      buffer.append(out(...Array.from({ length: 30 }, (_, i) => `n${round * 30 + i}`)));
      search.step();
    }
    const expected: number[] = [];
    for (let abs = buffer.dropped; abs < buffer.total; abs++) if (`n${abs}`.includes('7')) expected.push(abs);
    expect(matches(search)).toEqual(expected);
  });

  test('an empty query matches nothing and needs no scanning', () => {
    const buffer = new LogBuffer(10, 4);
    buffer.append(out('a'));
    const search = new LogSearch(buffer);
    search.setQuery('');
    expect(search.pending).toBe(false);
    expect(search.count).toBe(0);
  });
});

describe('matchRanges', () => {
  test('gives every non-overlapping occurrence', () => {
    expect(matchRanges('abcABCabc', 'bc')).toEqual([[1, 3], [4, 6], [7, 9]]);
    expect(matchRanges('aaaa', 'aa')).toEqual([[0, 2], [2, 4]]);
    expect(matchRanges('abc', '')).toEqual([]);
  });
});
