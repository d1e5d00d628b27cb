// The backend's streams against a real berthd: events, engine status, logs, stats, pull, push and
// the container terminal.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { until, useEngineWithBusybox } from '../../../../engine/test/support/engine-fixture.ts';
import { testRegistry } from '../../../../engine/test/support/fixtures.ts';
import type { EngineStatus, LogLine, StatsSample, TerminalOutput } from '../../common/desktop-api.ts';
import type { EngineEvent, ProgressMessage } from '../../common/docker-types.ts';
import { createDesktopBackend } from '../create-desktop-backend.ts';
import type { StreamSession } from '../desktop-backend.ts';
import { CollectingSink } from '../testing/collecting-sink.ts';
import { untilEventsFlow } from '../testing/events-ready.ts';

const fixture = useEngineWithBusybox();
let settingsDir: string;
let backend: ReturnType<typeof createDesktopBackend>;
const prefix = `bs${process.pid}`;
/** PID 1 ignores SIGTERM unless it traps it: this one stops at once. */
const IDLE = ['sh', '-c', 'trap "exit 0" TERM; while sleep 1; do :; done'];

beforeAll(() => {
  settingsDir = mkdtempSync(join(tmpdir(), 'berth-backend-settings-'));
  backend = createDesktopBackend({ settingsDir, endpoint: `unix://${fixture.engine.socket}`, hostTerminal: false, shell: 'dashboard' });
});

afterAll(async () => {
  if (backend) {
    for (const c of await Promise.resolve(backend.calls.listContainers()).catch(() => [])) {
      if (c.Names.some((n) => n.startsWith(`/${prefix}`))) await backend.calls.removeContainer(c.Id, { force: true, volumes: true });
    }
    await backend.dispose();
  }
  rmSync(settingsDir, { recursive: true, force: true });
});

async function failure(promise: Promise<unknown>): Promise<{ statusCode?: number; message: string }> {
  try {
    await promise;
  } catch (error) {
    return error as { statusCode?: number; message: string };
  }
  throw new Error('expected a failure');
}

function texts(sink: CollectingSink<LogLine[]>): string[] {
  return sink.items.flat().map((line) => line.text);
}

describe('logs', () => {
  it('splits stdout and stderr of a non-TTY container into lines, with timestamps', async () => {
    const { id } = await backend.calls.runContainer({
      image: fixture.busybox, name: `${prefix}-logs`,
      command: ['sh', '-c', 'echo out-1; echo err-1 >&2; printf "part"; sleep 0.2; echo ial; printf "no newline"'],
    });
    await until(async () => !(await backend.calls.inspectContainer(id) as { State: { Running: boolean } }).State.Running);
    const sink = new CollectingSink<LogLine[]>();
    await backend.streams.logs([id, { follow: false, tail: 'all', timestamps: true }], sink);
    await sink.waitForEnd();
    expect(sink.ended).toBe('complete');
    const lines = sink.items.flat();
    expect(lines.map((l) => `${l.stream}:${l.text}`)).toEqual(['stdout:out-1', 'stderr:err-1', 'stdout:partial', 'stdout:no newline']);
    for (const line of lines) expect(line.timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);

    const tail = new CollectingSink<LogLine[]>();
    await backend.streams.logs([id, { follow: false, tail: 1, timestamps: false }], tail);
    await tail.waitForEnd();
    expect(texts(tail)).toEqual(['no newline']);
    await backend.calls.removeContainer(id, { force: true, volumes: false });
  });

  it('reads TTY logs raw, strips CR, and follows until the container exits', async () => {
    const { id } = await backend.calls.runContainer({
      image: fixture.busybox, name: `${prefix}-tty`, tty: true, command: ['sh', '-c', 'sleep 0.5; for i in 1 2 3; do echo line-$i; done'],
    });
    const sink = new CollectingSink<LogLine[]>();
    await backend.streams.logs([id, { follow: true, tail: 'all', timestamps: false }], sink);
    await sink.waitForEnd();
    expect(sink.ended).toBe('complete');
    expect(texts(sink)).toEqual(['line-1', 'line-2', 'line-3']);
    expect(sink.items.flat().every((l) => l.stream === 'stdout')).toBe(true);
    await backend.calls.removeContainer(id, { force: true, volumes: false });
  });

  it('rejects bad options and unknown containers', async () => {
    const sink = new CollectingSink<LogLine[]>();
    const logs = backend.streams.logs as unknown as (args: unknown[], s: typeof sink) => Promise<StreamSession<never>>;
    expect((await failure(logs(['x', { follow: 'yes', tail: 'all', timestamps: false }], sink))).statusCode).toBe(400);
    expect((await failure(logs(['no-such-container', { follow: false, tail: 'all', timestamps: false }], sink))).statusCode).toBe(404);
  });
});

