// `npm run dist`: the desktop app's installers for this platform with electron-builder
// (electron-builder.yml: AppImage + deb on Linux, dmg on macOS, nsis on Windows). electron-builder
// downloads the Electron release zip for the target; machines without that network access must
// hear so at once, in plain words, instead of waiting on a download that cannot happen.
// Built-ins only: this runs from scripts/bootstrap.mjs (on the system Node).
import { spawn } from 'node:child_process';
import { cpSync, existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { nativeHelperPath } from '../setup/native-helper.mjs';
import { pinnedNodePath } from '../setup/pinned-node.mjs';
import { stageEngine } from './component-bundles.mjs';

/** Where electron-builder.yml's extraResources expects the engine bundle. */
export const ENGINE_BUNDLE_DIR = join('.berth', 'dist-stage', 'engine-bundle');

/** Where electron-builder.yml's extraResources expects the VM's guest, one folder per target arch
 * under electron-builder's name for it (its ${arch} macro: x64, arm64); the app finds it in
 * resources/vm (app/src/backend/vm/vm-host.ts). */
export const VM_STAGE_DIR = join('.berth', 'dist-stage', 'vm');

/** electron-builder's arch names → the guest's (dist/vm/<arch> from `npm run dist:vm`). */
export const VM_ARCH_FOR = { x64: 'amd64', arm64: 'arm64' };

/**
 * Copies dist/vm/<guest arch> to <targetDir>/<electron-builder arch> for every guest built. The
 * copy (not a link) leaves dist/vm alone. Throws when `required` (the arch being packaged) is
 * missing, so an installer never ships without the VM that macOS and Windows run their engine in.
 * @returns {string[]} the electron-builder arches staged
 */
export function stageVmAssets(root, targetDir, required = process.arch) {
  rmSync(targetDir, { recursive: true, force: true });
  const staged = [];
  for (const [builderArch, vmArch] of Object.entries(VM_ARCH_FOR)) {
    const from = join(root, 'dist', 'vm', vmArch);
    if (!existsSync(join(from, 'system.img'))) continue;
    cpSync(from, join(targetDir, builderArch), { recursive: true });
    staged.push(builderArch);
  }
  if (required && VM_ARCH_FOR[required] && !staged.includes(required)) {
    throw new Error(`the VM's guest for ${VM_ARCH_FOR[required]} is missing (dist/vm/${VM_ARCH_FOR[required]}): run npm run dist:vm ${VM_ARCH_FOR[required]} first`);
  }
  return staged;
}

const PLATFORMS = { linux: 'linux', darwin: 'darwin', win32: 'win32' };

/** The Electron release electron-builder fetches: version from the installed electron package. */
export function electronRelease(root, platform = process.platform, arch = process.arch) {
  const manifest = join(root, 'node_modules', 'electron', 'package.json');
  if (!existsSync(manifest)) throw new Error('the electron npm package is not installed (npm ci installs it as a devDependency of app/)');
  const { version } = JSON.parse(readFileSync(manifest, 'utf8'));
  if (!PLATFORMS[platform]) throw new Error(`electron-builder.yml has no target for ${platform}`);
  const zip = `electron-v${version}-${PLATFORMS[platform]}-${arch}.zip`;
  // @electron/get's defaults, which electron-builder follows: ELECTRON_MIRROR replaces the host.
  const mirror = process.env.ELECTRON_MIRROR ?? 'https://github.com/electron/electron/releases/download/';
  return { version, zip, url: `${mirror}${mirror.endsWith('/') ? '' : '/'}v${version}/${zip}` };
}

/** @electron/get's cache: $ELECTRON_CACHE, else the per-OS cache folder. */
export function electronCacheDir(env = process.env, platform = process.platform) {
  if (env.ELECTRON_CACHE) return env.ELECTRON_CACHE;
  if (platform === 'darwin') return join(homedir(), 'Library', 'Caches', 'electron');
  if (platform === 'win32') return join(env.LOCALAPPDATA ?? join(homedir(), 'AppData', 'Local'), 'electron', 'Cache');
  return join(env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'electron');
}

/** The cached zip, when an earlier download left one (the cache keeps it in a hashed subfolder). */
export function cachedElectronZip(cacheDir, zip) {
  if (!existsSync(cacheDir)) return undefined;
  if (existsSync(join(cacheDir, zip))) return join(cacheDir, zip);
  for (const entry of readdirSync(cacheDir, { withFileTypes: true })) {
    if (entry.isDirectory() && existsSync(join(cacheDir, entry.name, zip))) return join(cacheDir, entry.name, zip);
  }
  return undefined;
}

/** Why the download cannot happen, or undefined when the release answers (a HEAD, 15 s at most). */
export async function electronDownloadProblem(url, timeoutMs = 15_000) {
  try {
    const response = await fetch(url, { method: 'HEAD', redirect: 'follow', signal: AbortSignal.timeout(timeoutMs) });
    return response.ok ? undefined : `the server answered ${response.status} ${response.statusText}`;
  } catch (error) {
    const cause = error?.cause?.code ?? error?.cause?.message ?? error?.name;
    return error?.name === 'TimeoutError' ? `no answer within ${timeoutMs / 1000} s` : `it cannot be reached (${cause ?? error?.message})`;
  }
}

function noElectronMessage(release, cacheDir, problem) {
  return [
    `npm run dist needs the Electron ${release.version} release for this platform, and this machine cannot download it:`,
    `  ${release.url}: ${problem}.`,
    'Run npm run dist on a machine with access to it, or put',
    `  ${release.zip} into ${cacheDir} (or set ELECTRON_MIRROR to a mirror this machine reaches).`,
    'npm run dist:engine (the berth-engine .deb) needs no download.',
  ].join('\n');
}

/** Lines electron-builder prints when a download failed (@electron/get and its HTTP client). */
const DOWNLOAD_FAILURE = /(ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|getaddrinfo|cannot download|unable to download|download failed)/i;

/**
 * Stages the engine bundle and runs electron-builder for this platform. The caller has built
 * engine/.dist, the renderer and the Electron main/preload.
 * @returns {Promise<number>} electron-builder's exit status
 */
export async function buildDesktopInstallers({ root, node, log }) {
  const release = electronRelease(root);
  const cacheDir = electronCacheDir();
  if (!process.env.BERTH_SKIP_ELECTRON_PROBE && !cachedElectronZip(cacheDir, release.zip)) {
    const problem = await electronDownloadProblem(release.url);
    if (problem) throw new Error(noElectronMessage(release, cacheDir, problem));
  }
  for (const [what, path] of [['the pinned Node runtime', pinnedNodePath(root)], ['the native helper', nativeHelperPath(root)]]) {
    if (process.platform === 'linux' && !existsSync(path)) throw new Error(`${what} is missing (${path}): run npm run setup`);
  }
  log(`staging the engine bundle into ${ENGINE_BUNDLE_DIR}`);
  stageEngine(root, join(root, ENGINE_BUNDLE_DIR));
  log(`staging the VM's guest into ${VM_STAGE_DIR}: ${stageVmAssets(root, join(root, VM_STAGE_DIR)).join(', ')}`);
  log(`running electron-builder for ${process.platform}-${process.arch} (Electron ${release.version})`);
  const cli = join(root, 'node_modules', 'electron-builder', 'cli.js');
  const child = spawn(node, [cli, '--config', 'electron-builder.yml', '--publish', 'never'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let tail = '';
  for (const [stream, out] of [[child.stdout, process.stdout], [child.stderr, process.stderr]]) {
    stream.on('data', (chunk) => {
      out.write(chunk);
      tail = (tail + chunk.toString()).slice(-20_000);
    });
  }
  const status = await new Promise((resolve) => child.on('close', (code) => resolve(code ?? 1)));
  if (status !== 0 && DOWNLOAD_FAILURE.test(tail)) throw new Error(noElectronMessage(release, cacheDir, 'electron-builder could not download it (see above)'));
  return status;
}
