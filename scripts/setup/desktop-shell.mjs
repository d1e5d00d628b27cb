// Whether `npm start` can open the Electron app here, or should serve the dashboard instead:
// Electron needs a display (X11 or Wayland, or macOS/Windows) and its binary (the `electron`
// npm package downloads it from its install script, which this project never runs by itself:
// npm's allowScripts leaves it unapproved so that `npm ci` works offline).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export function hasDisplay(env = process.env, platform = process.platform) {
  if (platform === 'darwin' || platform === 'win32') return true;
  return Boolean(env.DISPLAY || env.WAYLAND_DISPLAY);
}

/** The Electron binary the `electron` package downloaded, when it did (its path.txt names it). */
export function electronBinary(root) {
  const pkg = join(root, 'node_modules', 'electron');
  try {
    const binary = join(pkg, 'dist', readFileSync(join(pkg, 'path.txt'), 'utf8').trim());
    return existsSync(binary) ? binary : undefined;
  } catch {
    return undefined;
  }
}

/** Why there is no Electron binary to run, in one line (for the fallback message and the e2e skip). */
export function electronMissingReason(root) {
  const pkg = join(root, 'node_modules', 'electron');
  if (!existsSync(join(pkg, 'package.json'))) return 'the electron npm package is not installed (npm ci)';
  if (!existsSync(join(pkg, 'path.txt'))) return 'the Electron binary was never downloaded (node node_modules/electron/install.js)';
  return electronBinary(root) ? undefined : 'node_modules/electron/path.txt names a binary that does not exist';
}

/**
 * Downloads Electron's binary by running the electron package's own install script, once, when a
 * display exists and the binary is missing. Never throws: without network it logs why and the
 * caller falls back to the dashboard. Returns the binary's path when there is one afterwards.
 */
export function installElectronBinary(root, node, log = (line) => process.stderr.write(`${line}\n`)) {
  const existing = electronBinary(root);
  if (existing) return existing;
  const script = join(root, 'node_modules', 'electron', 'install.js');
  if (!existsSync(script)) return undefined;
  log('downloading the Electron binary (node node_modules/electron/install.js)');
  const result = spawnSync(node, [script], { cwd: join(root, 'node_modules', 'electron'), stdio: ['ignore', 'inherit', 'inherit'], timeout: 10 * 60_000 });
  if (result.status !== 0) {
    log(`could not download Electron (${result.error?.message ?? `exit ${result.status}`}); continuing without it`);
    return undefined;
  }
  return electronBinary(root);
}

/** The app's Electron entry (app/package.json "main"), when there is one. */
export function electronMain(root) {
  try {
    const main = JSON.parse(readFileSync(join(root, 'app', 'package.json'), 'utf8')).main;
    return typeof main === 'string' ? main : undefined;
  } catch {
    return undefined;
  }
}
