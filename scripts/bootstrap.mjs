#!/usr/bin/env node
// Entry point for every npm script. It must run on the machine's own Node (Debian 12 ships 20),
// so it uses nothing but Node built-ins: it installs what the project needs (Debian packages,
// the pinned Node runtime, npm packages, the native helper), then hands over to the pinned Node.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureDebianPackages } from './setup/debian-packages.mjs';
import { ensurePinnedNode } from './setup/pinned-node.mjs';
import { ensureNativeHelper } from './setup/native-helper.mjs';
import { ensureDockerCli, offerDockerCli } from './setup/docker-cli.mjs';
import { ensureRendererBuilt } from './setup/renderer-build.mjs';
import { electronMain, electronMissingReason, hasDisplay, installElectronBinary } from './setup/desktop-shell.mjs';
import { buildElectron } from './setup/electron-build.mjs';
import { buildDesktopInstallers } from './dist/desktop-dist.mjs';
import { buildEngineDeb } from './dist/engine-deb.mjs';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const [command = 'start', ...rest] = process.argv.slice(2);

/** Debian packages each command needs: `start` runs containers, `test` adds the fixtures' tools. */
const packagesFor = {
  // docker-compose: the Compose view runs a project's files through it (Debian's docker CLI 20.10
  // has no compose plugin).
  start: ['runc', 'conmon', 'tini', 'procps', 'gcc', 'libc6-dev', 'mount', 'util-linux', 'iproute2', 'iptables', 'netavark', 'aardvark-dns', 'docker-compose'],
  // chromium: the e2e suite drives the dashboard in Debian's /usr/bin/chromium (headless).
  // docker.io, podman, buildah, skopeo: the conformance suite's images are made by these tools
  // (docker.io's dockerd runs only as a private test fixture; setup starts no daemon of theirs).
  // openssl, openssh-server, openssh-client: the remote-engine tests make their own certificates
  // and run a private sshd on 127.0.0.1 in front of a berthd (ssh:// engines, docker system dial-stdio).
  // apache2-utils: htpasswd -B, so registry-credential tests make their registry's bcrypt users.
  test: ['docker-registry', 'busybox-static', 'docker-compose', 'chromium', 'docker.io', 'podman', 'buildah', 'skopeo', 'openssl', 'openssh-server', 'openssh-client', 'apache2-utils'],
  bench: ['docker.io', 'docker-registry', 'busybox-static'],
  // dist:vm (vm-assets/build): squashfs for the system image, Debian's cross gcc for berth-native
  // on arm64, depmod (kmod) and readelf (binutils) to index modules and check shared libraries.
  vm: ['squashfs-tools', 'kmod', 'binutils', 'gcc-aarch64-linux-gnu', 'libc6-dev-arm64-cross'],
  // The VM tests boot both arches under QEMU (TCG); qemu-utils brings qemu-img, so the VM's data
  // disk is the sparse qcow2 users get (without it berth vm falls back to a sparse raw file).
  // docker-compose (in `test`) also drives the VM through its forwarded socket.
  vmTest: ['qemu-system-x86', 'qemu-system-arm', 'qemu-utils'],
};

function log(message) {
  process.stderr.write(`[berth setup] ${message}\n`);
}

function ensureNpmPackages() {
  const marker = join(root, 'node_modules', '.package-lock.json');
  const lock = join(root, 'package-lock.json');
  if (existsSync(marker) && statSync(marker).mtimeMs >= statSync(lock).mtimeMs) return;
  log('installing npm packages (npm ci)');
  const result = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) throw new Error('npm ci failed');
}

/** Debian's docker CLI under .berth/bin (scripts/setup/docker-cli.mjs); set by setup(). */
let dockerCli;

function setup(kind) {
  const wanted = [...packagesFor.start];
  if (kind === 'test' || kind === 'bench') wanted.push(...packagesFor.test);
  if (kind === 'test' || kind === 'vm' || kind === 'bench') wanted.push(...packagesFor.vm);
  if (kind === 'test' || kind === 'bench') wanted.push(...packagesFor.vmTest);
  if (kind === 'bench') wanted.push(...packagesFor.bench);
  ensureDebianPackages([...new Set(wanted)], log);
  const node = ensurePinnedNode(root, log);
  ensureNpmPackages();
  ensureNativeHelper(root, log);
  dockerCli = ensureDockerCli(root, log);
  return node;
}


/** V8 flags berthd runs with (the same in engine/bin/berthd, packaging/berth-engine/berthd,
 * vm-assets/guest/run-berthd and the app's engine launchers): a 1 MiB young generation keeps its
 * idle memory small (the engine allocates in short bursts; a bigger nursery only holds garbage
 * longer); and no Maglev, V8's mid-tier compiler, whose code is memory the engine gains little
 * from. TurboFan stays: without it idle RSS fell further (78.4 -> 67.2 MiB) but `docker load` of
 * 300 MB went 2.08 -> 2.84 s and a fully cached build 278 -> 352 ms (tar and JSON run in JS), a
 * worse trade. Same-run figures, 5 December 2026: idle RSS 77.9 MiB with neither flag, 75.7 MiB
 * with --no-maglev; load 2.18 vs 2.04 s. V8 freezes its flags at start-up, so they must be on
 * the command line. */
const ENGINE_NODE_FLAGS = ['--max-semi-space-size=1', '--no-maglev'];
const engineEntry = join(root, 'engine', '.dist', 'src', 'main.js');

