// @vitest-environment jsdom
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, test } from 'vitest';
import { applySettingsChange, DEFAULT_SETTINGS } from '../../../common/app-settings.ts';
import type { AppSettings, AppSettingsApplies } from '../../../common/desktop-api.ts';
import { useTheme } from '../../components/use-theme.ts';
import { engineError, inMemoryApi } from '../../components/testing/in-memory-api.ts';
import { renderWithApi } from '../../components/testing/render-with-api.tsx';
import { SettingsView } from './settings-view.tsx';

const DASHBOARD: AppSettingsApplies = { startAtLogin: false, keepEngineRunningOnQuit: false, notifications: false, engineLocation: false };
const ELECTRON: AppSettingsApplies = { startAtLogin: true, keepEngineRunningOnQuit: true, notifications: true, engineLocation: true };

/** A server that keeps settings as the backend does (the shared validation), refusing what it refuses. */
function settingsServer(applies: AppSettingsApplies, initial: AppSettings = DEFAULT_SETTINGS, platform = 'linux') {
  let settings = structuredClone(initial);
  const shell = applies === DASHBOARD ? 'dashboard' : 'electron';
  const server = inMemoryApi({
    calls: {
      capabilities: () => ({ hostTerminal: false, platform, shell }),
      appSettings: () => ({ settings, applies }),
      updateAppSettings: (change) => {
        const next = applySettingsChange(settings, change);
        if ('problem' in next) throw engineError(next.problem, 400);
        if (typeof change.engineEndpoint === 'string' && !/:\d+$|^unix:/.test(change.engineEndpoint)) {
          throw engineError(`engineEndpoint: engine endpoint "${change.engineEndpoint}" needs a host and a port`, 400);
        }
        // As the backend checks VM resources against its host (here: a 2-CPU host).
        if ((change.vmCpus ?? 0) > 2) throw engineError(`CPUs ${change.vmCpus}: this host has only 2 CPUs`, 400);
        // As the backend checks that a shared folder exists (here only /srv/* does).
        const missing = change.vmShares?.find((path) => !path.startsWith('/srv/'));
        if (missing) throw engineError(`Shared folders: ${missing}: no such folder`, 400);
        settings = next.settings;
        return settings;
      },
    },
  });
  return { ...server, current: () => settings };
}

function ThemedSettings() {
  useTheme();
  return <SettingsView />;
}

afterEach(() => {
  cleanup();
  delete document.documentElement.dataset.theme;
});

