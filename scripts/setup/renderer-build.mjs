// Builds the renderer (app/src/renderer → app/dist/renderer) with Vite when the build is missing
// or older than its sources. The check is cheap (mtimes only), so every command may call it.
// Runs on the machine's own Node; Vite itself runs on the pinned one.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function newestMtime(path) {
  const info = statSync(path);
  if (!info.isDirectory()) return info.mtimeMs;
  let newest = info.mtimeMs; // a deleted file changes its directory's mtime
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

export function rendererDist(root) {
  return join(root, 'app', 'dist', 'renderer');
}

/** Why app/dist/renderer must be (re)built, or undefined when it is current. */
export function rendererBuildReason(root) {
  const index = join(rendererDist(root), 'index.html');
  if (!existsSync(index)) return 'it is not built yet';
  const sources = [join(root, 'app', 'src', 'renderer'), join(root, 'app', 'src', 'common'), join(root, 'app', 'vite.config.ts')];
  const newest = Math.max(...sources.filter((p) => existsSync(p)).map(newestMtime));
  return newest > statSync(index).mtimeMs ? 'its sources changed' : undefined;
}

export function ensureRendererBuilt(root, node, log) {
  const reason = rendererBuildReason(root);
  if (!reason) return;
  log(`building the UI into app/dist/renderer (${reason})`);
  const vite = join(root, 'node_modules', 'vite', 'bin', 'vite.js');
  const result = spawnSync(node, [vite, 'build', '-c', join('app', 'vite.config.ts')], { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
  if (result.status !== 0) throw new Error('building the UI (vite build -c app/vite.config.ts) failed');
}