function buildEngine(node) {
  const status = run(node, [join(root, 'scripts', 'build-engine.mjs')]);
  if (status !== 0) throw new Error('building the engine into engine/.dist failed');
  // Tests and benchmarks start the same built engine a user runs.
  return { BERTH_ENGINE_ENTRY: engineEntry, BERTH_ENGINE_NODE_FLAGS: ENGINE_NODE_FLAGS.join(' ') };
}

function run(node, args, extraEnv = {}) {
  const result = spawnSync(node, ['--disable-warning=ExperimentalWarning', ...args], {
    cwd: root,
    stdio: 'inherit',
    // .berth/bin first: the docker CLI tests, benchmarks and scripts run is the project's own.
    env: { ...process.env, ...extraEnv, BERTH_NODE: node, PATH: `${dirname(node)}:${dirname(dockerCli)}:${process.env.PATH}` },
  });
  if (result.error) throw result.error;
  return result.status ?? 1;
}

const bin = (pkg, file) => join(root, 'node_modules', pkg, file);
const berthCli = join(root, 'app', 'src', 'backend', 'cli', 'berth.ts');

/** `berth …` from the checkout: the engine and the UI built first, so the dashboard serves the current code. */
function runBerth(node, args) {
  const engineEnv = buildEngine(node);
  ensureRendererBuilt(root, node, log);
  return run(node, [berthCli, ...args], engineEnv);
}

/** `npm start`: the Electron app when it can open here, else the dashboard with Berth's own engine. */
function start(node) {
  offerDockerCli(dockerCli, log);
  // The binary download is attempted only where a window could open (it needs the network).
  const electron = hasDisplay() && electronMain(root) ? installElectronBinary(root, node, log) : undefined;
  if (electron) {
    const engineEnv = buildEngine(node);
    ensureRendererBuilt(root, node, log);
    buildElectron(node, root, log);
    const result = spawnSync(electron, [join(root, 'app')], { cwd: root, stdio: 'inherit', env: { ...process.env, ...engineEnv, BERTH_NODE: node } });
    return result.status ?? 1;
  }
  const why = hasDisplay() ? electronMissingReason(root) ?? 'the app has no Electron entry' : 'no display (DISPLAY or WAYLAND_DISPLAY)';
  process.stderr.write(`No Electron window here (${why}): serving the dashboard instead — open the URL below\n`);
  return runBerth(node, ['dashboard', '--manage-engine', '--port', '7780', ...rest]);
}

function main() {
  switch (command) {
    case 'setup':
      setup('test');
      return 0;
    case 'start':
      return start(setup('start'));
    case 'berth':
      return runBerth(setup('start'), rest);
    case 'berthd': {
      const node = setup('start');
      buildEngine(node);
      return run(node, [...ENGINE_NODE_FLAGS, engineEntry, ...rest]);
    }
    case 'lint': {
      const node = setup('start');
      return run(node, [bin('eslint', 'bin/eslint.js'), '.', ...rest]);
    }
    case 'typecheck': {
      const node = setup('start');
      return run(node, [bin('typescript', 'bin/tsc'), '-p', 'tsconfig.json', ...rest]);
    }
    case 'test': {
      const node = setup('test');
      for (const step of [
        [bin('typescript', 'bin/tsc'), '-p', 'tsconfig.json'],
        [bin('typescript', 'bin/tsc'), '-p', join('app', 'src', 'renderer', 'tsconfig.json')],
        [bin('eslint', 'bin/eslint.js'), '.'],
      ]) {
        const status = run(node, step);
        if (status !== 0) return status;
      }
      const engineEnv = buildEngine(node);
      ensureRendererBuilt(root, node, log);
      return run(node, [bin('vitest', 'vitest.mjs'), 'run', ...rest], engineEnv);
    }
    case 'dist': {
      // Installers of the desktop app for this platform (electron-builder.yml).
      const node = setup('start');
      buildEngine(node);
      ensureRendererBuilt(root, node, log);
      buildElectron(node, root, log);
      return buildDesktopInstallers({ root, node, log });
    }
    case 'dist:engine': {
      // dist/berth-engine_<version>_amd64.deb: the engine, its Node, the CLI and a systemd unit.
      const node = setup('start');
      buildEngine(node);
      const { path } = buildEngineDeb({ root, node, log });
      log(`wrote ${path} (${(statSync(path).size / 1e6).toFixed(1)} MB)`);
      return 0;
    }
    case 'dist:vm': {
      // dist/vm/<arch>/: the Berth VM's kernel, initramfs and system image (vm-assets/build).
      const node = setup('vm');
      buildEngine(node);
      return run(node, [join(root, 'vm-assets', 'build', 'build-vm.mjs'), ...rest]);
    }
    case 'bench': {
      const node = setup('bench');
      const engineEnv = buildEngine(node);
      ensureRendererBuilt(root, node, log);
      return run(node, [join(root, 'bench', 'run.ts'), ...rest], engineEnv);
    }
    default:
      log(`unknown command ${command}`);
      return 2;
  }
}

mkdirSync(join(root, '.berth'), { recursive: true });
// Some commands (dist) finish asynchronously.
Promise.resolve()
  .then(main)
  .then((status) => {
    process.exitCode = status;
  }, (error) => {
    log(error instanceof Error ? error.message : String(error));
    process.exitCode = 1;
  });
