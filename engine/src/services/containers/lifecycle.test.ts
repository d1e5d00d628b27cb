// The lifecycle owner driven by a fake Runtime whose timing each test sets (DESIGN.md rule 3):
// exits that arrive while a start is still under way, stops that wait for their exit, attaches
// that connect late. The same services run on runc + conmon in engine/test/run-race.test.ts.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ContainerStore } from '../../core/container-store.ts';
import type { ContainerRecord } from '../../core/container-types.ts';
import { MemoryEventBus } from '../../core/event-bus.ts';
import type { Snapshotter } from '../../core/interfaces.ts';
import type { ImageService } from '../images/image-service.ts';
import { attachContainer } from './attach-container.ts';
import { ContainerContext, type ContainerPlatform } from './context.ts';
import { recordPaused, recordStarted, ZERO_TIME } from './lifecycle-state.ts';
import { removeContainer } from './remove-container.ts';
import { startContainer } from './start-container.ts';
import { killContainer, stopContainer } from './stop-container.ts';
import { FakeRuntime } from './test-fake-runtime.ts';
import { waitContainer } from './wait-container.ts';

let dir: string;
let runtime: FakeRuntime;
let events: MemoryEventBus;
let ctx: ContainerContext;
let logged: string[];
let released: string[];

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'berth-lifecycle-'));
  runtime = new FakeRuntime();
  events = new MemoryEventBus();
  released = [];
  const store = new ContainerStore(join(dir, 'containers'));
  await store.load();
  const snapshotter = {
    mountContainer: async () => join(dir, 'rootfs'),
    unmountContainer: async () => {},
    removeContainer: async () => {},
  } as unknown as Snapshotter;
  const platform = {
    prepareStart: async (record: ContainerRecord) => ({ spec: {}, bundleDir: join(dir, 'bundles', record.Id) }),
    releaseStart: async (id: string) => {
      released.push(id);
    },
    logPath: (id: string) => join(dir, `${id}.log`),
  } as unknown as ContainerPlatform;
  ctx = new ContainerContext({ store, images: {} as ImageService, snapshotter, runtime, events, platform });
  logged = [];
  ctx.log = (message) => logged.push(message);
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

let serial = 0;
async function created(options: { autoRemove?: boolean; restart?: 'no' | 'always' } = {}): Promise<ContainerRecord> {
  serial++;
  const id = serial.toString(16).padStart(64, 'a');
  const record = {
    Id: id,
    Name: `/c${serial}`,
    Created: new Date().toISOString(),
    Path: 'true',
    Args: [],
    Image: 'sha256:x',
    ImageRef: 'x',
    Config: { Labels: {}, Image: 'x', Tty: false, OpenStdin: false, StdinOnce: false },
    HostConfig: { AutoRemove: options.autoRemove ?? false, RestartPolicy: { Name: options.restart ?? 'no', MaximumRetryCount: 0 } },
    State: { Status: 'created', Pid: 0, ExitCode: 0, Error: '', StartedAt: ZERO_TIME, FinishedAt: ZERO_TIME, OOMKilled: false },
    RestartCount: 0,
    ManuallyStopped: false,
  } as unknown as ContainerRecord;
  await ctx.store.save(record);
  return record;
}

/** The container's event actions, in order. */
function actions(id: string): string[] {
  return events.recent().filter((e) => e.Actor.ID === id).map((e) => e.Action);
}

describe('an exit that arrives during the start sequence', () => {
  it('is applied after start records running, not overwritten by it', async () => {
    const record = await created();
    const { result } = waitContainer(ctx, record.Id, 'next-exit');
    // The process ends before start() even returns (`true` under load).
    runtime.onStart = (id) => runtime.exit(id, 3);
    await startContainer(ctx, record.Id);
    expect(await result).toEqual({ StatusCode: 3, Error: null });
    expect(record.State.Status).toBe('exited');
    expect(record.State.ExitCode).toBe(3);
    expect(actions(record.Id)).toEqual(['start', 'die']);
    expect(logged).toEqual([]);
  });

  it('still removes a --rm container, so `docker run --rm` returns', async () => {
    const record = await created({ autoRemove: true });
    const { result } = waitContainer(ctx, record.Id, 'removed');
    runtime.onStart = (id) => runtime.exit(id, 7);
    await startContainer(ctx, record.Id);
    expect(await result).toEqual({ StatusCode: 7, Error: null });
    expect(ctx.store.find(record.Id)).toBeUndefined();
    expect(actions(record.Id)).toEqual(['start', 'die', 'destroy']);
  });

  it('is dropped when the start then fails: the start failure is what is recorded', async () => {
    const record = await created();
    runtime.onStart = (id) => {
      runtime.exit(id, 0);
      throw new Error('runc start failed');
    };
    await expect(startContainer(ctx, record.Id)).rejects.toThrow('runc start failed');
    // Let the queued exit run: it must find the run over and change nothing.
    await ctx.withLock(record.Id, async () => {});
    expect(record.State.Status).toBe('created');
    expect(record.State.Error).toBe('runc start failed');
    expect(actions(record.Id)).toEqual([]);
    expect(logged).toEqual([]);
    expect(released).toEqual([record.Id]);
  });
});

