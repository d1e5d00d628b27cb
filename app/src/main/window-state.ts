// The main window's size, position and maximized flag, kept across launches in window-state.json.
// Displays come in as data (Electron's screen.getAllDisplays() work areas), so a saved position on
// a monitor that is gone is pulled back onto one that is there.
import { readFileSync } from 'node:fs';
import { writeJsonAtomically } from '../backend/atomic-json-file.ts';

export interface Rect { x: number; y: number; width: number; height: number }
export interface WindowState { bounds: Rect; maximized: boolean }

export const DEFAULT_SIZE = { width: 1280, height: 800 };
export const MIN_SIZE = { width: 720, height: 480 };
/** How much of the window's title bar must be on a display for the saved position to be kept. */
const VISIBLE_MARGIN = 64;

const finite = (n: unknown): n is number => typeof n === 'number' && Number.isFinite(n);

/** The stored state, or undefined when there is none or it does not parse (a fresh default then). */
export function loadWindowState(path: string): WindowState | undefined {
  try {
    const raw = JSON.parse(readFileSync(path, 'utf8')) as { bounds?: Partial<Rect>; maximized?: unknown };
    const b = raw.bounds;
    if (!b || !finite(b.x) || !finite(b.y) || !finite(b.width) || !finite(b.height)) return undefined;
    return { bounds: { x: b.x, y: b.y, width: b.width, height: b.height }, maximized: raw.maximized === true };
  } catch {
    return undefined;
  }
}

export function saveWindowState(path: string, state: WindowState): void {
  writeJsonAtomically(path, state);
}

function overlap(a: Rect, b: Rect): Rect {
  const x = Math.max(a.x, b.x);
  const y = Math.max(a.y, b.y);
  return { x, y, width: Math.min(a.x + a.width, b.x + b.width) - x, height: Math.min(a.y + a.height, b.y + b.height) - y };
}

function centered(area: Rect, width: number, height: number): Rect {
  const w = Math.min(width, area.width);
  const h = Math.min(height, area.height);
  return { x: Math.round(area.x + (area.width - w) / 2), y: Math.round(area.y + (area.height - h) / 2), width: w, height: h };
}

/**
 * Where the window opens: the saved bounds when their title bar is visible on some display
 * (shrunk to fit it), else the default size centred on the primary display (workAreas[0]).
 */
export function placeWindow(saved: WindowState | undefined, workAreas: readonly Rect[]): WindowState {
  const primary = workAreas[0] ?? { x: 0, y: 0, ...DEFAULT_SIZE };
  if (!saved) return { bounds: centered(primary, DEFAULT_SIZE.width, DEFAULT_SIZE.height), maximized: false };
  const width = Math.max(MIN_SIZE.width, Math.round(saved.bounds.width));
  const height = Math.max(MIN_SIZE.height, Math.round(saved.bounds.height));
  const titleBar = { x: Math.round(saved.bounds.x), y: Math.round(saved.bounds.y), width, height: VISIBLE_MARGIN };
  const home = workAreas.find((area) => {
    const o = overlap(titleBar, area);
    return o.width >= Math.min(VISIBLE_MARGIN * 2, width) && o.height >= Math.min(VISIBLE_MARGIN / 2, area.height);
  });
  if (!home) return { bounds: centered(primary, width, height), maximized: saved.maximized };
  const w = Math.min(width, home.width);
  const h = Math.min(height, home.height);
  const x = Math.min(Math.max(titleBar.x, home.x), home.x + home.width - w);
  const y = Math.min(Math.max(titleBar.y, home.y), home.y + home.height - h);
  return { bounds: { x, y, width: w, height: h }, maximized: saved.maximized };
}
