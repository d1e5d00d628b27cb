// Builds dist/berth-engine_<version>_amd64.deb with Debian's own dpkg-deb: the engine alone for
// Linux servers and CI hosts (berthd on the pinned Node, the native helper, the `berth` CLI with
// its dashboard, a systemd unit). Staging is cheap and always redone; the slow part, compressing
// ~170 MB with xz, is skipped when the staged tree hashes the same as the last package's.
// Built-ins only: this runs from scripts/bootstrap.mjs.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, closeSync, copyFileSync, existsSync, lstatSync, mkdirSync, openSync, readdirSync, readFileSync, readSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pinnedNodePath } from '../setup/pinned-node.mjs';
import { ensureNativeHelper, nativeHelperPath } from '../setup/native-helper.mjs';
import { ensureDockerCli } from '../setup/docker-cli.mjs';
import { ensureRendererBuilt } from '../setup/renderer-build.mjs';
import { ensureEngineBuilt, stageCli, stageEngine } from './component-bundles.mjs';

export const DEB_MAINTAINER = 'Berth maintainers <packaging@berth.dev>';

/** What berthd runs (DESIGN.md: runc, conmon, netavark, aardvark-dns), the tools it calls
 * (iptables, ip, mount, ps for `docker top`), tini for `--init`, and the shared libraries of the
 * shipped Node binary and native helper. */
export const DEB_DEPENDS = [
  'runc', 'conmon', 'netavark', 'aardvark-dns', 'iptables', 'iproute2', 'tini', 'mount', 'procps',
  'libc6 (>= 2.28)', 'libstdc++6', 'libgcc-s1',
  // deb-systemd-helper and deb-systemd-invoke, which the maintainer scripts use.
  'init-system-helpers (>= 1.54~)',
];

function* walk(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const path = join(dir, entry.name);
    yield path;
    if (entry.isDirectory()) yield* walk(path);
  }
}

function startsWith(path, magic) {
  const fd = openSync(path, 'r');
  try {
    const head = Buffer.alloc(magic.length);
    return readSync(fd, head, 0, magic.length, 0) === magic.length && head.equals(magic);
  } finally {
    closeSync(fd);
  }
}
const ELF = Buffer.from([0x7f, 0x45, 0x4c, 0x46]);

const isSharedObject = (path) => /\.(node|bare|so)$/.test(path);

/** Debian's permissions (Policy 10.9): directories and programs 0755, everything else (shared
 * objects included) 0644. Inside node_modules only ELF programs stay executable: npm packages
 * ship stray executable bits and `#!/usr/bin/env node` bin scripts nobody runs here. */
function normalizeModes(dir) {
  for (const path of walk(dir)) {
    const info = lstatSync(path);
    if (info.isSymbolicLink()) continue;
    const executable = info.isFile() && info.mode & 0o111 && !isSharedObject(path);
    const program = executable && (startsWith(path, ELF) || (!path.includes('/node_modules/') && startsWith(path, Buffer.from('#!'))));
    chmodSync(path, info.isDirectory() || program ? 0o755 : 0o644);
  }
}

/** Drops symbol tables (Policy 10.1): Node's binary alone shrinks by 18 MB. The dynamic symbols
 * native addons link against stay. */