describe('Settings view', () => {
  test('the theme is a radio group; choosing Dark saves it, says so, and themes the page', async () => {
    const server = settingsServer(ELECTRON);
    renderWithApi(server.api, <ThemedSettings />);
    expect(screen.getByRole('heading', { level: 1, name: 'Settings' })).toBeTruthy();
    const theme = await screen.findByRole('radiogroup', { name: 'Theme' });
    expect((within(theme).getByRole('radio', { name: 'System' }) as HTMLInputElement).checked).toBe(true);
    fireEvent.click(within(theme).getByRole('radio', { name: 'Dark' }));
    expect((await screen.findByRole('status')).textContent).toMatch(/Settings saved[\s\S]*Theme: Dark/);
    expect(server.current().theme).toBe('dark');
    expect((within(theme).getByRole('radio', { name: 'Dark' }) as HTMLInputElement).checked).toBe(true);
    await waitFor(() => expect(document.documentElement.dataset.theme).toBe('dark'));
    fireEvent.click(within(theme).getByRole('radio', { name: 'System' }));
    // System resolves through prefers-color-scheme; jsdom has no matchMedia, so it reads as light.
    await waitFor(() => expect(document.documentElement.dataset.theme).toBe('light'));
  });

  test('in the dashboard the desktop-only checkboxes are disabled with a visible note', async () => {
    renderWithApi(settingsServer(DASHBOARD).api, <SettingsView />);
    for (const name of ['Start at login', 'Keep engine running on quit', 'Container failed', 'Container unhealthy']) {
      const box = await screen.findByRole('checkbox', { name });
      expect((box as HTMLInputElement).disabled, name).toBe(true);
      expect(box.getAttribute('aria-describedby'), name).toBeTruthy();
      expect(document.getElementById(box.getAttribute('aria-describedby')!)?.textContent, name).toBe('Applies in the desktop app only.');
    }
    expect((screen.getByRole('radio', { name: 'Dark' }) as HTMLInputElement).disabled).toBe(false);
    expect((screen.getByRole('textbox', { name: 'Engine endpoint at launch' }) as HTMLInputElement).disabled).toBe(false);
  });

  test('in Electron every checkbox saves per change, notifications one at a time', async () => {
    const server = settingsServer(ELECTRON);
    renderWithApi(server.api, <SettingsView />);
    const keep = await screen.findByRole('checkbox', { name: 'Keep engine running on quit' }) as HTMLInputElement;
    fireEvent.click(keep);
    expect(keep.checked).toBe(true); // at once, before the backend answers
    await waitFor(() => expect(server.current().keepEngineRunningOnQuit).toBe(true));
    fireEvent.click(screen.getByRole('checkbox', { name: 'Container unhealthy' }));
    await waitFor(() => expect(server.current().notifications).toEqual({ containerFailed: true, containerUnhealthy: false }));
    expect(server.calls.filter((c) => c.name === 'updateAppSettings').map((c) => c.args[0]))
      .toEqual([{ keepEngineRunningOnQuit: true }, { notifications: { containerUnhealthy: false } }]);
    expect(screen.queryByText('Applies in the desktop app only.')).toBeNull();
    expect(screen.queryByText(/Not available/)).toBeNull();
    expect((screen.getByRole('checkbox', { name: 'Container unhealthy' }) as HTMLInputElement).checked).toBe(false);
  });

  test('in Electron, a setting this system lacks (a login item on Linux) is disabled with a note that says so', async () => {
    renderWithApi(settingsServer({ ...ELECTRON, startAtLogin: false }).api, <SettingsView />);
    const box = await screen.findByRole('checkbox', { name: 'Start at login' });
    expect((box as HTMLInputElement).disabled).toBe(true);
    await waitFor(() => expect(document.getElementById(box.getAttribute('aria-describedby')!)?.textContent).toMatch(/Not available in this copy of the app/));
    expect((screen.getByRole('checkbox', { name: 'Keep engine running on quit' }) as HTMLInputElement).disabled).toBe(false);
  });

  test('a refused endpoint shows the backend\'s reason as an alert, keeps the saved value and the typed text; empty saves "last chosen"', async () => {
    const server = settingsServer(ELECTRON, { ...DEFAULT_SETTINGS, engineEndpoint: 'unix:///run/berth/docker.sock' });
    renderWithApi(server.api, <SettingsView />);
    const endpoint = await screen.findByRole('textbox', { name: 'Engine endpoint at launch' }) as HTMLInputElement;
    expect(endpoint.value).toBe('unix:///run/berth/docker.sock');
    fireEvent.change(endpoint, { target: { value: 'tcp://nowhere' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save endpoint' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Could not save Engine endpoint at launch');
    expect(alert.textContent).toContain('needs a host and a port');
    expect(server.current().engineEndpoint).toBe('unix:///run/berth/docker.sock');
    expect(endpoint.value).toBe('tcp://nowhere');
    fireEvent.change(endpoint, { target: { value: '  ' } });
    fireEvent.submit(endpoint.form!);
    await waitFor(() => expect(server.current().engineEndpoint).toBeNull());
  });

  test('a failed save of a checkbox puts it back and says why', async () => {
    const { api } = inMemoryApi({
      calls: {
        appSettings: () => ({ settings: DEFAULT_SETTINGS, applies: ELECTRON }),
        updateAppSettings: () => { throw engineError('EACCES: permission denied, open settings.json', 500); },
      },
    });
    renderWithApi(api, <SettingsView />);
    const box = await screen.findByRole('checkbox', { name: 'Start at login' }) as HTMLInputElement;
    fireEvent.click(box);
    expect((await screen.findByRole('alert')).textContent).toContain('permission denied');
    expect(box.checked).toBe(false);
  });

  test('Virtual machine: more CPUs than the host has is refused under the fields and nothing is saved; good values save, empty means the default', async () => {
    const server = settingsServer(ELECTRON);
    renderWithApi(server.api, <SettingsView />);
    const vm = await screen.findByRole('form', { name: 'Virtual machine' });
    const cpus = within(vm).getByRole('textbox', { name: 'CPUs' }) as HTMLInputElement;
    const memory = within(vm).getByRole('textbox', { name: 'Memory (MiB)' }) as HTMLInputElement;
    expect(within(vm).getByText(/apply at the VM’s next start or restart/)).toBeTruthy();
    fireEvent.change(cpus, { target: { value: '99' } });
    fireEvent.click(within(vm).getByRole('button', { name: 'Save VM settings' }));
    expect((await within(vm).findByRole('alert')).textContent).toBe('CPUs 99: this host has only 2 CPUs');
    expect(server.current().vmCpus).toBeNull();
    expect(cpus.value).toBe('99'); // kept to be fixed

    fireEvent.change(cpus, { target: { value: 'two' } });
    fireEvent.click(within(vm).getByRole('button', { name: 'Save VM settings' }));
    expect((await within(vm).findByRole('alert')).textContent).toMatch(/CPUs: "two" is not a whole number/);
    const sent = server.calls.filter((c) => c.name === 'updateAppSettings').length;

    fireEvent.change(cpus, { target: { value: '1' } });
    fireEvent.change(memory, { target: { value: '1024' } });
    fireEvent.click(within(vm).getByRole('button', { name: 'Save VM settings' }));
    await waitFor(() => expect(server.current()).toMatchObject({ vmCpus: 1, vmMemoryMiB: 1024, vmDiskGiB: null }));
    expect(server.calls.filter((c) => c.name === 'updateAppSettings').slice(sent).map((c) => c.args[0])).toEqual([{ vmCpus: 1, vmMemoryMiB: 1024 }]);
    expect(within(vm).queryByRole('alert')).toBeNull();
    fireEvent.change(memory, { target: { value: '' } });
    fireEvent.click(within(vm).getByRole('button', { name: 'Save VM settings' }));
    await waitFor(() => expect(server.current().vmMemoryMiB).toBeNull());
  });

  test('Engine location is offered on Linux (saved at once, read at the next launch), disabled in the dashboard, absent elsewhere', async () => {
    const server = settingsServer(ELECTRON);
    const first = renderWithApi(server.api, <SettingsView />);
    const location = await screen.findByRole('radiogroup', { name: 'Engine location' });
    expect((within(location).getByRole('radio', { name: 'Automatic' }) as HTMLInputElement).checked).toBe(true);
    fireEvent.click(within(location).getByRole('radio', { name: 'Virtual machine' }));
    await waitFor(() => expect(server.current().engineLocation).toBe('vm'));
    expect(within(location).getByText(/Takes effect at the next launch/)).toBeTruthy();
    first.unmount();

    const dashboard = renderWithApi(settingsServer(DASHBOARD).api, <SettingsView />);
    const disabled = await screen.findByRole('radiogroup', { name: 'Engine location' });
    expect(within(disabled).getAllByRole('radio').every((r) => (r as HTMLInputElement).disabled)).toBe(true);
    expect(within(disabled).getByText(/Applies in the desktop app only/)).toBeTruthy();
    dashboard.unmount();

    renderWithApi(settingsServer(ELECTRON, DEFAULT_SETTINGS, 'darwin').api, <SettingsView />);
    await screen.findByRole('form', { name: 'Virtual machine' });
    await waitFor(() => expect(screen.queryByRole('radiogroup', { name: 'Engine location' })).toBeNull());
  });

  test('Shared folders: add an existing folder, refused ones say why under the field, remove one; the note says when it applies', async () => {
    const server = settingsServer(ELECTRON);
    renderWithApi(server.api, <SettingsView />);
    const form = await screen.findByRole('form', { name: 'Shared folders' });
    expect(within(form).getByText(/apply at the VM’s next start or restart/)).toBeTruthy();
    expect(within(form).getByText('Your home folder (always shared)')).toBeTruthy();
    const input = within(form).getByRole('textbox', { name: 'Folder to share' }) as HTMLInputElement;
    const add = within(form).getByRole('button', { name: 'Add folder' });
    fireEvent.change(input, { target: { value: 'projects' } });
    fireEvent.click(add);
    expect((await within(form).findByRole('alert')).textContent).toMatch(/"projects" is not an absolute path/);
    expect(server.current().vmShares).toEqual([]);
    fireEvent.change(input, { target: { value: '/nowhere' } });
    fireEvent.click(add);
    expect((await within(form).findByRole('alert')).textContent).toBe('Shared folders: /nowhere: no such folder');
    expect(server.current().vmShares).toEqual([]);
    fireEvent.change(input, { target: { value: '/srv/one' } });
    fireEvent.click(add);
    await waitFor(() => expect(server.current().vmShares).toEqual(['/srv/one']));
    fireEvent.change(input, { target: { value: '/srv/two' } });
    fireEvent.click(add);
    await waitFor(() => expect(server.current().vmShares).toEqual(['/srv/one', '/srv/two']));
    fireEvent.click(await within(form).findByRole('button', { name: 'Remove /srv/one' }));
    await waitFor(() => expect(server.current().vmShares).toEqual(['/srv/two']));
    await waitFor(() => expect(within(form).queryByRole('button', { name: 'Remove /srv/one' })).toBeNull());
    expect(within(form).getByText('/srv/two')).toBeTruthy();
  });
});
