import { describe, expect, test } from 'vitest';
import type { LogLine } from '../../../../common/desktop-api.ts';
import { LogBuffer } from './log-buffer.ts';

const lines = (from: number, to: number, stream: LogLine['stream'] = 'stdout'): LogLine[] =>
  Array.from({ length: to - from }, (_, i) => ({ stream, text: `line ${from + i}` }));

describe('LogBuffer', () => {
  test('keeps lines in order across chunk boundaries and reads them by view index', () => {
    const buffer = new LogBuffer(100, 4);
    buffer.append(lines(0, 10));
    expect(buffer.length).toBe(10);
    expect(buffer.dropped).toBe(0);
    expect(Array.from({ length: 10 }, (_, i) => buffer.at(i)?.text)).toEqual(lines(0, 10).map((l) => l.text));
    expect(buffer.at(10)).toBeUndefined();
    expect(buffer.at(-1)).toBeUndefined();
  });

  test('drops the oldest lines beyond its capacity and counts them', () => {
    const buffer = new LogBuffer(10, 4);
    buffer.append(lines(0, 7));
    buffer.append(lines(7, 25));
    expect(buffer.length).toBe(10);
    expect(buffer.dropped).toBe(15);
    expect(buffer.total).toBe(25);
    expect(buffer.at(0)?.text).toBe('line 15');
    expect(buffer.at(9)?.text).toBe('line 24');
    // Absolute indices keep naming the same line after drops; dropped ones are gone.
    expect(buffer.atAbsolute(20)?.text).toBe('line 20');
    expect(buffer.atAbsolute(14)).toBeUndefined();
    expect(buffer.toView(20)).toBe(5);
    expect(buffer.toAbsolute(5)).toBe(20);
  });

  test('a batch larger than the capacity leaves only its newest lines', () => {
    const buffer = new LogBuffer(5, 2);
    buffer.append(lines(0, 13));
    expect(buffer.length).toBe(5);
    expect(buffer.at(0)?.text).toBe('line 8');
    expect(buffer.at(4)?.text).toBe('line 12');
  });

  test('remembers stderr and timestamps per line', () => {
    const buffer = new LogBuffer(10, 4);
    buffer.append([
      { stream: 'stdout', text: 'out', timestamp: '2024-01-01T00:00:00.000000001Z' },
      { stream: 'stderr', text: 'err' },
      { stream: 'stdout', text: 'plain' },
    ]);
    expect(buffer.at(0)).toEqual({ text: 'out', stderr: false, timestamp: '2024-01-01T00:00:00.000000001Z' });
    expect(buffer.at(1)).toEqual({ text: 'err', stderr: true });
    expect(buffer.at(2)).toEqual({ text: 'plain', stderr: false });
  });

  test('stderr flags do not leak into a reused slot after the ring moves on', () => {
    const buffer = new LogBuffer(4, 2);
    buffer.append(lines(0, 4, 'stderr'));
    buffer.append(lines(4, 8, 'stdout'));
    expect(Array.from({ length: 4 }, (_, i) => buffer.at(i)?.stderr)).toEqual([false, false, false, false]);
  });

  test('forEachRun walks held lines chunk by chunk with their absolute starts', () => {
    const buffer = new LogBuffer(10, 4);
    buffer.append(lines(0, 23));
    const seen: string[] = [];
    const starts: number[] = [];
    buffer.forEachRun(0, Infinity, (texts, start, end, absoluteStart) => {
      starts.push(absoluteStart);
      for (let i = start; i < end; i++) seen.push(texts[i]);
    });
    expect(seen).toEqual(lines(13, 23).map((l) => l.text));
    expect(starts).toEqual([13, 16, 20]);
  });

  test('clear starts over from absolute index 0', () => {
    const buffer = new LogBuffer(3, 2);
    buffer.append(lines(0, 5));
    buffer.clear();
    expect(buffer.length).toBe(0);
    expect(buffer.dropped).toBe(0);
    buffer.append(lines(0, 1));
    expect(buffer.at(0)?.text).toBe('line 0');
  });

  test('holds a million lines and keeps memory bounded by releasing whole chunks', () => {
    const buffer = new LogBuffer(1_000_000);
    const batch = lines(0, 5000);
    for (let i = 0; i < 300; i++) buffer.append(batch);
    expect(buffer.length).toBe(1_000_000);
    expect(buffer.dropped).toBe(500_000);
    // Internal: at most capacity/chunk + 1 chunks are alive.
    const chunks = (buffer as unknown as { chunks: unknown[] }).chunks.length;
    expect(chunks).toBeLessThanOrEqual(Math.ceil(1_000_000 / buffer.chunkSize) + 1);
  });
});
