// Where the app finds its pieces, in a checkout (`npm start`: app/ is the app path, the repo's
// assets/ and engine/ beside it) and when packaged (electron-builder: the same app/ layout inside
// resources/app, assets and the engine bundle as extra resources under resources/).
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

export interface AppPaths {
  rendererDir: string;
  preload: string;
  trayIconsDir: string;
  appIcon: string;
  /** Node binary and entry of Berth's engine (berthd). */
  engineNode: string;
  engineEntry: string;
}

export interface AppPathInputs {
  /** app.getAppPath(): the directory holding app/package.json. */
  appPath: string;
  /** process.resourcesPath when packaged, else undefined. */
  resourcesPath: string | undefined;
  env: NodeJS.ProcessEnv;
  /** Node running the engine when nothing else says: Electron itself, as Node (ELECTRON_RUN_AS_NODE). */
  execPath: string;
}

export function appPaths(inputs: AppPathInputs): AppPaths {
  const { appPath, resourcesPath, env } = inputs;
  const repo = dirname(appPath);
  const assets = resourcesPath && existsSync(join(resourcesPath, 'assets')) ? join(resourcesPath, 'assets') : join(repo, 'assets');
  const bundledEngine = resourcesPath ? join(resourcesPath, 'engine') : undefined;
  return {
    rendererDir: join(appPath, 'dist', 'renderer'),
    preload: join(appPath, 'dist', 'preload', 'preload.cjs'),
    trayIconsDir: join(assets, 'tray'),
    appIcon: join(assets, 'icons', '256x256.png'),
    // The bootstrap sets BERTH_NODE and BERTH_ENGINE_ENTRY (pinned Node, engine/.dist); a package
    // ships both under resources/engine (bin/node, dist/main.js; scripts/dist/component-bundles.mjs).
    engineNode: env.BERTH_NODE ?? (bundledEngine && existsSync(join(bundledEngine, 'bin', 'node')) ? join(bundledEngine, 'bin', 'node') : inputs.execPath),
    engineEntry: env.BERTH_ENGINE_ENTRY ?? (bundledEngine && existsSync(join(bundledEngine, 'dist', 'main.js')) ? join(bundledEngine, 'dist', 'main.js') : join(repo, 'engine', '.dist', 'src', 'main.js')),
  };
}
