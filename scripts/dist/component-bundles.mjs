// The two runnable pieces every package ships, each a self-contained folder with its own
// node_modules: the engine (engine/.dist, the JavaScript scripts/build-engine.mjs strips from
// engine/src) and the `berth` CLI (app/src/backend + app/src/common as TypeScript, run by Node's
// type stripping, plus the built renderer for `berth dashboard`). Node refuses to strip types
// under a node_modules path, so the CLI's .ts files sit beside its node_modules, never in it.
// Built-ins only: this runs from scripts/bootstrap.mjs.
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join, relative, sep } from 'node:path';
import { copyClosure } from './production-deps.mjs';

const isTestFile = (path) => /\.test\.tsx?$/.test(path) || path.split(sep).includes('testing');

function readJson(path) {
  return JSON.parse(readFileSync(path, 'utf8'));
}

/** The manifest a bundle needs: its name and version, and "type": "module" so Node loads its
 * files as ES modules (the checkout's package.json says the same). */
function writeManifest(fromPackageJson, targetDir) {
  const { name, version, type } = readJson(fromPackageJson);
  writeFileSync(join(targetDir, 'package.json'), `${JSON.stringify({ name, version, private: true, type }, null, 2)}\n`);
}

function* files(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* files(path);
    else yield path;
  }
}

function newestMtime(dir) {
  let newest = statSync(dir).mtimeMs; // a deleted file changes its directory's mtime
  for (const path of files(dir)) newest = Math.max(newest, statSync(path).mtimeMs);
  return newest;
}

/** Builds engine/.dist when it is missing or older than engine/src (bootstrap rebuilds it on every
 * command; a bare test run may find it stale). */
export function ensureEngineBuilt(root, node, log) {
  const entry = join(root, 'engine', '.dist', 'src', 'main.js');
  if (existsSync(entry) && statSync(entry).mtimeMs >= newestMtime(join(root, 'engine', 'src'))) return;
  log('building the engine into engine/.dist');
  const result = spawnSync(node, [join(root, 'scripts', 'build-engine.mjs')], { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
  if (result.status !== 0) throw new Error('building the engine (scripts/build-engine.mjs) failed');
}

/** <targetDir>/{package.json, dist/** (entry dist/main.js), node_modules}. */
export function stageEngine(root, targetDir) {
  const built = join(root, 'engine', '.dist', 'src');
  if (!existsSync(join(built, 'main.js'))) throw new Error('engine/.dist is not built (scripts/build-engine.mjs)');
  rmSync(targetDir, { recursive: true, force: true });
  mkdirSync(targetDir, { recursive: true });
  cpSync(built, join(targetDir, 'dist'), { recursive: true });
  writeManifest(join(root, 'engine', 'package.json'), targetDir);
  const engineDir = join(root, 'engine');
  copyClosure(engineDir, Object.keys(readJson(join(engineDir, 'package.json')).dependencies ?? {}), targetDir);
  return { entry: join(targetDir, 'dist', 'main.js') };
}

/** The packages the CLI's own sources import (bare specifiers of non-test files): the renderer's
 * libraries are bundled by Vite and need no node_modules at run time. */
export function cliImports(appSrcDirs) {
  const names = new Set();
  for (const dir of appSrcDirs) {
    for (const path of files(dir)) {
      if (!/\.tsx?$/.test(path) || isTestFile(relative(dir, path))) continue;
      const code = readFileSync(path, 'utf8');
      for (const [, spec] of code.matchAll(/(?:^|\n)\s*(?:import|export)\s+(?!type\s)[^'"]*?from\s+['"]([^'"./][^'"]*)['"]/g)) {
        if (spec.startsWith('node:')) continue;
        const parts = spec.split('/');
        names.add(spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]);
      }
      for (const [, spec] of code.matchAll(/\bimport\(\s*['"]([^'"./][^'"]*)['"]\s*\)/g)) if (!spec.startsWith('node:')) names.add(spec);
    }
  }
  return [...names].sort();
}

/** <targetDir>/{package.json, src/backend, src/common, dist/renderer, node_modules}: the
 * layout app/src/backend/cli/cli-paths.ts expects (APP_DIR/dist/renderer). */
export function stageCli(root, targetDir) {
  const appDir = join(root, 'app');
  const renderer = join(appDir, 'dist', 'renderer');
  if (!existsSync(join(renderer, 'index.html'))) throw new Error('app/dist/renderer is not built (vite build -c app/vite.config.ts)');
  rmSync(targetDir, { recursive: true, force: true });
  mkdirSync(targetDir, { recursive: true });
  const sources = ['backend', 'common'].map((name) => join(appDir, 'src', name));
  for (const dir of sources) {
    cpSync(dir, join(targetDir, relative(appDir, dir)), { recursive: true, filter: (path) => !isTestFile(relative(dir, path)) });
  }
  cpSync(renderer, join(targetDir, 'dist', 'renderer'), { recursive: true });
  writeManifest(join(appDir, 'package.json'), targetDir);
  copyClosure(appDir, cliImports(sources), targetDir);
  return { entry: join(targetDir, 'src', 'backend', 'cli', 'berth.ts') };
}
