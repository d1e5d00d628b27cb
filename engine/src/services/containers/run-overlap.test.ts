// The start and exit sequences run the steps that need nothing of each other side by side: the
// rootfs mount with the network set-up, and the runtime's clean-up with the network teardown and
// the unmounts (each a process: mount, netavark, runc). Each fake step lets the event loop turn
// once between its start and its end, so the log shows whether the other step began meanwhile.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ContainerStore } from '../../core/container-store.ts';
import type { ContainerRecord } from '../../core/container-types.ts';
import { MemoryEventBus } from '../../core/event-bus.ts';
import type { Snapshotter } from '../../core/interfaces.ts';
import type { ImageService } from '../images/image-service.ts';
import { ContainerContext, type ContainerNetworking, type ContainerPlatform } from './context.ts';
import { ZERO_TIME } from './lifecycle-state.ts';
import { startContainer } from './start-container.ts';
import { FakeRuntime } from './test-fake-runtime.ts';
import { waitContainer } from './wait-container.ts';

let dir: string;
let runtime: FakeRuntime;
let ctx: ContainerContext;
let mountFails: boolean;

/** Logs `<name> begin`, lets the loop turn, logs `<name> end`. */
async function step(name: string): Promise<void> {
  runtime.calls.push(`${name} begin`);
  await new Promise((resolve) => setImmediate(resolve));
  runtime.calls.push(`${name} end`);
}

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'berth-overlap-'));
  runtime = new FakeRuntime();
  mountFails = false;
  const store = new ContainerStore(join(dir, 'containers'));
  await store.load();
  const snapshotter = {
    mountContainer: async () => {
      await step('mount');
      if (mountFails) throw new Error('mount failed');
      return join(dir, 'rootfs');
    },
    unmountContainer: () => step('unmount'),
    removeContainer: async () => {},
  } as unknown as Snapshotter;
  const platform = {
    prepareStart: async (record: ContainerRecord) => ({ spec: {}, bundleDir: join(dir, 'bundles', record.Id) }),
    releaseStart: async () => {},
    logPath: (id: string) => join(dir, `${id}.log`),
  } as unknown as ContainerPlatform;
  ctx = new ContainerContext({ store, images: {} as ImageService, snapshotter, runtime, events: new MemoryEventBus(), platform });
  const networking: ContainerNetworking = {
    prepare: async () => {},
    connect: async () => {
      await step('connect');
      return { hostsEntries: [] };
    },
    disconnect: () => step('disconnect'),
    release: async () => {},
  };
  ctx.networking = networking;
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

async function created(autoRemove: boolean): Promise<ContainerRecord> {
  const record = {
    Id: 'b'.repeat(64),
    Name: '/overlap',
    Created: new Date().toISOString(),
    Path: 'true',
    Args: [],
    Image: 'sha256:x',
    ImageRef: 'x',
    Config: { Labels: {}, Image: 'x', Tty: false, OpenStdin: false, StdinOnce: false },
    HostConfig: { AutoRemove: autoRemove, RestartPolicy: { Name: 'no', MaximumRetryCount: 0 }, NetworkMode: 'bridge' },
    State: { Status: 'created', Pid: 0, ExitCode: 0, Error: '', StartedAt: ZERO_TIME, FinishedAt: ZERO_TIME, OOMKilled: false },
    RestartCount: 0,
    ManuallyStopped: false,
  } as unknown as ContainerRecord;
  await ctx.store.save(record);
  return record;
}

describe('side by side steps of a run', () => {
  it('start: the network set-up begins while the rootfs mount is still under way', async () => {
    const record = await created(false);
    await startContainer(ctx, record.Id);
    const calls = runtime.calls;
    expect(calls.indexOf('connect begin')).toBeLessThan(calls.indexOf('mount end'));
    expect(calls.indexOf('create')).toBeGreaterThan(Math.max(calls.indexOf('mount end'), calls.indexOf('connect end')));
  });

  it('start: a failed mount still waits for the network set-up before undoing it', async () => {
    const record = await created(false);
    mountFails = true;
    await expect(startContainer(ctx, record.Id)).rejects.toThrow('mount failed');
    const calls = runtime.calls;
    expect(calls.indexOf('connect end')).toBeLessThan(calls.indexOf('disconnect begin'));
    expect(calls).not.toContain('create');
  });

  it('exit of a --rm container: runc delete, network teardown and unmount overlap, and removal waits for all', async () => {
    const record = await created(true);
    const { result } = waitContainer(ctx, record.Id, 'removed');
    runtime.onStart = (id) => runtime.exit(id, 0);
    await startContainer(ctx, record.Id);
    expect(await result).toEqual({ StatusCode: 0, Error: null });
    const calls = runtime.calls;
    const exitAt = calls.indexOf('exit 0');
    const after = calls.slice(exitAt);
    expect(after.indexOf('delete')).toBeLessThan(after.indexOf('disconnect end'));
    expect(after.indexOf('unmount begin')).toBeLessThan(after.indexOf('disconnect end'));
    expect(ctx.store.find(record.Id)).toBeUndefined();
  });
});