describe('events and engine status', () => {
  it('delivers events after an engine action', async () => {
    const sink = new CollectingSink<EngineEvent>();
    const session = await backend.streams.events([], sink);
    await untilEventsFlow(() => sink.items, (args) => fixture.engine.docker(args));
    const name = `${prefix}-ev`;
    const { id } = await backend.calls.runContainer({ image: fixture.busybox, name, command: IDLE });
    await sink.waitFor((e) => e.Type === 'container' && e.Action === 'start' && e.Actor.ID === id);
    await backend.calls.removeContainer(id, { force: true, volumes: false });
    await sink.waitFor((e) => e.Type === 'container' && e.Action === 'destroy' && e.Actor.ID === id);
    session.close();
  });

  it('survives an engine restart: status goes stopped then running, events keep coming', async () => {
    const events = new CollectingSink<EngineEvent>();
    const statuses = new CollectingSink<EngineStatus>();
    const eventsSession = await backend.streams.events([], events);
    const engineSession = await backend.streams.engine([], statuses);
    await statuses.waitFor((s) => s.state === 'running');
    await fixture.engine.restart();
    await statuses.waitFor((s) => s.state === 'stopped' || s.state === 'error');
    await statuses.waitFor((s, ) => s.state === 'running' && statuses.items.indexOf(s) > 0);
    // No two equal statuses in a row.
    for (let i = 1; i < statuses.items.length; i++) expect(statuses.items[i]).not.toEqual(statuses.items[i - 1]);
    expect(events.ended).toBeUndefined();
    // The events connection is back (reconnect with backoff): an action shows up.
    const name = `${prefix}-after-restart`;
    let id = '';
    await until(async () => {
      if (!id) id = (await backend.calls.runContainer({ image: fixture.busybox, name, command: IDLE })).id;
      return events.items.some((e) => e.Action === 'start' && e.Actor.ID === id);
    }, 20_000);
    await backend.calls.removeContainer(id, { force: true, volumes: false });
    eventsSession.close();
    engineSession.close();
  });
});

describe('stats', () => {
  it('streams samples computed the way docker stats does', async () => {
    const { id } = await backend.calls.runContainer({ image: fixture.busybox, name: `${prefix}-stats`, command: ['sh', '-c', 'trap "exit 0" TERM; while :; do :; done'] });
    const sink = new CollectingSink<StatsSample>();
    const session = await backend.streams.stats([id], sink);
    await until(async () => sink.items.length >= 3, 15_000);
    session.close();
    const last = sink.items[sink.items.length - 1];
    expect(last.cpuPercent).toBeGreaterThan(10);
    expect(last.memoryUsage).toBeGreaterThan(0);
    expect(last.memoryLimit).toBeGreaterThan(last.memoryUsage);
    expect(last.pids).toBeGreaterThanOrEqual(1);
    expect(last.time).toBeGreaterThan(Date.now() - 60_000);

    const all = new CollectingSink<Record<string, { cpuPercent: number; memoryUsage: number }>>();
    const allSession = await backend.streams.statsAll([], all);
    const withCpu = await all.waitFor((usage) => (usage[id]?.cpuPercent ?? 0) > 10);
    expect(withCpu[id].memoryUsage).toBeGreaterThan(0);
    allSession.close();
    await backend.calls.removeContainer(id, { force: true, volumes: false });
  });
});

