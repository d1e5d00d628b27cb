import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { DEFAULT_SETTINGS, loadSettings, saveSettings, updateSettings } from './settings.ts';

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