function stripBinaries(dir, log) {
  const binaries = [...walk(dir)].filter((path) => lstatSync(path).isFile() && (isSharedObject(path) || path.endsWith('/node') || path.endsWith('/berth-native')) && startsWith(path, ELF));
  const result = spawnSync('strip', ['--strip-unneeded', ...binaries], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (result.error || result.status !== 0) log('strip (binutils) is not available: shipping unstripped binaries');
}

/** One hash over the staged tree: names, modes and contents, so any change rebuilds the package. */
function treeHash(dir) {
  const hash = createHash('sha256');
  for (const path of walk(dir)) {
    const info = lstatSync(path);
    hash.update(`${relative(dir, path)}\0${info.mode}\0`);
    if (info.isFile()) hash.update(readFileSync(path));
  }
  return hash.digest('hex');
}

function installedSizeKiB(dir) {
  let bytes = 0;
  for (const path of walk(dir)) if (!relative(dir, path).startsWith('DEBIAN')) bytes += lstatSync(path).size;
  return Math.ceil(bytes / 1024);
}

function controlFile({ version, installedSize }) {
  return [
    'Package: berth-engine',
    `Version: ${version}`,
    'Architecture: amd64',
    `Maintainer: ${DEB_MAINTAINER}`,
    `Installed-Size: ${installedSize}`,
    `Depends: ${DEB_DEPENDS.join(', ')}`,
    'Section: admin',
    'Priority: optional',
    'Description: Berth container engine (Docker Engine API) with its CLI',
    ' berthd serves the Docker Engine API on /run/berth/docker.sock, so the docker',
    ' CLI, docker compose, dockerode and testcontainers work against it. It runs',
    ' containers with runc under conmon (they survive a restart of the engine),',
    ' networks them with netavark and aardvark-dns, and stores images as overlayfs',
    ' snapshots in /var/lib/berth.',
    ' .',
    ' The package ships its own Node.js runtime, the berth.service systemd unit,',
    ' the berth command (berth status, berth dashboard: the Berth UI in a browser)',
    ' and the docker CLI (from Debian\'s docker.io, as /usr/bin/docker where no other',
    ' package has one).',
    '',
  ].join('\n');
}

/** Lays out the package's files under `stage` (DEBIAN/ included). */
function stagePackage(root, stage, version, log) {
  const here = join(root, 'packaging', 'berth-engine');
  const lib = join(stage, 'usr', 'lib', 'berth');
  rmSync(stage, { recursive: true, force: true });
  for (const dir of [lib, join(stage, 'usr', 'bin'), join(stage, 'lib', 'systemd', 'system'), join(stage, 'usr', 'share', 'doc', 'berth-engine'), join(stage, 'DEBIAN')]) {
    mkdirSync(dir, { recursive: true });
  }
  copyFileSync(pinnedNodePath(root), join(lib, 'node'));
  copyFileSync(nativeHelperPath(root), join(lib, 'berth-native'));
  // The docker CLI (Debian's, without dockerd): postinst offers it as /usr/bin/docker through
  // update-alternatives when no other package provides that file.
  copyFileSync(ensureDockerCli(root, log), join(lib, 'docker'));
  stageEngine(root, join(lib, 'engine'));
  stageCli(root, join(lib, 'app'));
  for (const name of ['berthd', 'berth']) copyFileSync(join(here, name), join(stage, 'usr', 'bin', name));
  copyFileSync(join(here, 'berth.service'), join(stage, 'lib', 'systemd', 'system', 'berth.service'));
  copyFileSync(join(here, 'copyright'), join(stage, 'usr', 'share', 'doc', 'berth-engine', 'copyright'));
  for (const name of ['postinst', 'prerm', 'postrm']) copyFileSync(join(here, name), join(stage, 'DEBIAN', name));
  for (const name of ['berthd', 'berth']) chmodSync(join(stage, 'usr', 'bin', name), 0o755);
  for (const name of ['postinst', 'prerm', 'postrm']) chmodSync(join(stage, 'DEBIAN', name), 0o755);
  stripBinaries(lib, log);
  normalizeModes(stage);
  writeFileSync(join(stage, 'DEBIAN', 'control'), controlFile({ version, installedSize: installedSizeKiB(stage) }));
  chmodSync(join(stage, 'DEBIAN', 'control'), 0o644);
}

/**
 * Builds (or reuses) dist/berth-engine_<version>_amd64.deb.
 * @param {{ root: string, node: string, log: (message: string) => void }} options node: the pinned
 *   Node, which runs the engine and renderer builds when they are stale
 * @returns {{ path: string, rebuilt: boolean }}
 */
export function buildEngineDeb({ root, node, log }) {
  const version = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version;
  if (!existsSync(pinnedNodePath(root))) throw new Error('the pinned Node runtime is missing: run npm run setup');
  ensureEngineBuilt(root, node, log);
  ensureRendererBuilt(root, node, log);
  ensureNativeHelper(root, log);
  const stage = join(root, '.berth', 'dist-stage', 'berth-engine');
  stagePackage(root, stage, version, log);
  const out = join(root, 'dist');
  const path = join(out, `berth-engine_${version}_amd64.deb`);
  const hashFile = `${path}.tree-sha256`;
  const hash = treeHash(stage);
  if (existsSync(path) && existsSync(hashFile) && readFileSync(hashFile, 'utf8').trim() === hash) {
    log(`${relative(root, path)} is current`);
    return { path, rebuilt: false };
  }
  mkdirSync(out, { recursive: true });
  log(`building ${relative(root, path)} with dpkg-deb`);
  // --root-owner-group: files owned by root in the archive without fakeroot; xz is what every
  // dpkg since Debian 7 reads. Written aside and renamed, so a failed build leaves no half package.
  const partial = `${path}.partial`;
  const result = spawnSync('dpkg-deb', ['--root-owner-group', '-Zxz', '--build', stage, partial], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (result.error) throw new Error(`dpkg-deb could not run (${result.error.message}): it comes with Debian's dpkg`);
  if (result.status !== 0) throw new Error('dpkg-deb --build failed');
  renameSync(partial, path);
  writeFileSync(hashFile, `${hash}\n`);
  return { path, rebuilt: true };
}
