// Where the e2e suite finds the repo and writes its screenshots (committed) and failure artefacts
// (git-ignored: e2e/screenshots/tmp/).
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const SCREENSHOT_DIR = join(REPO_ROOT, 'e2e', 'screenshots');
export const FAILURE_DIR = join(SCREENSHOT_DIR, 'tmp');
export const RENDERER_SRC = join(REPO_ROOT, 'app', 'src', 'renderer');
export const COMMON_SRC = join(REPO_ROOT, 'app', 'src', 'common');
export const RENDERER_DIST = join(REPO_ROOT, 'app', 'dist', 'renderer');
export const DASHBOARD_CLI = join(REPO_ROOT, 'app', 'src', 'backend', 'cli', 'berth.ts');
