// The tray menu built from a real berthd's container list (one running with a published port,
// one exited), and rebuilt from its events through EngineWatch.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { until, useEngineWithBusybox } from '../../../engine/test/support/engine-fixture.ts';
import { createDesktopBackend } from '../backend/create-desktop-backend.ts';
import type { EngineStatus } from '../common/desktop-api.ts';
import { EngineWatch, type EngineSnapshot } from './engine-watch.ts';
import { buildTrayMenu, trayIconFile, type TrayItem } from './tray-menu.ts';

const fixture = useEngineWithBusybox();
const web = `tray-web-${process.pid}`;
const job = `tray-job-${process.pid}`;
let settingsDir: string;
let backend: ReturnType<typeof createDesktopBackend>;

const find = (items: TrayItem[], label: string) => {
  const item = items.find((i) => i.label === label);
  if (!item) throw new Error(`no "${label}" in ${JSON.stringify(items.map((i) => i.label))}`);
  return item;
};

beforeAll(async () => {
  settingsDir = mkdtempSync(join(tmpdir(), 'berth-tray-'));
  backend = createDesktopBackend({ settingsDir, endpoint: `unix://${fixture.engine.socket}`, hostTerminal: false, shell: 'electron' });
  const run = await fixture.engine.docker(['run', '-d', '--name', web, '-p', '127.0.0.1::80', fixture.busybox, 'sleep', '600']);
  expect(run.code, run.stderr).toBe(0);
  const exited = await fixture.engine.docker(['run', '--name', job, fixture.busybox, 'true']);
  expect(exited.code, exited.stderr).toBe(0);
});

afterAll(async () => {
  await fixture.engine?.docker(['rm', '-f', web, job]);
  await backend?.dispose();
  rmSync(settingsDir, { recursive: true, force: true });
});

