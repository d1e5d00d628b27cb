import { describe, expect, it } from 'vitest';
import { parseLogLine } from './k8s-file-format.ts';
import { formatTimestampNs, parseTimestampNs } from '../../../core/timestamps.ts';

describe('k8s-file log lines', () => {
  it('parses a full stdout line and restores its newline', () => {
    const record = parseLogLine(Buffer.from('2024-01-02T03:04:05.123456789+01:00 stdout F hello world'));
    expect(record?.stream).toBe('stdout');
    expect(record?.full).toBe(true);
    expect(record?.data.toString()).toBe('hello world\n');
    expect(formatTimestampNs(record!.timeNs)).toBe('2024-01-02T02:04:05.123456789Z');
  });

  it('keeps partial lines without a newline and accepts empty content', () => {
    expect(parseLogLine(Buffer.from('2024-01-02T03:04:05.1Z stderr P abc'))?.data.toString()).toBe('abc');
    expect(parseLogLine(Buffer.from('2024-01-02T03:04:05Z stdout F'))?.data.toString()).toBe('\n');
  });

  it('rejects malformed lines', () => {
    expect(parseLogLine(Buffer.from('garbage'))).toBeUndefined();
    expect(parseLogLine(Buffer.from('2024-01-02T03:04:05Z stdin F x'))).toBeUndefined();
    expect(parseTimestampNs('yesterday')).toBeUndefined();
  });
});
