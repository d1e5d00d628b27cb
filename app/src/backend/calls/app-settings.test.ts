// The app's settings as `berth dashboard` keeps them (no Electron provider): a real settings.json
// in the backend's settings directory, validated changes, and nothing written on a refused one.
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, test } from 'vitest';
import { DEFAULT_SETTINGS } from '../../common/app-settings.ts';
import { createDesktopBackend } from '../create-desktop-backend.ts';

const root = mkdtempSync(join(tmpdir(), 'berth-app-settings-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

let dir: string;
let backends: ReturnType<typeof createDesktopBackend>[] = [];
/** A dashboard-mode backend on `dir`; no engine is needed for settings (the socket does not exist). */
function dashboardBackend(options: { endpoint?: string } = {}) {
  const backend = createDesktopBackend({ settingsDir: dir, hostTerminal: false, shell: 'dashboard', ...options });
  backends.push(backend);
  return backend;
}
const file = () => join(dir, 'settings.json');
const onDisk = () => JSON.parse(readFileSync(file(), 'utf8')) as unknown;

beforeEach(() => {
  dir = mkdtempSync(join(root, 'dir-'));
});
afterEach(async () => {
  await Promise.all(backends.map((b) => b.dispose()));
  backends = [];
});

async function refusal(promise: Promise<unknown>): Promise<{ statusCode?: number; message: string }> {
  try {
    await promise;
  } catch (error) {
    return error as { statusCode?: number; message: string };
  }
  throw new Error('expected the call to be refused');
}

describe('app settings in the dashboard', () => {
  test('start from the defaults, and say that only theme and endpoint apply here', async () => {
    const { calls } = dashboardBackend({ endpoint: `unix://${join(dir, 'none.sock')}` });
    expect(await calls.appSettings()).toEqual({
      settings: DEFAULT_SETTINGS,
      applies: { startAtLogin: false, keepEngineRunningOnQuit: false, notifications: false, engineLocation: false },
    });
  });

  test('a change is written to settings.json, keeps the rest, and a new backend reads it back', async () => {
    const { calls } = dashboardBackend({ endpoint: `unix://${join(dir, 'none.sock')}` });
    expect(await calls.updateAppSettings({ theme: 'dark' })).toEqual({ ...DEFAULT_SETTINGS, theme: 'dark' });
    expect(await calls.updateAppSettings({ notifications: { containerUnhealthy: false } })).toEqual({
      ...DEFAULT_SETTINGS, theme: 'dark', notifications: { containerFailed: true, containerUnhealthy: false },
    });
    expect(onDisk()).toEqual({ ...DEFAULT_SETTINGS, theme: 'dark', notifications: { containerFailed: true, containerUnhealthy: false } });
    const again = dashboardBackend({ endpoint: `unix://${join(dir, 'none.sock')}` });
    expect((await again.calls.appSettings()).settings.theme).toBe('dark');
    expect(readdirSync(dir).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  test('the launch endpoint is stored in canonical form and is where the next backend connects', async () => {
    const { calls } = dashboardBackend({ endpoint: `unix://${join(dir, 'none.sock')}` });
    const saved = await calls.updateAppSettings({ engineEndpoint: 'tcp://LOCALHOST:2399' });
    expect(saved.engineEndpoint).toBe('tcp://localhost:2399');
    const next = dashboardBackend();
    expect((await next.calls.listEndpoints()).current).toBe('tcp://localhost:2399');
    // Back to "the one last chosen": null clears it.
    expect((await calls.updateAppSettings({ engineEndpoint: null })).engineEndpoint).toBeNull();
    expect((onDisk() as { engineEndpoint: unknown }).engineEndpoint).toBeNull();
  });

  test('a wrong type or value is a 400 naming the field, and nothing is written', async () => {
    const { calls } = dashboardBackend({ endpoint: `unix://${join(dir, 'none.sock')}` });
    await calls.updateAppSettings({ theme: 'light' });
    const before = readFileSync(file(), 'utf8');
    const mtime = statSync(file()).mtimeMs;
    const wrong: [unknown, RegExp][] = [
      [{ theme: 'neon' }, /theme must be one of system, light, dark/],
      [{ startAtLogin: 'yes' }, /startAtLogin must be true or false/],
      [{ keepEngineRunningOnQuit: 1 }, /keepEngineRunningOnQuit must be true or false/],
      [{ notifications: { containerFailed: 'no' } }, /notifications\.containerFailed must be true or false/],
      [{ notifications: true }, /notifications must be an object/],
      [{ notifications: { containerExploded: true } }, /notifications\.containerExploded is not a setting/],
      [{ colour: 'blue' }, /colour is not a setting/],
      [{ engineEndpoint: 'http://x' }, /engineEndpoint must be unix:\/\/\/path/],
      [{ engineEndpoint: 'tcp://host-without-port' }, /engineEndpoint: .*needs a host and a port/],
      [{ engineEndpoint: 42 }, /engineEndpoint must be/],
      // One good field does not let a bad one through.
      [{ theme: 'dark', startAtLogin: 'yes' }, /startAtLogin/],
      ['dark', /settings change must be an object/],
      [null, /settings change must be an object/],
    ];
    for (const [change, message] of wrong) {
      const error = await refusal(Promise.resolve().then(() => (calls.updateAppSettings as (c: unknown) => unknown)(change)));
      expect(error.statusCode, JSON.stringify(change)).toBe(400);
      expect(error.message, JSON.stringify(change)).toMatch(message);
    }
    expect(readFileSync(file(), 'utf8')).toBe(before);
    expect(statSync(file()).mtimeMs).toBe(mtime);
    expect((await calls.appSettings()).settings.theme).toBe('light');
  });

  test('a settings.json with wrong values loads what it can and keeps the original as .bak', async () => {
    writeFileSync(file(), JSON.stringify({ theme: 'dark', startAtLogin: 'sometimes' }));
    const { calls } = dashboardBackend({ endpoint: `unix://${join(dir, 'none.sock')}` });
    expect((await calls.appSettings()).settings).toEqual({ ...DEFAULT_SETTINGS, theme: 'dark' });
    expect(readFileSync(`${file()}.bak`, 'utf8')).toContain('sometimes');
  });

  test('the VM\'s resources and the engine location are kept; asking for more than this host has is refused in words, nothing written', async () => {
    const { calls } = dashboardBackend({ endpoint: `unix://${join(dir, 'none.sock')}` });
    const saved = await calls.updateAppSettings({ vmCpus: 1, vmMemoryMiB: 1024, vmDiskGiB: 8, engineLocation: 'vm' });
    expect(saved).toMatchObject({ vmCpus: 1, vmMemoryMiB: 1024, vmDiskGiB: 8, engineLocation: 'vm' });
    const before = readFileSync(file(), 'utf8');
    const hostMiB = Math.floor(totalmem() / 1024 ** 2);
    const wrong: [unknown, string | RegExp][] = [
      [{ vmCpus: availableParallelism() + 1 }, `CPUs ${availableParallelism() + 1}: this host has only ${availableParallelism()} CPUs`],
      [{ vmMemoryMiB: hostMiB + 1 }, `Memory ${hostMiB + 1} MiB: this host has only ${hostMiB} MiB in all`],
      [{ vmMemoryMiB: 128 }, 'Memory: the VM needs at least 256 MiB (asked 128 MiB)'],
      [{ vmCpus: 1.5 }, /vmCpus must be a whole number from 1 up/],
      [{ vmDiskGiB: 0 }, /vmDiskGiB must be a whole number from 1 up/],
      [{ engineLocation: 'moon' }, /engineLocation must be one of auto, local, vm/],
    ];
    for (const [change, message] of wrong) {
      const error = await refusal(Promise.resolve().then(() => (calls.updateAppSettings as (c: unknown) => unknown)(change)));
      expect(error.statusCode, JSON.stringify(change)).toBe(400);
      if (typeof message === 'string') expect(error.message, JSON.stringify(change)).toBe(message);
      else expect(error.message, JSON.stringify(change)).toMatch(message);
    }
    expect(readFileSync(file(), 'utf8')).toBe(before);
    // null goes back to the default.
    expect((await calls.updateAppSettings({ vmCpus: null })).vmCpus).toBeNull();
  });

  test('shared folders: existing absolute folders are kept in order; a relative, missing or duplicate one, or a file, is refused naming it, nothing written', async () => {
    const { calls } = dashboardBackend({ endpoint: `unix://${join(dir, 'none.sock')}` });
    const first = mkdtempSync(join(root, 'share-a-'));
    const second = mkdtempSync(join(root, 'share-b-'));
    expect((await calls.updateAppSettings({ vmShares: [first, second] })).vmShares).toEqual([first, second]);
    const before = readFileSync(file(), 'utf8');
    writeFileSync(join(first, 'note.txt'), '');
    const wrong: [unknown, string | RegExp][] = [
      [{ vmShares: ['relative/dir'] }, /vmShares must be a list of absolute folder paths/],
      [{ vmShares: 'not a list' }, /vmShares must be a list of absolute folder paths/],
      [{ vmShares: [first, first] }, 'vmShares lists a folder twice'],
      [{ vmShares: [join(root, 'missing')] }, `Shared folders: ${join(root, 'missing')}: no such folder`],
      [{ vmShares: [join(first, 'note.txt')] }, `Shared folders: ${join(first, 'note.txt')}: not a folder`],
    ];
    for (const [change, message] of wrong) {
      const error = await refusal(Promise.resolve().then(() => (calls.updateAppSettings as (c: unknown) => unknown)(change)));
      expect(error.statusCode, JSON.stringify(change)).toBe(400);
      if (typeof message === 'string') expect(error.message, JSON.stringify(change)).toBe(message);
      else expect(error.message, JSON.stringify(change)).toMatch(message);
    }
    expect(readFileSync(file(), 'utf8')).toBe(before);
    expect((await calls.updateAppSettings({ vmShares: [] })).vmShares).toEqual([]);
  });
});