describe('tray menu', () => {
  test('built from a live container list: status, engine controls, running and stopped containers with their actions', async () => {
    const status = await backend.calls.engineStatus();
    const containers = await backend.calls.listContainers();
    const webInfo = containers.find((c) => c.Names.includes(`/${web}`))!;
    const jobInfo = containers.find((c) => c.Names.includes(`/${job}`))!;
    const port = webInfo.Ports.find((p) => p.PrivatePort === 80)!.PublicPort!;
    expect(port).toBeGreaterThan(0);

    const menu = buildTrayMenu({ status, containers });
    expect(menu[0]).toEqual({ label: `Engine running (${status.version!.Version})`, enabled: false });
    // Not Berth's own engine here (no local engine control): the engine entries are disabled.
    expect(find(menu, 'Start Engine').enabled).toBe(false);
    expect(find(menu, 'Stop Engine').enabled).toBe(false);
    expect(find(menu, 'Running (1)').enabled).toBe(false);
    expect(find(menu, 'Stopped (1)').enabled).toBe(false);

    const running = find(menu, web).submenu!;
    expect(find(running, 'Stop').action).toEqual({ kind: 'container', id: webInfo.Id, verb: 'stop' });
    expect(find(running, 'Restart').action).toEqual({ kind: 'container', id: webInfo.Id, verb: 'restart' });
    expect(find(running, 'Open Logs').action).toEqual({ kind: 'show', route: `#/containers/${webInfo.Id}/logs` });
    expect(find(running, 'Open Terminal')).toMatchObject({ enabled: true, action: { kind: 'show', route: `#/containers/${webInfo.Id}/terminal` } });
    expect(find(running, `Open Port ${port} in Browser`).action).toEqual({ kind: 'open-url', url: `http://localhost:${port}/` });

    const stopped = find(menu, job).submenu!;
    expect(stopped.map((i) => i.label)).toEqual(['Start', 'Open Logs']);
    expect(find(stopped, 'Start').action).toEqual({ kind: 'container', id: jobInfo.Id, verb: 'start' });

    expect(find(menu, 'Open Dashboard').action).toEqual({ kind: 'show', route: '#/containers' });
    expect(find(menu, 'Settings…').action).toEqual({ kind: 'show', route: '#/settings' });
    expect(menu[menu.length - 1]).toEqual({ label: 'Quit Berth', action: { kind: 'quit' } });
  });

  test('engine controls follow the state of an engine Berth controls; containers show only while it runs', () => {
    const base: EngineStatus = { state: 'stopped', endpoint: 'unix:///run/berth/docker.sock', dockerHostLine: '', controllable: true };
    const stopped = buildTrayMenu({ status: base, containers: [] });
    expect(stopped.map((i) => i.label).filter(Boolean)).toEqual(['Engine stopped', 'Start Engine', 'Stop Engine', 'Restart Engine', 'Open Dashboard', 'Settings…', 'Quit Berth']);
    expect(find(stopped, 'Start Engine')).toEqual({ label: 'Start Engine', enabled: true, action: { kind: 'engine', verb: 'start' } });
    expect(find(stopped, 'Stop Engine').enabled).toBe(false);
    const starting = buildTrayMenu({ status: { ...base, state: 'starting' }, containers: [] });
    expect(starting.filter((i) => i.action?.kind === 'engine').every((i) => i.enabled === false)).toBe(true);
    const running = buildTrayMenu({ status: { ...base, state: 'running' }, containers: [] });
    expect(find(running, 'Stop Engine').enabled).toBe(true);
    expect(find(running, 'Restart Engine').enabled).toBe(true);
    expect(find(running, 'No containers').enabled).toBe(false);
  });

  test('with the VM as the engine: its state, "Starting VM…" with the boot stage in words, its resources, and VM controls', () => {
    const vm: EngineStatus = {
      state: 'starting', endpoint: 'unix:///home/u/.berth/run/docker.sock', dockerHostLine: '', controllable: true, kind: 'vm',
      vm: { state: 'starting', home: '/home/u/.berth', stage: 'data', stageText: 'data disk ready, starting the engine' },
    };
    const starting = buildTrayMenu({ status: vm, containers: [] });
    expect(starting[0]).toEqual({ label: 'Starting VM… (data disk ready, starting the engine)', enabled: false });
    expect(starting.filter((i) => i.action?.kind === 'engine').map((i) => [i.label, i.enabled])).toEqual([['Start VM', false], ['Stop VM', false], ['Restart VM', false]]);
    // Before the guest's first marker the words still say what is happening.
    expect(buildTrayMenu({ status: { ...vm, vm: { state: 'starting', home: '/h', stageText: 'booting the kernel' } }, containers: [] })[0].label)
      .toBe('Starting VM… (booting the kernel)');
    const running = buildTrayMenu({
      status: { ...vm, state: 'running', vm: { state: 'running', home: '/h', accel: 'tcg', cpus: 1, memoryMiB: 1024 } },
      containers: [],
    });
    expect(running.slice(0, 2).map((i) => i.label)).toEqual(['VM running', '1 CPU, 1.0 GiB, accel tcg']);
    expect(find(running, 'Stop VM')).toEqual({ label: 'Stop VM', enabled: true, action: { kind: 'engine', verb: 'stop' } });
    expect(find(running, 'Restart VM').enabled).toBe(true);
    const stopped = buildTrayMenu({ status: { ...vm, state: 'stopped', vm: { state: 'stopped', home: '/h' } }, containers: [] });
    expect(stopped[0].label).toBe('VM stopped');
    expect(find(stopped, 'Start VM').enabled).toBe(true);
    expect(buildTrayMenu({ status: { ...vm, state: 'error', message: 'QEMU is not running' }, containers: [] })[0].label).toBe('VM error: QEMU is not running');
  });

  test('published ports of the VM the host could not take: one line saying how many, not clickable', () => {
    const status: EngineStatus = {
      state: 'running', endpoint: 'unix:///h/run/docker.sock', dockerHostLine: '', controllable: true, kind: 'vm',
      vm: { state: 'running', home: '/h', cpus: 1, memoryMiB: 1024, portProblems: ['host port 127.0.0.1:8080/tcp (container web) is already in use…', 'another'] },
    };
    expect(find(buildTrayMenu({ status, containers: [] }), '2 published ports not reachable on this computer').enabled).toBe(false);
    const one = { ...status, vm: { ...status.vm!, portProblems: ['one'] } };
    expect(find(buildTrayMenu({ status: one, containers: [] }), '1 published port not reachable on this computer').enabled).toBe(false);
  });

  test('the icon shows the engine state (template images on macOS)', () => {
    expect(trayIconFile('running', 'linux')).toBe('running.png');
    expect(trayIconFile('stopping', 'win32')).toBe('starting.png');
    expect(trayIconFile('error', 'darwin')).toBe('errorTemplate.png');
    expect(trayIconFile(undefined, 'linux')).toBe('starting.png');
    expect(trayIconFile('stopped', 'linux')).toBe('stopped.png');
  });

  test('EngineWatch rebuilds the snapshot from engine events: a stop moves the container to Stopped', async () => {
    const snapshots: EngineSnapshot[] = [];
    const watch = new EngineWatch({ backend, onSnapshot: (s) => snapshots.push(s), debounceMs: 100 });
    try {
      await watch.start();
      const running = (s: EngineSnapshot) => s.containers.some((c) => c.Names.includes(`/${web}`) && c.State === 'running');
      await until(async () => snapshots.some(running), 10_000);
      expect(watch.current.status?.state).toBe('running');
      const port = watch.current.containers.find((c) => c.Names.includes(`/${web}`))!.Ports[0].PublicPort!;
      expect(watch.publishedPorts.has(port)).toBe(true);

      const seen = snapshots.length;
      const stop = await fixture.engine.docker(['stop', '-t', '0', web]);
      expect(stop.code, stop.stderr).toBe(0);
      await until(async () => snapshots.slice(seen).some((s) => s.containers.some((c) => c.Names.includes(`/${web}`) && c.State === 'exited')), 10_000);
      const menu = buildTrayMenu(watch.current);
      expect(find(menu, 'Stopped (2)').enabled).toBe(false);
      expect(find(find(menu, web).submenu!, 'Start').action).toMatchObject({ kind: 'container', verb: 'start' });
      expect(watch.publishedPorts.has(port)).toBe(false);
    } finally {
      watch.close();
    }
  });
});
