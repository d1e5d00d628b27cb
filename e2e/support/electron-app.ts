// Launches the real Electron app (app/dist/main/main.js) with playwright-core's _electron, when an
// Electron binary is on this machine; says exactly why not otherwise.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { _electron, type ElectronApplication } from 'playwright-core';
import { REPO_ROOT } from './paths.ts';

const ELECTRON_PACKAGE = join(REPO_ROOT, 'node_modules', 'electron');

/** The Electron binary node_modules/electron/path.txt names, or why there is none. */
export function findElectron(): { binary: string } | { missing: string } {
  if (!existsSync(join(ELECTRON_PACKAGE, 'package.json'))) return { missing: 'the electron npm package is not installed (run npm ci)' };
  const pathTxt = join(ELECTRON_PACKAGE, 'path.txt');
  if (!existsSync(pathTxt)) {
    return { missing: 'no Electron binary: node_modules/electron/path.txt is absent because the binary was never downloaded (run `node node_modules/electron/install.js` on a machine with network access)' };
  }
  const binary = join(ELECTRON_PACKAGE, 'dist', readFileSync(pathTxt, 'utf8').trim());
  return existsSync(binary) ? { binary } : { missing: `node_modules/electron/path.txt names ${binary}, which does not exist` };
}

export interface LaunchOptions {
  binary: string;
  userDataDir: string;
  env?: Record<string, string>;
}

export function launchElectronApp(options: LaunchOptions): Promise<ElectronApplication> {
  const built = join(REPO_ROOT, 'app', 'dist', 'main', 'main.js');
  if (!existsSync(built)) throw new Error('app/dist/main/main.js is not built: buildElectron() in scripts/setup/electron-build.mjs builds it');
  return _electron.launch({
    executablePath: options.binary,
    // --no-sandbox: CI containers run as root, where Chromium's own sandbox cannot start; the
    // window's renderer still runs with sandbox: true inside Electron's process model.
    args: [...(process.getuid?.() === 0 ? ['--no-sandbox'] : []), join(REPO_ROOT, 'app')],
    env: { ...process.env, BERTH_USER_DATA_DIR: options.userDataDir, BERTH_E2E: '1', ...options.env } as Record<string, string>,
    timeout: 60_000,
  });
}
