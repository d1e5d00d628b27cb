import { describe, expect, it } from 'vitest';
import { conflict, systemError } from '../core/errors.ts';
import { publicErrorMessage, statusOf } from './error-reply.ts';

function reporter() {
  const lines: string[] = [];
  return { lines, reporter: { log: (line: string) => lines.push(line), hostPaths: ['/var/lib/berth', '/run/berth'] } };
}

describe('publicErrorMessage', () => {
  it('passes 4xx messages through untouched and logs nothing', () => {
    const { lines, reporter: r } = reporter();
    expect(publicErrorMessage(conflict('name /x in use'), r, 'POST /x')).toBe('name /x in use');
    expect(lines).toEqual([]);
  });

  it('keeps a system error\'s words without the engine\'s host paths', () => {
    const { lines, reporter: r } = reporter();
    const message = publicErrorMessage(systemError('mount /var/lib/berth/overlay/abc/merged: device busy (bundle /run/berth/runc/abc)'), r, 'POST /x');
    expect(message).toBe('mount <engine-root>/overlay/abc/merged: device busy (bundle <engine-root>/runc/abc)');
    expect(lines[0]).toContain('/var/lib/berth/overlay/abc/merged');
  });

  it('gives the errno text of a failed system call, not its path', () => {
    const { reporter: r } = reporter();
    const error = Object.assign(new Error("ENOSPC: no space left on device, write '/var/lib/berth/tmp/x'"), { code: 'ENOSPC', syscall: 'write' });
    const message = publicErrorMessage(error, r, 'POST /images/load');
    expect(message).toMatch(/^ENOSPC: no space left on device \(engine log ref [0-9a-f]{8}\)$/);
  });

  it('hides JavaScript internals behind a reference that the log carries with the stack', () => {
    const { lines, reporter: r } = reporter();
    let error: unknown;
    try {
      void (null as unknown as { x: number }).x;
    } catch (caught) {
      error = caught;
    }
    expect(statusOf(error)).toBe(500);
    const message = publicErrorMessage(error, r, 'POST /containers/create');
    expect(message).not.toMatch(/Cannot read|properties|null/);
    const ref = /ref ([0-9a-f]{8})/.exec(message)?.[1];
    expect(ref).toBeDefined();
    expect(lines[0]).toContain(`[ref ${ref}]`);
    expect(lines[0]).toContain('TypeError');
    expect(publicErrorMessage(Object.assign(new Error('Premature close'), { code: 'ERR_STREAM_PREMATURE_CLOSE' }), r, 'x')).toMatch(/^internal error/);
  });
});
