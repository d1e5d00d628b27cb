// Builds the Electron side of the app (app/src/main → app/dist/main/main.js, app/src/preload →
// app/dist/preload/preload.cjs) with Vite when a build is missing or older than its sources.
// Runs on the machine's own Node (the bootstrap's); Vite itself runs on the pinned one.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function newestMtime(path) {
  const info = statSync(path);
  if (!info.isDirectory()) return info.mtimeMs;
  let newest = info.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

/** The built files and the sources each depends on (main bundles the backend; both bundle common/). */
function targets(root) {
  const app = join(root, 'app');
  const config = join(app, 'vite.electron.config.ts');
  return [
    { mode: 'main', output: join(app, 'dist', 'main', 'main.js'), sources: [join(app, 'src', 'main'), join(app, 'src', 'backend'), join(app, 'src', 'common'), config] },
    { mode: 'preload', output: join(app, 'dist', 'preload', 'preload.cjs'), sources: [join(app, 'src', 'preload'), join(app, 'src', 'common'), config] },
  ];
}

/** Why a target must be (re)built, or undefined when it is current. */
function buildReason(target) {
  if (!existsSync(target.output)) return 'it is not built yet';
  const newest = Math.max(...target.sources.filter((p) => existsSync(p)).map(newestMtime));
  return newest > statSync(target.output).mtimeMs ? 'its sources changed' : undefined;
}

/**
 * Builds app/dist/main and app/dist/preload when needed; the bootstrap calls it before launching
 * `<electron binary> <root>/app` (app/package.json "main" names dist/main/main.js).
 */
export function buildElectron(node, root, log = (line) => process.stderr.write(`${line}\n`)) {
  const vite = join(root, 'node_modules', 'vite', 'bin', 'vite.js');
  for (const target of targets(root)) {
    const reason = buildReason(target);
    if (!reason) continue;
    log(`building the Electron ${target.mode} into ${target.output.slice(root.length + 1)} (${reason})`);
    const result = spawnSync(node, [vite, 'build', '-c', join('app', 'vite.electron.config.ts'), '--mode', target.mode], { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
    if (result.status !== 0) throw new Error(`building the Electron ${target.mode} (vite build -c app/vite.electron.config.ts --mode ${target.mode}) failed`);
  }
}
