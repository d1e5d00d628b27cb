// What every kind of engine connection must carry, driven through the backend's own calls and
// streams: a list, a run, logs followed to their end, the event stream, and a terminal (exec
// with a TTY on a hijacked connection) that echoes what is typed and reports the exit code.
import { expect } from 'vitest';
import type { LogLine, TerminalOutput } from '../../common/desktop-api.ts';
import type { EngineEvent } from '../../common/docker-types.ts';
import type { createDesktopBackend } from '../create-desktop-backend.ts';
import { CollectingSink } from './collecting-sink.ts';
import { untilEventsFlow } from './events-ready.ts';

type Backend = ReturnType<typeof createDesktopBackend>;

async function until(check: () => boolean, ms = 20_000): Promise<void> {
  for (const deadline = Date.now() + ms; !check();) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** `docker` runs the CLI against the same engine (probe events prove the event stream is live). */
export async function exerciseBackend(backend: Backend, image: string, prefix: string, docker: (args: string[]) => Promise<unknown>): Promise<void> {
  const status = await backend.calls.engineStatus();
  expect(status.state, JSON.stringify(status)).toBe('running');

  // Events first, so the run below shows up on a live stream.
  const events = new CollectingSink<EngineEvent>();
  const eventSession = await backend.streams.events([], events);
  await untilEventsFlow(() => events.items, docker);

  // A container that prints three lines and exits: logs followed to the end.
  const { id } = await backend.calls.runContainer({ image, name: `${prefix}-logs`, command: ['sh', '-c', 'for i in 1 2 3; do echo line-$i; done'] });
  const logs = new CollectingSink<LogLine[]>();
  await backend.streams.logs([id, { follow: true, tail: 'all', timestamps: false }], logs);
  await logs.waitForEnd(30_000);
  expect(logs.ended, String((logs.failure as Error)?.message)).toBe('complete');
  expect(logs.items.flat().map((line) => line.text)).toEqual(['line-1', 'line-2', 'line-3']);
  await until(() => events.items.some((e) => e.Type === 'container' && e.Action === 'start' && e.Actor.ID === id));
  eventSession.close?.();

  const listed = await backend.calls.listContainers();
  expect(listed.some((c) => c.Id === id)).toBe(true);

  // A terminal: exec with a TTY over a hijacked connection, both ways.
  const idle = await backend.calls.runContainer({ image, name: `${prefix}-term`, command: ['sleep', '600'] });
  const term = new CollectingSink<TerminalOutput>();
  const session = await backend.streams.terminal([{ kind: 'container', id: idle.id }, { cols: 80, rows: 24 }], term);
  const output = () => term.items.map((item) => ('data' in item ? item.data : '')).join('');
  session.input?.({ data: 'echo over""remote\r' });
  await until(() => /\boverremote\b/.test(output()));
  session.input?.({ data: 'exit 7\r' });
  await term.waitForEnd(20_000);
  expect(term.items[term.items.length - 1]).toEqual({ exit: 7 });

  for (const c of [id, idle.id]) await backend.calls.removeContainer(c, { force: true, volumes: true });
}
