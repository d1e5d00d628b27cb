import { describe, expect, it } from 'vitest';
import { formatPreamble, parsePreamble, secretMatches, type Request } from './preamble.ts';
import { encodeFrame, FrameDecoder } from './udp-frames.ts';
import { hasPowerPress } from './power-button.ts';

describe('agent preamble', () => {
  it('round-trips every request', () => {
    const requests: Request[] = [
      { kind: 'engine' }, { kind: 'status' }, { kind: 'poweroff' }, { kind: 'set-clock', unixMs: 1_760_000_000_123 },
      { kind: 'tcp', host: '10.47.0.2', port: 80 }, { kind: 'udp', host: '::1', port: 53 },
    ];
    for (const request of requests) {
      const line = formatPreamble('s3cret', request);
      expect(line.endsWith('\n')).toBe(true);
      expect(parsePreamble(line.slice(0, -1))).toEqual({ ok: true, secret: 's3cret', request });
    }
  });

  it('tells a foreign protocol from a bad request of ours', () => {
    expect(parsePreamble('GET / HTTP/1.1')).toMatchObject({ ok: false, reason: 'protocol' });
    expect(parsePreamble('BERTH/1')).toMatchObject({ ok: false, reason: 'protocol' });
    expect(parsePreamble('BERTH/2 s engine')).toMatchObject({ ok: false, reason: 'protocol' });
    for (const line of ['BERTH/1 s tcp host', 'BERTH/1 s tcp host 0', 'BERTH/1 s tcp host 65536', 'BERTH/1 s udp host x',
      'BERTH/1 s engine extra', 'BERTH/1 s set-clock -5', 'BERTH/1 s set-clock soon', 'BERTH/1 s reboot', 'BERTH/1 s']) {
      expect(parsePreamble(line), line).toMatchObject({ ok: false, reason: 'request', secret: 's' });
    }
  });

  it('matches only the exact secret, and never an empty one', () => {
    expect(secretMatches('abc', 'abc')).toBe(true);
    expect(secretMatches('abc', 'abd')).toBe(false);
    expect(secretMatches('abc', 'abcd')).toBe(false);
    expect(secretMatches('abc', '')).toBe(false);
    expect(secretMatches('', '')).toBe(false);
  });
});

describe('UDP framing', () => {
  it('reassembles datagrams split and joined across stream chunks', () => {
    const datagrams = [Buffer.from('one'), Buffer.alloc(0), Buffer.alloc(70_000 % 65_507, 7), Buffer.from('last')];
    const stream = Buffer.concat(datagrams.map(encodeFrame));
    const decoder = new FrameDecoder();
    const out: Buffer[] = [];
    for (let at = 0; at < stream.length; at += 3) out.push(...decoder.push(stream.subarray(at, at + 3)));
    expect(out).toEqual(datagrams);
  });
});

describe('power button', () => {
  const event = (type: number, code: number, value: number) => {
    const b = Buffer.alloc(24);
    b.writeUInt16LE(type, 16);
    b.writeUInt16LE(code, 18);
    b.writeInt32LE(value, 20);
    return b;
  };
  it('sees a KEY_POWER press among other events, and not its release or other keys', () => {
    expect(hasPowerPress(Buffer.concat([event(0, 0, 0), event(1, 116, 1), event(0, 0, 0)]))).toBe(true);
    expect(hasPowerPress(event(1, 116, 0))).toBe(false);
    expect(hasPowerPress(event(1, 30, 1))).toBe(false);
    expect(hasPowerPress(event(4, 116, 1))).toBe(false);
  });
});
