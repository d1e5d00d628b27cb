// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, test, vi } from 'vitest';
import { DEFAULT_SETTINGS } from '../common/app-settings.ts';
import type { EngineStatus } from '../common/desktop-api.ts';
import { App } from './App.tsx';
import { inMemoryApi } from './components/testing/in-memory-api.ts';
import { giveElementsASize } from './components/testing/render-with-api.tsx';
import { useConnection } from './store/connection-store.ts';

// jsdom has no matchMedia; uPlot (the Stats tab's charts, imported through the routes) reads it
// when its module loads.
vi.hoisted(() => {
  window.matchMedia ??= ((query: string) => ({
    matches: false, media: query, onchange: null, addListener() {}, removeListener() {},
    addEventListener() {}, removeEventListener() {}, dispatchEvent: () => false,
  })) as typeof window.matchMedia;
});

const RUNNING: EngineStatus = {
  state: 'running', endpoint: 'unix:///run/berth/docker.sock', dockerHostLine: 'export DOCKER_HOST=unix:///run/berth/docker.sock', controllable: true,
  version: { Version: '0.1.0', ApiVersion: '1.47', Os: 'linux', Arch: 'amd64' },
};

function server(engine: EngineStatus, hostTerminal: boolean) {
  return inMemoryApi({
    calls: {
      capabilities: () => ({ hostTerminal, platform: 'linux', shell: 'dashboard' }),
      engineStatus: () => engine,
      engineControl: (action) => ({ ...engine, state: action === 'stop' ? 'stopped' : 'starting' }),
      listContainers: () => [],
      listImages: () => [],
      listNetworks: () => [],
      listVolumes: () => [],
      diskUsage: () => ({
        images: { count: 1, size: 2_000_000, reclaimable: 0 }, containers: { count: 0, size: 0, reclaimable: 0 },
        volumes: { count: 0, size: 0, reclaimable: 0 }, buildCache: { count: 0, size: 0, reclaimable: 0 },
      }),
      listEndpoints: () => ({ current: engine.endpoint, currentId: engine.endpoint, endpoints: [{ id: engine.endpoint, url: engine.endpoint, label: 'Berth', builtin: true }] }),
      appSettings: () => ({ settings: { ...DEFAULT_SETTINGS, theme: 'dark' }, applies: { startAtLogin: false, keepEngineRunningOnQuit: false, notifications: false, engineLocation: false } }),
    },
    streams: { events: () => undefined, engine: (_args, sink) => sink.next(engine), statsAll: () => undefined },
  });
}

beforeAll(() => giveElementsASize());
afterEach(() => {
  cleanup();
  window.location.hash = '';
  delete document.documentElement.dataset.theme;
  useConnection.setState({ lostReason: null });
});

