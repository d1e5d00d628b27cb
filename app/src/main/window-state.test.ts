import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { DEFAULT_SIZE, loadWindowState, placeWindow, saveWindowState } from './window-state.ts';

const dir = mkdtempSync(join(tmpdir(), 'berth-ws-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const laptop = { x: 0, y: 0, width: 1920, height: 1080 };
const rightMonitor = { x: 1920, y: 0, width: 2560, height: 1440 };

describe('window state', () => {
  test('round-trips through its file and ignores a missing or broken one', () => {
    const file = join(dir, 'window-state.json');
    expect(loadWindowState(file)).toBeUndefined();
    saveWindowState(file, { bounds: { x: 10, y: 20, width: 1000, height: 700 }, maximized: true });
    expect(loadWindowState(file)).toEqual({ bounds: { x: 10, y: 20, width: 1000, height: 700 }, maximized: true });
    expect(readFileSync(file, 'utf8')).toContain('"maximized": true');
    writeFileSync(file, '{"bounds": {"x": "left"}}');
    expect(loadWindowState(file)).toBeUndefined();
    writeFileSync(file, 'not json');
    expect(loadWindowState(file)).toBeUndefined();
  });

  test('first launch: default size centred on the primary display', () => {
    expect(placeWindow(undefined, [laptop, rightMonitor])).toEqual({
      bounds: { x: (1920 - DEFAULT_SIZE.width) / 2, y: (1080 - DEFAULT_SIZE.height) / 2, ...DEFAULT_SIZE }, maximized: false,
    });
  });

  test('a saved place on a display that is still there is kept', () => {
    const saved = { bounds: { x: 2100, y: 100, width: 1400, height: 900 }, maximized: false };
    expect(placeWindow(saved, [laptop, rightMonitor])).toEqual(saved);
  });

  test('a window left on an unplugged monitor comes back centred on the primary one, maximized flag kept', () => {
    const saved = { bounds: { x: 2100, y: 100, width: 1400, height: 900 }, maximized: true };
    expect(placeWindow(saved, [laptop])).toEqual({ bounds: { x: 260, y: 90, width: 1400, height: 900 }, maximized: true });
  });

  test('a window hanging off the edge is pulled inside and shrunk to the display', () => {
    const saved = { bounds: { x: 1700, y: -10, width: 3000, height: 2000 }, maximized: false };
    expect(placeWindow(saved, [laptop])).toEqual({ bounds: { x: 0, y: 0, width: 1920, height: 1080 }, maximized: false });
    const tiny = { bounds: { x: 100, y: 100, width: 50, height: 40 }, maximized: false };
    expect(placeWindow(tiny, [laptop]).bounds).toEqual({ x: 100, y: 100, width: 720, height: 480 });
  });
});
