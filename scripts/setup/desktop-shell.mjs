// Whether `npm start` can open the Electron app here, or should serve the dashboard instead:
// Electron needs a display (X11 or Wayland) and its binary (the `electron` npm package).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export function hasDisplay(env = process.env) {
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

/** The app's Electron entry (app/package.json "main"), when there is one. */
export function electronMain(root) {
  try {
    const main = JSON.parse(readFileSync(join(root, 'app', 'package.json'), 'utf8')).main;
    return typeof main === 'string' && existsSync(join(root, 'app', main)) ? main : undefined;
  } catch {
    return undefined;
  }
}