describe('App shell', () => {
  test('the Main navigation links every view (Terminal only when offered, Settings and Troubleshoot last) and shows their shortcuts', async () => {
    render(<App api={server(RUNNING, false).api} />);
    const nav = screen.getByRole('navigation', { name: 'Main' });
    const names = within(nav).getAllByRole('link').map((link) => link.textContent?.replace(/Ctrl\+\d|⌘\d/, '').replace(/^\W+/, ''));
    expect(names).toEqual(['Containers', 'Compose', 'Images', 'Build', 'Volumes', 'Networks', 'Engine', 'Swarm', 'Settings', 'Troubleshoot']);
    expect(within(nav).getByRole('link', { name: /Images/ }).getAttribute('aria-keyshortcuts')).toBe('Control+2 Meta+2');
    // Compose takes the free 9 and Build has no digit left: the other views keep theirs.
    expect(within(nav).getByRole('link', { name: /Compose/ }).getAttribute('aria-keyshortcuts')).toBe('Control+9 Meta+9');
    expect(within(nav).getByRole('link', { name: /Build/ }).getAttribute('aria-keyshortcuts')).toBeNull();
    // Settings keeps Ctrl/Cmd+7 whether or not Terminal is there.
    expect(within(nav).getByRole('link', { name: /Settings/ }).getAttribute('aria-keyshortcuts')).toBe('Control+7 Meta+7');
    expect(within(nav).getByRole('link', { name: /Troubleshoot/ }).getAttribute('aria-keyshortcuts')).toBe('Control+8 Meta+8');
    expect(within(nav).getByRole('link', { name: /Compose/ }).getAttribute('aria-keyshortcuts')).toBe('Control+9 Meta+9');
    cleanup();
    render(<App api={server(RUNNING, true).api} />);
    expect(await within(screen.getByRole('navigation', { name: 'Main' })).findByRole('link', { name: /Terminal/ })).toBeTruthy();
  });

  test('Ctrl+number opens a view, and / focuses its search box unless the user is typing', async () => {
    render(<App api={server(RUNNING, false).api} />);
    await screen.findByText(/Run your first container/);
    fireEvent.keyDown(window, { key: '4', ctrlKey: true });
    await screen.findByRole('heading', { level: 1, name: 'Networks' });
    expect(window.location.hash).toBe('#/networks');
    fireEvent.keyDown(window, { key: '7', ctrlKey: true });
    await screen.findByRole('heading', { level: 1, name: 'Settings' });
    expect(window.location.hash).toBe('#/settings');
    fireEvent.keyDown(window, { key: '6', ctrlKey: true }); // no Terminal here: nothing happens
    expect(window.location.hash).toBe('#/settings');
    fireEvent.keyDown(window, { key: '1', metaKey: true });
    await screen.findByRole('heading', { level: 1, name: 'Containers' });
    const search = screen.getByRole('searchbox', { name: 'Search containers' });
    fireEvent.keyDown(document.body, { key: '/' });
    expect(document.activeElement).toBe(search);
    const state = screen.getByRole('combobox', { name: 'State filter' });
    state.focus();
    fireEvent.keyDown(state, { key: '/' });
    expect(document.activeElement).toBe(state);
  });

  test('a stopped engine shows a banner with Start engine, which asks the backend to start it', async () => {
    const stopped: EngineStatus = { ...RUNNING, state: 'stopped', version: undefined, message: 'berthd is not running' };
    const { api, calls } = server(stopped, false);
    render(<App api={api} />);
    const banner = await screen.findByText('The engine is stopped');
    expect(banner.closest('.banner')?.textContent).toContain('berthd is not running');
    fireEvent.click(screen.getByRole('button', { name: 'Start engine' }));
    await waitFor(() => expect(calls.find((c) => c.name === 'engineControl')?.args).toEqual(['start']));
    expect(await screen.findByText('The engine is starting…')).toBeTruthy();
  });

  test('the Engine view shows the state, version and DOCKER_HOST line in its status region', async () => {
    window.location.hash = '#/engine';
    render(<App api={server(RUNNING, false).api} />);
    const region = await screen.findByRole('region', { name: 'Engine status' });
    await waitFor(() => expect(region.textContent).toContain('Running'));
    expect(region.textContent).toContain('0.1.0');
    expect(region.textContent).toContain('export DOCKER_HOST=unix:///run/berth/docker.sock');
    expect(within(region).getByRole('button', { name: 'Copy DOCKER_HOST' })).toBeTruthy();
    expect((within(region).getByRole('button', { name: 'Start engine' }) as HTMLButtonElement).disabled).toBe(true);
    expect((within(region).getByRole('button', { name: 'Stop engine' }) as HTMLButtonElement).disabled).toBe(false);
    expect(await screen.findByRole('region', { name: 'Disk usage' })).toBeTruthy();
    expect(screen.getByRole('combobox', { name: 'Engine endpoint' })).toBeTruthy();
  });

  test('the persisted theme themes the whole app', async () => {
    render(<App api={server(RUNNING, false).api} />);
    await waitFor(() => expect(document.documentElement.dataset.theme).toBe('dark'));
  });

  test('a dropped backend connection shows a banner that says what to do', async () => {
    render(<App api={server(RUNNING, false).api} />);
    act(() => useConnection.getState().setLost('socket closed (1006)'));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Lost the connection to Berth');
    expect(within(alert).getByRole('button', { name: 'Reload' })).toBeTruthy();
  });
});
