// The VM engine behind the backend, as the app uses it: the real amd64 guest booted under TCG into
// an isolated home (one boot for the file), watched through the backend's `engine` stream. Proves
// the guest's stage markers for real (all of them, in order, on the console), that the UI's status
// carries "starting" with the stage in words while it boots, the VM's facts once it runs, a clean
// stop, and reset wiping the data disk. afterAll kills every QEMU and forwarder of the home.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureImages } from '../../../../vm-assets/test/qemu-guest.ts';
import type { EngineStatus } from '../../common/desktop-api.ts';
import { createDesktopBackend } from '../create-desktop-backend.ts';
import { CollectingSink } from '../testing/collecting-sink.ts';
import { killVmProcessesOfHome, vmProcessesOfHome } from '../testing/vm-home-cleanup.ts';
import { BOOT_STAGES } from '../vm/boot-stages.ts';
import { vmHome } from '../vm/vm-home.ts';
import { EngineSupervisor } from './engine-supervisor.ts';
import { VmEngine } from './vm-engine.ts';

const BOOT = 6 * 60_000;
const root = mkdtempSync(join(process.env.BERTH_TEST_TMP ?? tmpdir(), 'berth-vm-engine-'));
const home = vmHome(join(root, 'home'));
const engine = new VmEngine({ home, resources: () => ({ cpus: '1', memory: '1G', disk: '4G' }) });
const backend = createDesktopBackend({ settingsDir: join(root, 'settings'), localEngine: engine, hostTerminal: false, shell: 'electron' });
const statuses = new CollectingSink<EngineStatus>();
let closeStream: (() => void) | undefined;

beforeAll(async () => {
  await ensureImages(['amd64']);
  closeStream = (await backend.streams.engine([], statuses)).close;
}, 10 * 60_000);

afterAll(async () => {
  closeStream?.();
  await backend.dispose();
  await killVmProcessesOfHome(root);
  rmSync(root, { recursive: true, force: true });
}, 60_000);

describe('VM engine (amd64 under TCG)', () => {
  it('stopped at first: the status says so, with the VM\'s home and the resources the next start will use', async () => {
    const status = await statuses.waitFor((s) => s.state === 'stopped');
    expect(status).toMatchObject({ kind: 'vm', controllable: true, endpoint: `unix://${home.dockerSocket}` });
    expect(status.message).toMatch(/The Berth VM is not running/);
    expect(status.vm).toMatchObject({ state: 'stopped', home: home.dir, cpus: 1, memoryMiB: 1024, diskSizeBytes: 4 * 1024 ** 3 });
  });

  it('start boots it: "starting" with boot stages in words on the way, then the VM\'s facts; the guest printed every stage in order', async () => {
    const startedAt = Date.now();
    const running = await backend.calls.engineControl('start');
    const secondsSinceStart = Math.ceil((Date.now() - startedAt) / 1000);
    expect(running.state).toBe('running');
    expect(engine.startedByUs).toBe(true);
    expect(running.vm).toMatchObject({ state: 'running', home: home.dir, accel: 'tcg', cpus: 1, memoryMiB: 1024, diskSizeBytes: 4 * 1024 ** 3 });
    expect(running.vm!.accelWhy).toBeTruthy();
    expect(running.vm!.diskUsedBytes).toBeGreaterThan(0);
    // This boot's uptime: a number no larger than the time the start took (not a stale or absent one).
    expect(running.vm!.uptimeSeconds).toBeTypeOf('number');
    expect(running.vm!.uptimeSeconds).toBeLessThanOrEqual(secondsSinceStart);
    expect(running.vm!.stage).toBeUndefined();

    // The guest's markers, all of them, in order (a fresh disk: data-format too).
    const consoleText = readFileSync(home.serialLog, 'latin1');
    const markers = [...consoleText.matchAll(/berth-stage: ([a-z-]+)/g)].map((m) => m[1]);
    expect(markers).toEqual([...BOOT_STAGES]);

    // What the UI saw while it booted: "starting", each time with words, stages only ever moving on.
    const starting = statuses.items.filter((s) => s.state === 'starting');
    expect(starting.length).toBeGreaterThan(0);
    for (const s of starting) expect(s.vm?.stageText, JSON.stringify(s.vm)).toBeTruthy();
    const seen = starting.map((s) => s.vm?.stage).filter((stage): stage is string => stage !== undefined);
    expect(seen.length, 'at least one stage was reported during the boot').toBeGreaterThan(0);
    const order = seen.map((stage) => BOOT_STAGES.indexOf(stage as (typeof BOOT_STAGES)[number]));
    expect(order.every((index) => index >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  }, BOOT);

  it('stop powers it off: no QEMU or forwarder of the home left, the disk stays', async () => {
    const stopped = await backend.calls.engineControl('stop');
    expect(stopped.state).toBe('stopped');
    expect(stopped.vm?.state).toBe('stopped');
    expect(engine.startedByUs).toBe(false);
    expect(vmProcessesOfHome(root)).toEqual([]);
    expect(existsSync(home.dockerSocket)).toBe(false);
    expect(existsSync(home.diskQcow2)).toBe(true);
  }, 3 * 60_000);

  it('reset deletes the data disk (the next start makes a fresh one); only the VM can be reset', async () => {
    const reset = await backend.calls.engineControl('reset');
    expect(reset.state).toBe('stopped');
    expect(existsSync(home.diskQcow2)).toBe(false);
    expect(reset.vm?.diskUsedBytes).toBeUndefined();

    const local = createDesktopBackend({
      settingsDir: join(root, 'local-settings'), hostTerminal: false, shell: 'electron',
      localEngine: new EngineSupervisor({ socketPath: join(root, 'no-engine.sock') }),
    });
    try {
      await expect(local.calls.engineControl('reset')).rejects.toMatchObject({ statusCode: 409, message: expect.stringMatching(/Only the Berth VM can be reset/) });
    } finally {
      await local.dispose();
    }
  }, 3 * 60_000);
});
