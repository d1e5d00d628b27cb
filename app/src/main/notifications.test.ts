// Notifications decided from a real berthd's events: a container exiting 3 on its own, one
// stopped by the user (kill then die 137/143), one exiting 0, and one whose health check fails.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { until, useEngineWithBusybox } from '../../../engine/test/support/engine-fixture.ts';
import { createDesktopBackend } from '../backend/create-desktop-backend.ts';
import type { StreamSession } from '../backend/desktop-backend.ts';
import { CollectingSink } from '../backend/testing/collecting-sink.ts';
import type { EngineEvent } from '../common/docker-types.ts';
import { ContainerNotifier } from './notifications.ts';
import { DEFAULT_SETTINGS } from './settings.ts';

const fixture = useEngineWithBusybox();
const name = (what: string) => `notify-${what}-${process.pid}`;
const created: string[] = [];
let settingsDir: string;
let backend: ReturnType<typeof createDesktopBackend>;
let events: CollectingSink<EngineEvent>;
let session: StreamSession<never>;

beforeAll(async () => {
  settingsDir = mkdtempSync(join(tmpdir(), 'berth-notify-'));
  backend = createDesktopBackend({ settingsDir, endpoint: `unix://${fixture.engine.socket}`, hostTerminal: false, shell: 'electron' });
  events = new CollectingSink<EngineEvent>();
  session = await backend.streams.events([], events);
  // The events connection is up once a container event shows; a throwaway one proves it.
  const probe = name('probe');
  created.push(probe);
  await until(async () => {
    await fixture.engine.docker(['create', '--name', probe, fixture.busybox, 'true']);
    return events.items.some((e) => e.Actor.Attributes.name === probe);
  });
});

afterAll(async () => {
  session?.close();
  if (created.length > 0) await fixture.engine?.docker(['rm', '-f', ...created]);
  await backend?.dispose();
  rmSync(settingsDir, { recursive: true, force: true });
});

async function run(container: string, args: string[]): Promise<void> {
  created.push(container);
  const result = await fixture.engine.docker(['run', '--name', container, ...args]);
  expect(result.stderr).not.toMatch(/Error response/);
}

/** Every notification the events of one container call for, fed in order to one notifier. */
async function notificationsFor(container: string, until_: (e: EngineEvent) => boolean, settings = DEFAULT_SETTINGS.notifications) {
  const ofContainer = () => events.items.filter((e) => e.Type === 'container' && e.Actor.Attributes.name === container);
  await until(async () => ofContainer().some(until_));
  const notifier = new ContainerNotifier();
  return ofContainer().map((e) => notifier.handle(e, settings)).filter((n) => n !== undefined);
}

describe('notifications from engine events', () => {
  test('a container that exits 3 on its own is notified, with a link to its logs; turned off, it is not', async () => {
    const failing = name('fails');
    await run(failing, [fixture.busybox, 'sh', '-c', 'exit 3']);
    const notes = await notificationsFor(failing, (e) => e.Action === 'die');
    expect(notes).toHaveLength(1);
    expect(notes[0].title).toBe(`${failing} exited with code 3`);
    expect(notes[0].route).toMatch(/^#\/containers\/[0-9a-f]{64}\/logs$/);
    expect(await notificationsFor(failing, (e) => e.Action === 'die', { ...DEFAULT_SETTINGS.notifications, containerFailed: false })).toEqual([]);
  });

  test('exit 0 and a stop the user asked for are not news', async () => {
    const fine = name('fine');
    await run(fine, [fixture.busybox, 'true']);
    expect(await notificationsFor(fine, (e) => e.Action === 'die')).toEqual([]);

    const stopped = name('stopped');
    await run(stopped, ['-d', fixture.busybox, 'sleep', '600']);
    const stop = await fixture.engine.docker(['stop', '-t', '1', stopped]);
    expect(stop.code, stop.stderr).toBe(0);
    await until(async () => events.items.some((e) => e.Actor.Attributes.name === stopped && e.Action === 'die'));
    // It did exit non-zero (SIGTERM): only the kill before it makes it expected.
    const die = events.items.find((e) => e.Actor.Attributes.name === stopped && e.Action === 'die')!;
    expect(die.Actor.Attributes.exitCode).not.toBe('0');
    expect(await notificationsFor(stopped, (e) => e.Action === 'die')).toEqual([]);
  });

  test('a container whose health check fails is notified as unhealthy', async () => {
    const sick = name('sick');
    await run(sick, ['-d', '--health-cmd', 'false', '--health-interval', '1s', '--health-retries', '1', fixture.busybox, 'sleep', '600']);
    const notes = await notificationsFor(sick, (e) => e.Action === 'health_status: unhealthy');
    expect(notes.map((n) => n.title)).toEqual([`${sick} is unhealthy`]);
    expect(await notificationsFor(sick, (e) => e.Action === 'health_status: unhealthy', { ...DEFAULT_SETTINGS.notifications, containerUnhealthy: false })).toEqual([]);
  });
});