describe('pull and push', () => {
  it('pulls with per-layer progress and completes', async () => {
    // Untag even if a container still uses it, so the engine really pulls again.
    const rmi = await fixture.engine.docker(['rmi', '-f', fixture.busybox]);
    expect(rmi.code, rmi.stderr).toBe(0);
    const sink = new CollectingSink<ProgressMessage>();
    await backend.streams.pull([fixture.busybox], sink);
    await sink.waitForEnd(60_000);
    expect(sink.ended, String((sink.failure as Error)?.message)).toBe('complete');
    // Per-layer messages carry the layer's short id (layers the engine still holds say "Already exists").
    expect(sink.items.some((m) => /^[0-9a-f]{12}$/.test(m.id ?? '') && /Pull complete|Already exists/.test(m.status ?? ''))).toBe(true);
    expect(sink.items.some((m) => /Downloaded newer image|Image is up to date/.test(m.status ?? ''))).toBe(true);
  });

  it('ends a pull of a missing image with the engine error', async () => {
    const sink = new CollectingSink<ProgressMessage>();
    const missing = `${testRegistry().host}/no-such-repo:nope`;
    try {
      await backend.streams.pull([missing], sink);
      await sink.waitForEnd(30_000);
      expect(sink.ended).toBe('error');
      expect(String((sink.failure as Error).message)).toMatch(/not found|unknown|no such|manifest/i);
    } catch (error) {
      // An engine may also refuse before streaming: the stream then fails to open with its status.
      expect((error as { statusCode?: number }).statusCode).toBeGreaterThanOrEqual(400);
    }
    const sink2 = new CollectingSink<ProgressMessage>();
    expect((await failure(Promise.resolve().then(() => backend.streams.pull(['Bad Ref!'], sink2))) ).statusCode).toBe(400);
  });

  it('pushes a tagged image to the registry', async () => {
    const target = `${testRegistry().host}/${prefix}-pushed:v1`;
    await backend.calls.tagImage(fixture.busybox, `${testRegistry().host}/${prefix}-pushed`, 'v1');
    const sink = new CollectingSink<ProgressMessage>();
    await backend.streams.push([target], sink);
    await sink.waitForEnd(60_000);
    expect(sink.ended, String((sink.failure as Error)?.message)).toBe('complete');
    expect(sink.items.some((m) => /digest: sha256:/.test(m.status ?? '') || m.aux?.Digest)).toBe(true);
    await backend.calls.removeImage(target, { force: false });
  });
});