describe('stop and kill', () => {
  it('stop returns once the exit is applied, though the exit needs the lock stop signalled under', async () => {
    const record = await created();
    await startContainer(ctx, record.Id);
    // The process ends a moment after the signal, as a real one does.
    runtime.onKill = (id, signal) => setImmediate(() => runtime.exit(id, 128 + signal));
    await stopContainer(ctx, record.Id, {});
    expect(record.State.Status).toBe('exited');
    expect(record.State.ExitCode).toBe(143);
    expect(record.ManuallyStopped).toBe(true);
    expect(actions(record.Id)).toEqual(['start', 'kill', 'die', 'stop']);
  });

  it('stop escalates to SIGKILL when the stop signal is ignored', async () => {
    const record = await created();
    await startContainer(ctx, record.Id);
    runtime.onKill = (id, signal) => {
      if (signal === 9) setImmediate(() => runtime.exit(id, 137));
    };
    await stopContainer(ctx, record.Id, { timeout: 0 });
    expect(record.State.ExitCode).toBe(137);
    expect(runtime.calls.filter((c) => c.startsWith('kill'))).toEqual(['kill 15', 'kill 9']);
  });

  it('SIGKILL goes to the init alone in a PID namespace of its own, to every process in a shared one', async () => {
    runtime.onKill = (id, signal) => setImmediate(() => runtime.exit(id, 128 + signal));
    const own = await created();
    await startContainer(ctx, own.Id);
    await killContainer(ctx, own.Id);
    const shared = await created();
    shared.HostConfig.PidMode = 'host';
    await startContainer(ctx, shared.Id);
    await removeContainer(ctx, shared.Id, { force: true });
    expect(runtime.calls.filter((c) => c.startsWith('kill'))).toEqual(['kill 9', 'kill 9 --all']);
  });

  it('kill waits for a SIGKILL to take effect', async () => {
    const record = await created();
    await startContainer(ctx, record.Id);
    runtime.onKill = (id, signal) => setImmediate(() => runtime.exit(id, 128 + signal));
    await killContainer(ctx, record.Id);
    expect(record.State.Status).toBe('exited');
    expect(record.State.ExitCode).toBe(137);
  });

  it('rm -f of a running container applies its exit, then removes it', async () => {
    const record = await created();
    await startContainer(ctx, record.Id);
    runtime.onKill = (id, signal) => setImmediate(() => runtime.exit(id, 128 + signal));
    await removeContainer(ctx, record.Id, { force: true });
    expect(ctx.store.find(record.Id)).toBeUndefined();
    expect(actions(record.Id)).toEqual(['start', 'die', 'destroy']);
    expect(runtime.isRunning(record.Id)).toBe(false);
  });
});

describe('start', () => {
  it('lets the process run only after the attaches that were waiting have connected', async () => {
    const record = await created();
    let open = () => {};
    runtime.attachGate = new Promise((resolve) => (open = resolve));
    const plan = attachContainer(ctx, record.Id, false);
    const starting = startContainer(ctx, record.Id);
    await new Promise((resolve) => setImmediate(resolve));
    expect(runtime.calls).toEqual(['create', 'attach']);
    open();
    await starting;
    await plan.session;
    expect(runtime.calls).toEqual(['create', 'attach', 'attached', 'start']);
  });

  it('restarts an `always` container after an exit, through restarting', async () => {
    const record = await created({ restart: 'always' });
    const seen: string[] = [];
    events.subscribe((e) => seen.push(e.Action));
    await startContainer(ctx, record.Id);
    const restarted = new Promise<void>((resolve) => events.subscribe((e) => e.Action === 'restart' && resolve()));
    runtime.exit(record.Id, 1);
    await restarted;
    expect(record.State.Status).toBe('running');
    expect(record.RestartCount).toBe(1);
    expect(seen).toEqual(['start', 'die', 'start', 'restart']);
  });
});

describe('the state machine guards every move', () => {
  it('refuses an illegal move with an error instead of skipping it', async () => {
    const record = await created();
    await expect(recordPaused(ctx, record)).rejects.toThrow('cannot go from created to paused');
    await startContainer(ctx, record.Id);
    await expect(recordStarted(ctx, record, 1)).rejects.toThrow('cannot go from running to running');
    expect(record.State.Status).toBe('running');
  });

});
