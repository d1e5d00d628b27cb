// Where the CLI finds its pieces in a checkout (and in an installed copy, which keeps the same
// layout under its resources directory) and where it keeps the user's settings.
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** app/ — this file is app/src/backend/cli/cli-paths.ts. */
export const APP_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/** The built renderer the dashboard serves. */
export const RENDERER_DIR = join(APP_DIR, 'dist', 'renderer');

/** $XDG_CONFIG_HOME/berth, else ~/.config/berth (XDG Base Directory Specification). */
export function defaultSettingsDir(env: NodeJS.ProcessEnv = process.env): string {
  const xdg = env.XDG_CONFIG_HOME;
  // The spec says a relative $XDG_CONFIG_HOME is invalid and must be ignored.
  const base = xdg && xdg.startsWith('/') ? xdg : join(homedir(), '.config');
  return join(base, 'berth');
}
