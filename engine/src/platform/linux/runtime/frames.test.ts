import { describe, expect, it } from 'vitest';
import { FrameDecoder } from './frames.ts';
import { runcError, runcErrorMessage } from './runc.ts';
import { conmonArgs } from './conmon.ts';

const frame = (type: number, payload: string) => {
  const body = Buffer.from(payload);
  const header = Buffer.alloc(8);
  header[0] = type;
  header.writeUInt32BE(body.length, 4);
  return Buffer.concat([header, body]);
};

describe('FrameDecoder', () => {
  it('splits frames across arbitrary chunk boundaries', () => {
    const bytes = Buffer.concat([frame(1, 'hello'), frame(2, 'oops'), frame(0, ''), frame(1, 'bye')]);
    const decoder = new FrameDecoder();
    const events = [];
    for (let i = 0; i < bytes.length; i += 3) events.push(...decoder.push(bytes.subarray(i, i + 3)));
    expect(events).toEqual([
      { kind: 'output', stream: 'stdout', data: Buffer.from('hello') },
      { kind: 'output', stream: 'stderr', data: Buffer.from('oops') },
      { kind: 'ready' },
      { kind: 'output', stream: 'stdout', data: Buffer.from('bye') },
    ]);
    expect(decoder.leftover).toBe(0);
  });
});

describe('runc errors', () => {
  it("extracts runc's message from its logrus line", () => {
    const stderr =
      'time="2026-11-23T19:32:50Z" level=error msg="runc create failed: unable to start container process: exec: \\"nope\\": executable file not found in $PATH"\n';
    expect(runcErrorMessage(stderr)).toBe('runc create failed: unable to start container process: exec: "nope": executable file not found in $PATH');
  });

  it('maps state conflicts and missing containers to engine error kinds', () => {
    expect(runcError('kill', 'x', 'container not running').kind).toBe('conflict');
    expect(runcError('state', 'x', 'container does not exist').kind).toBe('not-found');
    expect(runcError('start', 'x', 'something else').kind).toBe('system');
  });
});

describe('conmonArgs', () => {
  it('passes --leave-stdin-open only for open stdin that is not StdinOnce, and exec flags for exec', () => {
    const base = {
      conmonPath: '/usr/bin/conmon', runcPath: '/usr/sbin/runc', runcRoot: '/run/berth/runc', cid: 'c', cuuid: 'u',
      bundleDir: '/b', cwd: '/d', containerPidFile: '/d/pid', socketDir: '/s', tty: false, stdin: true, leaveStdinOpen: true,
    };
    expect(conmonArgs(base)).toContain('--leave-stdin-open');
    expect(conmonArgs({ ...base, leaveStdinOpen: false })).not.toContain('--leave-stdin-open');
    const exec = conmonArgs({ ...base, exec: { processSpecPath: '/d/process.json' } });
    expect(exec).toEqual(expect.arrayContaining(['--exec', '--exec-attach', '--exec-process-spec', '/d/process.json', '-l', 'none']));
  });
});
