// Log demultiplexing and line splitting on bytes captured from berthd (fixtures/*.bin: GET
// /containers/{id}/logs of a non-TTY busybox container that wrote UTF-8, stderr, a partial line
// finished 100 ms later, a CRLF line and no final newline), cut into chunks at every position.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { LogLine } from '../../common/desktop-api.ts';
import { LogLineParser } from './log-lines.ts';

const framed = readFileSync(new URL('./fixtures/berthd-logs-framed.bin', import.meta.url));
const framedWithTimestamps = readFileSync(new URL('./fixtures/berthd-logs-framed-timestamps.bin', import.meta.url));

function parse(bytes: Buffer, chunks: number[], options = { tty: false, timestamps: false }): LogLine[] {
  const lines: LogLine[] = [];
  const parser = new LogLineParser(options, (line) => lines.push(line));
  let offset = 0;
  for (const size of chunks) {
    parser.push(bytes.subarray(offset, offset + size));
    offset += size;
  }
  parser.push(bytes.subarray(offset));
  parser.end();
  return lines;
}

const expectedStart = [
  'stdout:héllo wörld ✓',
  'stderr:to stderr',
  'stdout:partial line end',
  'stdout:crlf',
  'stdout:stdout 0',
];

describe('log lines from berthd framed bytes', () => {
  it('demultiplexes, decodes UTF-8, joins partial lines and strips CR', () => {
    const lines = parse(framed, []).map((l) => `${l.stream}:${l.text}`);
    expect(lines.slice(0, 5)).toEqual(expectedStart);
    expect(lines.filter((l) => l.startsWith('stdout:stdout '))).toHaveLength(50);
    expect(lines.filter((l) => l.startsWith('stderr:stderr '))).toHaveLength(50);
    expect(lines[lines.length - 1]).toBe('stdout:last without newline');
  });

  it('gives the same lines whatever the chunk boundaries', () => {
    const whole = parse(framed, []);
    for (let cut = 1; cut < framed.length; cut++) {
      expect(parse(framed, [cut]), `cut at ${cut}`).toEqual(whole);
    }
    for (const size of [1, 2, 3, 5, 7, 9, 13]) {
      expect(parse(framed, Array(Math.ceil(framed.length / size)).fill(size)), `chunks of ${size}`).toEqual(whole);
    }
  });

  it('splits off RFC 3339 timestamps, keeping the first one of a line written in parts', () => {
    const whole = parse(framedWithTimestamps, [], { tty: false, timestamps: true });
    expect(whole.map((l) => `${l.stream}:${l.text}`).slice(0, 5)).toEqual(expectedStart);
    for (const line of whole) expect(line.timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z$/);
    for (let cut = 1; cut < framedWithTimestamps.length; cut++) {
      expect(parse(framedWithTimestamps, [cut], { tty: false, timestamps: true }), `cut at ${cut}`).toEqual(whole);
    }
  });

  it('treats TTY logs as raw stdout', () => {
    const bytes = Buffer.from('one\r\ntwo\r\nthr');
    const lines = parse(bytes, [5], { tty: true, timestamps: false });
    expect(lines).toEqual([{ stream: 'stdout', text: 'one' }, { stream: 'stdout', text: 'two' }, { stream: 'stdout', text: 'thr' }]);
  });
});
