// Copies the production dependency closure of some packages into one self-contained
// node_modules. npm workspaces hoist dependencies to the root node_modules (and keep a
// workspace-local copy where versions clash, e.g. tar-stream 3 beside dockerode's tar-stream 2),
// so a workspace's folder alone does not run. We follow dependencies the way Node resolves them at
// run time (walking up node_modules from the requiring package), place each one flat when its
// name is free and nested under its dependent when another version holds the name, then check
// that every edge resolves in the copy to the very package it resolved to in the checkout.
// Built-ins only: this runs from scripts/bootstrap.mjs.
import { cpSync, existsSync, readFileSync, realpathSync } from 'node:fs';
import { basename, dirname, join, sep } from 'node:path';

/** Node's lookup: <dir>/node_modules/<name>, then each parent's, skipping node_modules dirs. */
function resolvePackageDir(fromDir, name) {
  for (let dir = fromDir; ; dir = dirname(dir)) {
    if (basename(dir) !== 'node_modules') {
      const candidate = join(dir, 'node_modules', name);
      if (existsSync(join(candidate, 'package.json'))) return realpathSync(candidate);
    }
    if (dir === dirname(dir)) return undefined;
  }
}

/** What a package needs at run time: dependencies, optional ones when installed, and the
 * peers it does not mark optional (an optional peer such as valibot's typescript is the
 * user's choice, and would add 20 MB). */
function runtimeDependencies(packageDir) {
  const manifest = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8'));
  const optionalPeers = manifest.peerDependenciesMeta ?? {};
  return [
    ...Object.keys(manifest.dependencies ?? {}).map((name) => ({ name, optional: false })),
    ...Object.keys(manifest.optionalDependencies ?? {}).map((name) => ({ name, optional: true })),
    ...Object.keys(manifest.peerDependencies ?? {}).filter((name) => !optionalPeers[name]?.optional).map((name) => ({ name, optional: false })),
  ];
}

const PLATFORM = `${process.platform}-${process.arch}`;

/** What a running program never reads: type declarations, source maps, TypeScript sources,
 * version-control and lint files, native build intermediates (build/Release/obj.target) and prebuilt
 * binaries for other platforms (prebuilds/<platform>-<arch>, as node-gyp-build lays them out). */
function isRuntimeFile(path) {
  const parts = path.split(sep);
  const prebuild = parts.lastIndexOf('prebuilds');
  if (prebuild >= 0 && parts[prebuild + 1] !== undefined && !parts[prebuild + 1].startsWith(PLATFORM)) return false;
  return !/\.(d\.ts|d\.mts|d\.cts|map|ts|mts|cts)$/.test(path) && !parts.includes('obj.target') && !/^\.(git|npmignore|eslint|travis|editorconfig|prettier|nycrc|github)/.test(parts.at(-1));
}

/**
 * Plans where each package of the closure goes under `<targetDir>/node_modules`.
 * @param {string} fromDir the workspace folder whose view of node_modules counts (e.g. <repo>/engine)
 * @param {string[]} names the packages it imports
 * @returns {{ placed: Map<string, string>, edges: { from: string, name: string, source: string }[] }}
 *   placed: target folder → source folder; edges: every dependency, for the resolution check
 */
export function planClosure(fromDir, names, targetDir) {
  const placed = new Map();
  const edges = [];
  const queue = names.map((name) => ({ sourceDir: fromDir, targetDir, name, optional: false }));
  while (queue.length > 0) {
    const { sourceDir, targetDir: dependentTarget, name, optional } = queue.shift();
    const source = resolvePackageDir(sourceDir, name);
    if (!source) {
      if (optional) continue;
      throw new Error(`${name} (needed by ${sourceDir}) is not installed: run npm ci`);
    }
    edges.push({ from: dependentTarget, name, source });
    const flat = join(targetDir, 'node_modules', name);
    const target = !placed.has(flat) || placed.get(flat) === source ? flat : join(dependentTarget, 'node_modules', name);
    if (placed.get(target) === source) continue;
    if (placed.has(target)) throw new Error(`two versions of ${name} need ${target}; the closure cannot be laid out`);
    placed.set(target, source);
    for (const dep of runtimeDependencies(source)) queue.push({ sourceDir: source, targetDir: target, ...dep });
  }
  verifyResolution(placed, edges, targetDir);
  return { placed, edges };
}

/** Every edge must resolve, by Node's rules inside the copy, to a copy of its original. */
function verifyResolution(placed, edges, targetDir) {
  for (const { from, name, source } of edges) {
    let found;
    for (let dir = from; dir.startsWith(targetDir) && !found; dir = dirname(dir)) {
      if (basename(dir) === 'node_modules') continue;
      const candidate = join(dir, 'node_modules', name);
      if (placed.has(candidate)) found = placed.get(candidate);
      if (dir === targetDir) break;
    }
    if (found !== source) throw new Error(`${name} from ${from} would resolve to ${found ?? 'nothing'} instead of ${source}`);
  }
}

/** Copies the planned closure; each package without its own node_modules (placed separately). */
export function copyClosure(fromDir, names, targetDir) {
  const { placed } = planClosure(fromDir, names, targetDir);
  for (const [target, source] of placed) {
    const nested = join(source, 'node_modules') + sep;
    cpSync(source, target, {
      recursive: true,
      filter: (path) => !(path + sep).startsWith(nested) && isRuntimeFile(path),
    });
  }
  return [...placed.keys()];
}
