// @vitest-environment jsdom
// The Engine view with the Berth VM as the engine: its region shows the VM's facts, the controls
// are named for the VM, and Reset VM… asks first (Cancel sends nothing; confirming sends 'reset').
// The sidebar says "Starting VM… (<stage>)" while it boots.
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, test } from 'vitest';
import type { EngineStatus } from '../../../common/desktop-api.ts';
import { AppNav } from '../../components/app-nav.tsx';
import { StatusBanner } from '../../components/status-banner.tsx';
import { inMemoryApi } from '../../components/testing/in-memory-api.ts';
import { renderWithApi } from '../../components/testing/render-with-api.tsx';
import { EngineView } from './engine-view.tsx';

const VM_RUNNING: EngineStatus = {
  state: 'running', endpoint: 'unix:///home/u/.berth/run/docker.sock', dockerHostLine: 'export DOCKER_HOST=unix:///home/u/.berth/run/docker.sock',
  controllable: true, kind: 'vm', version: { Version: '0.1.0', ApiVersion: '1.47', Os: 'linux', Arch: 'amd64' },
  vm: {
    state: 'running', home: '/home/u/.berth', accel: 'tcg', accelWhy: 'default on Linux', cpus: 1, memoryMiB: 1024,
    diskUsedBytes: 300_000_000, diskSizeBytes: 4 * 1024 ** 3, uptimeSeconds: 75,
  },
};

function server(engine: EngineStatus) {
  return inMemoryApi({
    calls: {
      engineStatus: () => engine,
      engineControl: (action) => ({ ...engine, state: action === 'start' ? 'running' : 'stopped' }),
      diskUsage: () => ({
        images: { count: 0, size: 0, reclaimable: 0 }, containers: { count: 0, size: 0, reclaimable: 0 },
        volumes: { count: 0, size: 0, reclaimable: 0 }, buildCache: { count: 0, size: 0, reclaimable: 0 },
      }),
      listEndpoints: () => ({ current: engine.endpoint, currentId: engine.endpoint, endpoints: [{ id: engine.endpoint, url: engine.endpoint, label: "Berth's engine", builtin: true }] }),
    },
    streams: { engine: (_args, sink) => sink.next(engine) },
  });
}

afterEach(cleanup);

describe('Engine view with the Berth VM', () => {
  test('the Virtual machine region shows state, accelerator, CPUs, memory, disk use and uptime', async () => {
    renderWithApi(server(VM_RUNNING).api, <EngineView />);
    const vm = await screen.findByRole('region', { name: 'Virtual machine' });
    const text = vm.textContent ?? '';
    expect(text).toContain('VM stateRunning');
    expect(text).toContain('Acceleratortcg (default on Linux)');
    expect(text).toContain('CPUs1');
    expect(text).toContain('Memory1024 MiB');
    expect(text).toContain('Disk300 MB used of 4.0 GiB');
    expect(text).toContain('Uptime1 min 15 s');
    const status = screen.getByRole('region', { name: 'Engine status' });
    expect(within(status).getByRole('button', { name: 'Stop VM' })).toBeTruthy();
    expect(within(status).getByRole('button', { name: 'Restart VM' })).toBeTruthy();
    expect((within(status).getByRole('button', { name: 'Start VM' }) as HTMLButtonElement).disabled).toBe(true);
  });

  test('Reset VM… asks first: Cancel sends nothing, Reset VM sends reset', async () => {
    const s = server(VM_RUNNING);
    renderWithApi(s.api, <EngineView />);
    fireEvent.click(await screen.findByRole('button', { name: 'Reset VM…' }));
    const dialog = screen.getByRole('dialog', { name: 'Reset the Berth VM?' });
    expect(dialog.textContent).toMatch(/every image, container and volume in it is gone/);
    fireEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(s.calls.some((c) => c.name === 'engineControl')).toBe(false);
    fireEvent.click(screen.getByRole('button', { name: 'Reset VM…' }));
    fireEvent.click(within(screen.getByRole('dialog', { name: 'Reset the Berth VM?' })).getByRole('button', { name: 'Reset VM' }));
    await waitFor(() => expect(s.calls.filter((c) => c.name === 'engineControl').map((c) => c.args)).toEqual([['reset']]));
  });

  test('while it boots, the sidebar and the banner say "Starting VM…" with the stage in words', async () => {
    const booting: EngineStatus = {
      ...VM_RUNNING, state: 'starting', version: undefined,
      vm: { state: 'starting', home: '/home/u/.berth', stage: 'system', stageText: 'system image mounted, setting up the guest' },
    };
    renderWithApi(server(booting).api, <><AppNav targets={[]} engine={booting} /><StatusBanner engine={booting} offerStart /></>);
    expect(screen.getByRole('complementary').textContent).toContain('Starting VM… (system image mounted, setting up the guest)');
    expect(screen.getByRole('status').textContent).toContain('Starting VM… (system image mounted, setting up the guest)');
  });
});
