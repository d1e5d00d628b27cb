import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseLogLine } from './k8s-file-format.ts';
import { lastLines, readContainerLog, tailOffset } from './log-reader.ts';

const dir = mkdtempSync(join(tmpdir(), 'berth-log-reader-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A log in conmon's format with partial records, empty lines, both streams and a torn last write. */
function writeLog(name: string, records: number, tornEnd: boolean): string {
  let seed = records * 7919;
  const random = (n: number) => (seed = (seed * 1103515245 + 12345) % 2147483648) % n;
  const lines: string[] = [];
  for (let i = 0; i < records; i++) {
    const stream = random(4) === 0 ? 'stderr' : 'stdout';
    const flag = random(3) === 0 ? 'P' : 'F';
    const text = 'x'.repeat(random(40)) + `#${i}`;
    lines.push(flag === 'F' && random(10) === 0 ? `2026-11-23T10:00:00.${String(i).padStart(9, '0')}Z ${stream} F` : `2026-11-23T10:00:00.${String(i).padStart(9, '0')}Z ${stream} ${flag} ${text}`);
  }
  const path = join(dir, name);
  writeFileSync(path, lines.join('\n') + '\n' + (tornEnd ? '2026-11-23T10:00:01.000000000Z stdout F half-writ' : ''));
  return path;
}

function parseAll(content: string) {
  return content.split('\n').slice(0, -1).map((line) => parseLogLine(Buffer.from(line))).filter((r) => r !== undefined);
}

describe('tail from the end of the log', () => {
  for (const tornEnd of [false, true]) {
    it(`starts exactly where the last N lines begin, at any chunk size (torn last write: ${tornEnd})`, async () => {
      const path = writeLog(`log-${tornEnd}`, 120, tornEnd);
      const content = readFileSync(path, 'latin1');
      const all = parseAll(tornEnd ? content.slice(0, content.lastIndexOf('\n') + 1) : content);
      for (const chunk of [1, 2, 5, 17, 64, 4096]) {
        for (const count of [0, 1, 2, 3, 10, 50, 119, 200]) {
          const offset = await tailOffset(path, count, chunk);
          const expected = lastLines(all, count);
          const fromOffset = parseAll(content.slice(offset, content.lastIndexOf('\n') + 1));
          expect(fromOffset.map((r) => r.data.toString()), `chunk ${chunk} count ${count}`).toEqual(expected.map((r) => r.data.toString()));
        }
      }
    });
  }

  it('reads the records after the offset through readContainerLog, and nothing for a missing file', async () => {
    const path = writeLog('log-read', 30, false);
    const records = [];
    for await (const record of readContainerLog(path, { tail: 3, follow: false } as never)) records.push(record);
    const all = parseAll(readFileSync(path, 'latin1'));
    expect(records.map((r) => r.data.toString())).toEqual(lastLines(all, 3).map((r) => r.data.toString()));
    expect(await tailOffset(join(dir, 'missing'), 5)).toBe(0);
  });
});
