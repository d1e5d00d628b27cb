// The host shell through a real pseudo-terminal: typing, the size the shell sees, DOCKER_HOST,
// the exit code, and close() ending the shell.
import { describe, expect, test } from 'vitest';
import type { TerminalOutput } from '../common/desktop-api.ts';
import { openHostTerminal, pickHostShell } from './host-terminal.ts';
import { processAlive, waitUntil } from './engine-process-helpers.ts';
import { CollectingSink } from './testing/collecting-sink.ts';

const text = (sink: CollectingSink<TerminalOutput>) => sink.items.map((item) => ('data' in item ? item.data : '')).join('');

async function waitForText(sink: CollectingSink<TerminalOutput>, pattern: RegExp, ms = 10_000): Promise<void> {
  if (!(await waitUntil(() => pattern.test(text(sink)), ms))) throw new Error(`no ${pattern} in terminal output:\n${text(sink).slice(-2000)}`);
}

describe('host terminal', () => {
  test('runs the user\'s shell with DOCKER_HOST set, at the size asked for, and follows resizes', async () => {
    const sink = new CollectingSink<TerminalOutput>();
    const session = openHostTerminal({ size: { cols: 91, rows: 27 }, dockerCli: { DOCKER_HOST: 'unix:///tmp/berth-test.sock' } }, sink);
    try {
      session.input?.({ data: 'stty size; echo "DH=$DOCKER_HOST T=$TERM"\r' });
      await waitForText(sink, /27 91/);
      await waitForText(sink, /DH=unix:\/\/\/tmp\/berth-test\.sock T=xterm-256color/);
      session.input?.({ resize: { cols: 120, rows: 40 } });
      session.input?.({ data: 'stty size\r' });
      await waitForText(sink, /40 120/);
      // Out-of-range sizes are dropped, not applied.
      session.input?.({ resize: { cols: 0, rows: 5000 } });
      session.input?.({ data: 'echo "S=$(stty size)"\r' });
      await waitForText(sink, /S=40 120/);
      session.input?.({ data: 'exit 7\r' });
      await sink.waitForEnd();
      expect(sink.ended).toBe('complete');
      expect(sink.items.at(-1)).toEqual({ exit: 7 });
    } finally {
      session.close();
    }
  });

  test('stops reading the shell while the transport is congested, and catches up after the drain', async () => {
    let congested = true;
    let received = 0;
    let drain: (() => void) | undefined;
    const sink = new CollectingSink<TerminalOutput>();
    const congestedSink = {
      next: (item: TerminalOutput) => {
        if ('data' in item) received += item.data.length;
        sink.next(item);
        return !congested;
      },
      onDrain: (listener: () => void) => { drain = listener; },
      error: (error: unknown) => sink.error(error),
      complete: () => sink.complete(),
    };
    const session = openHostTerminal({ size: { cols: 80, rows: 24 }, dockerCli: { DOCKER_HOST: 'unix:///tmp/x.sock' } }, congestedSink);
    try {
      session.input?.({ data: "head -c 8000000 /dev/zero | tr '\\0' a; echo; echo DONE-$((6*7))\r" });
      await waitUntil(() => drain !== undefined, 10_000);
      // 8 MB would pass through a pty in well under a second if nothing held the shell back.
      await new Promise((resolve) => setTimeout(resolve, 1000));
      expect(received).toBeLessThan(1_000_000);
      congested = false;
      drain!();
      await waitForText(sink, /DONE-42/, 30_000);
      expect(received).toBeGreaterThan(8_000_000);
    } finally {
      session.close();
    }
  });

  test('close() ends the shell', async () => {
    const sink = new CollectingSink<TerminalOutput>();
    const session = openHostTerminal({ size: { cols: 80, rows: 24 }, dockerCli: { DOCKER_HOST: 'unix:///tmp/x.sock' } }, sink);
    session.input?.({ data: 'echo "PID=$$"\r' });
    await waitForText(sink, /PID=\d+/);
    const pid = Number(/PID=(\d+)/.exec(text(sink))![1]);
    expect(processAlive(pid)).toBe(true);
    session.close();
    expect(await waitUntil(() => !processAlive(pid), 5000)).toBe(true);
  });

  test('a size out of range is refused with a clear error', () => {
    const sink = new CollectingSink<TerminalOutput>();
    expect(() => openHostTerminal({ size: { cols: 80, rows: 0 }, dockerCli: { DOCKER_HOST: 'unix:///x' } }, sink)).toThrow(/from 1 to 1000/);
    expect(() => openHostTerminal({ size: { cols: 80.5, rows: 24 }, dockerCli: { DOCKER_HOST: 'unix:///x' } }, sink)).toThrow(/whole numbers/);
  });

  test('picks $SHELL when it can run, else /bin/bash, else /bin/sh', () => {
    expect(pickHostShell({ SHELL: '/bin/sh' })).toBe('/bin/sh');
    expect(pickHostShell({ SHELL: '/nonexistent/shell' })).toBe('/bin/bash');
    expect(pickHostShell({})).toBe('/bin/bash');
  });
});