describe('terminal', () => {
  it('opens a shell (sh when bash is missing), echoes, resizes and reports the exit code', async () => {
    const { id } = await backend.calls.runContainer({ image: fixture.busybox, name: `${prefix}-term`, command: IDLE });
    const sink = new CollectingSink<TerminalOutput>();
    const session = await backend.streams.terminal([{ kind: 'container', id }, { cols: 80, rows: 24 }], sink);
    const output = () => sink.items.map((item) => ('data' in item ? item.data : '')).join('');
    session.input?.({ data: 'echo hel""lo\r' });
    await until(async () => /\bhello\b/.test(output()), 10_000);
    session.input?.({ resize: { cols: 123, rows: 45 } });
    await new Promise((resolve) => setTimeout(resolve, 200));
    session.input?.({ data: 'stty size\r' });
    await until(async () => output().includes('45 123'), 10_000);
    session.input?.({ data: 'exit 3\r' });
    await sink.waitForEnd();
    expect(sink.ended).toBe('complete');
    expect(sink.items[sink.items.length - 1]).toEqual({ exit: 3 });
  });

  it('ends when its container restarts (the exec dies with the container)', async () => {
    const { id } = await backend.calls.runContainer({ image: fixture.busybox, name: `${prefix}-term-restart`, command: IDLE });
    const sink = new CollectingSink<TerminalOutput>();
    const session = await backend.streams.terminal([{ kind: 'container', id }, { cols: 80, rows: 24 }], sink);
    const output = () => sink.items.map((item) => ('data' in item ? item.data : '')).join('');
    session.input?.({ data: 'echo rea""dy\r' });
    await until(async () => /\bready\b/.test(output()), 10_000);
    await backend.calls.containerAction(id, 'restart');
    await sink.waitForEnd(10_000);
    expect(sink.ended).toBe('complete');
  });

  it('refuses the host terminal to a remote UI and bad targets', async () => {
    const sink = new CollectingSink<TerminalOutput>();
    const open = backend.streams.terminal as unknown as (args: unknown[], s: typeof sink) => Promise<StreamSession<unknown>>;
    const host = await failure(open([{ kind: 'host' }, { cols: 80, rows: 24 }], sink));
    expect(host.statusCode).toBe(403);
    expect(host.message).toBe('the host terminal is only offered to a local UI');
    expect((await failure(open([{ kind: 'vm' }, { cols: 80, rows: 24 }], sink))).statusCode).toBe(400);
    expect((await failure(open([{ kind: 'container', id: 'x' }, { cols: 0, rows: 24 }], sink))).statusCode).toBe(400);
    expect((await failure(open([{ kind: 'container', id: 'no-such-container' }, { cols: 80, rows: 24 }], sink))).statusCode).toBe(404);
  });
});

describe("Berth's own engine (localEngine)", () => {
  it('starts and stops it, reporting each transition on the engine stream once', async () => {
    // An EngineControl over the test harness's real berthd (the supervisor is tested elsewhere).
    let transition: 'starting' | 'stopping' | null = null;
    const listeners = new Set<() => void>();
    const set = (value: typeof transition) => { transition = value; listeners.forEach((l) => l()); };
    const localEngine = {
      kind: 'local' as const,
      startedByUs: false,
      details: async () => undefined,
      endpoint: `unix://${fixture.engine.socket}`,
      get transition() { return transition; },
      onTransition(listener: () => void) { listeners.add(listener); return () => listeners.delete(listener); },
      async stop() { set('stopping'); await fixture.engine.kill9(); set(null); },
      async start() { set('starting'); await fixture.engine.restart(); set(null); },
    };
    const local = createDesktopBackend({ settingsDir: join(settingsDir, 'local'), localEngine, hostTerminal: true, shell: 'electron' });
    try {
      expect((await local.calls.listEndpoints()).endpoints[0]).toEqual({ id: localEngine.endpoint, url: localEngine.endpoint, label: "Berth's engine", builtin: true });
      const statuses = new CollectingSink<EngineStatus>();
      const session = await local.streams.engine([], statuses);
      await statuses.waitFor((s) => s.state === 'running' && s.controllable);
      const stopped = await local.calls.engineControl('stop');
      expect(stopped.state).toBe('stopped');
      expect(stopped.message).toMatch(/Press Start/);
      await statuses.waitFor((s) => s.state === 'stopped');
      const started = await local.calls.engineControl('start');
      expect(started.state).toBe('running');
      await statuses.waitFor((s) => s.state === 'running' && statuses.items.indexOf(s) > 0);
      const states = statuses.items.map((s) => s.state);
      expect(states).toContain('stopping');
      expect(states).toContain('starting');
      for (let i = 1; i < statuses.items.length; i++) expect(statuses.items[i]).not.toEqual(statuses.items[i - 1]);
      session.close();
    } finally {
      await local.dispose();
    }
  });
});
