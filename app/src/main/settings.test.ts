import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { createDesktopBackend } from '../backend/create-desktop-backend.ts';
import { DEFAULT_SETTINGS, electronAppSettings, loadSettings, saveSettings, updateSettings, type AppSettings } from './settings.ts';

const dir = mkdtempSync(join(tmpdir(), 'berth-settings-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('settings', () => {
  test('a missing file gives the defaults without a warning', () => {
    expect(loadSettings(join(dir, 'none.json'))).toEqual({ settings: DEFAULT_SETTINGS, warnings: [] });
  });

  test('saved settings load back as written, and a change keeps the rest', () => {
    const file = join(dir, 'settings.json');
    const saved = { ...DEFAULT_SETTINGS, engineEndpoint: 'tcp://127.0.0.1:2375', theme: 'dark' as const, keepEngineRunningOnQuit: true };
    saveSettings(file, saved);
    expect(loadSettings(file)).toEqual({ settings: saved, warnings: [] });
    const next = updateSettings(file, saved, { notifications: { containerFailed: false, containerUnhealthy: true } });
    expect(loadSettings(file).settings).toEqual({ ...saved, notifications: { containerFailed: false, containerUnhealthy: true } });
    expect(next.theme).toBe('dark');
    expect(existsSync(`${file}.bak`)).toBe(false);
  });

  test('a file that is not JSON gives the defaults, a warning, and is kept as .bak', () => {
    const file = join(dir, 'broken.json');
    writeFileSync(file, '{"theme": "dark",');
    const loaded = loadSettings(file);
    expect(loaded.settings).toEqual(DEFAULT_SETTINGS);
    expect(loaded.warnings.join('\n')).toMatch(/not valid JSON[\s\S]*broken\.json\.bak/);
    expect(readFileSync(`${file}.bak`, 'utf8')).toBe('{"theme": "dark",');
  });

  test('wrong values fall back one by one, the good ones stay, each problem is named', () => {
    const file = join(dir, 'wrong.json');
    writeFileSync(file, JSON.stringify({ theme: 'purple', startAtLogin: 'yes', keepEngineRunningOnQuit: true, engineEndpoint: 'http://x', notifications: { containerFailed: false, containerUnhealthy: 1 } }));
    const loaded = loadSettings(file);
    expect(loaded.settings).toEqual({ ...DEFAULT_SETTINGS, keepEngineRunningOnQuit: true, notifications: { containerFailed: false, containerUnhealthy: true } });
    const text = loaded.warnings.join('\n');
    for (const name of ['theme', 'startAtLogin', 'engineEndpoint', 'notifications.containerUnhealthy', 'wrong.json.bak']) expect(text).toContain(name);
  });

  test('invalid settings are never written', () => {
    const file = join(dir, 'refused.json');
    expect(() => saveSettings(file, { ...DEFAULT_SETTINGS, theme: 'neon' as never })).toThrow(/theme/);
    expect(existsSync(file)).toBe(false);
  });
});

describe('settings in Electron: the provider main.ts gives the backend', () => {
  const applies = { startAtLogin: true, keepEngineRunningOnQuit: true, notifications: true, engineLocation: true };

  function electronSetup(name: string) {
    const path = join(dir, `${name}.json`);
    const applied: { next: AppSettings; previous: AppSettings }[] = [];
    const provider = electronAppSettings({
      path, initial: loadSettings(path).settings, applies,
      apply: (next, previous) => applied.push({ next: structuredClone(next), previous: structuredClone(previous) }),
    });
    const backend = createDesktopBackend({ settingsDir: dir, endpoint: `unix://${join(dir, 'none.sock')}`, hostTerminal: false, shell: 'electron', appSettings: provider });
    return { path, applied, provider, backend };
  }

  test('a change from the Settings screen is written, then applied with what it replaced, and main reads it at once', async () => {
    const { path, applied, provider, backend } = electronSetup('electron');
    try {
      expect(await backend.calls.appSettings()).toEqual({ settings: DEFAULT_SETTINGS, applies });
      const next = await backend.calls.updateAppSettings({ theme: 'dark', notifications: { containerFailed: false } });
      expect(next).toEqual({ ...DEFAULT_SETTINGS, theme: 'dark', notifications: { containerFailed: false, containerUnhealthy: true } });
      expect(loadSettings(path).settings).toEqual(next);
      expect(applied).toEqual([{ next, previous: DEFAULT_SETTINGS }]);
      // What the notifier and the quit path read.
      expect(provider.current().notifications.containerFailed).toBe(false);
      await backend.calls.updateAppSettings({ startAtLogin: true });
      expect(applied.map((a) => [a.previous.startAtLogin, a.next.startAtLogin])).toEqual([[false, false], [false, true]]);
    } finally {
      await backend.dispose();
    }
  });

  test('a refused change is neither written nor applied', async () => {
    const { path, applied, provider, backend } = electronSetup('electron-refused');
    try {
      await expect(backend.calls.updateAppSettings({ theme: 'sepia' as never })).rejects.toMatchObject({ statusCode: 400, message: expect.stringMatching(/theme/) });
      expect(existsSync(path)).toBe(false);
      expect(applied).toEqual([]);
      expect(provider.current()).toEqual(DEFAULT_SETTINGS);
    } finally {
      await backend.dispose();
    }
  });

  test('a change that cannot be written is not applied and leaves the settings as they were', () => {
    const blocker = join(dir, 'a-file');
    writeFileSync(blocker, 'not a directory');
    const applied: AppSettings[] = [];
    const provider = electronAppSettings({ path: join(blocker, 'settings.json'), initial: DEFAULT_SETTINGS, applies, apply: (next) => applied.push(next) });
    expect(() => provider.update({ theme: 'light' })).toThrow(/ENOTDIR|EEXIST/);
    expect(applied).toEqual([]);
    expect(provider.current()).toEqual(DEFAULT_SETTINGS);
  });
});
