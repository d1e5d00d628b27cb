#!/usr/bin/env node
// `npm run dist:vm [amd64|arm64…]`: the Berth VM's guest for each arch into dist/vm/<arch>/ —
// vmlinuz (Debian's generic kernel), initramfs.img (busybox, the modules that reach the system
// image, stage 1 of the init), system.img (squashfs: Node, the engine, the agent, runc, conmon,
// netavark… from Debian 12 packages and the npm registry) and manifest.json (versions, sizes,
// sha256). Cached by a hash of every input: with nothing changed a run takes seconds. Runs on the
// pinned Node (it strips the agent's types with Node's own stripper).
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, renameSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { stripTypeScriptTypes } from 'node:module';
import { gzipSync } from 'node:zlib';
import { basename, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureEngineBuilt, stageEngine } from '../../scripts/dist/component-bundles.mjs';
import { PINNED_NODE_VERSION } from '../../scripts/setup/pinned-node.mjs';
import { cpioGz } from './cpio.mjs';
import { ARCHES, downloadDebs, ensureForeignArch, extractDeb, kernelPackage } from './debian.mjs';
import { builtinNames, depmod, loadOrder, readModulesDep, selectModules } from './kernel-modules.mjs';
import { checkSharedLibraries, linkAlternatives, linkApplets, makeSkeleton, mergeUnpacked, walk, writeCaBundle, writeEtc } from './rootfs.mjs';

const root = dirname(dirname(dirname(fileURLToPath(import.meta.url))));
const assets = join(root, 'vm-assets');
/** Fixed time for every file, so the same inputs give the same bytes (reproducible-builds.org). */
const EPOCH = Number(process.env.SOURCE_DATE_EPOCH ?? 1735689600);

/** What the guest runs, from Debian 12. Libraries are listed too: checkSharedLibraries fails the
 * build if a program's library is missing, so this list cannot silently fall short. */
const GUEST_PACKAGES = [
  'busybox-static', 'runc', 'conmon', 'netavark', 'aardvark-dns', 'iptables', 'tini', 'e2fsprogs', 'mount', 'kmod',
  'ca-certificates', 'libc6', 'libgcc-s1', 'libstdc++6', 'libseccomp2', 'libglib2.0-0', 'libffi8', 'libpcre2-8-0',
  'libsystemd0', 'libcap2', 'libgcrypt20', 'libgpg-error0', 'liblz4-1', 'liblzma5', 'libzstd1', 'zlib1g',
  'libip4tc2', 'libip6tc2', 'libxtables12', 'libnftnl11', 'libmnl0', 'libnetfilter-conntrack3', 'libnfnetlink0',
  'libext2fs2', 'libcom-err2', 'libss2', 'libblkid1', 'libuuid1', 'libmount1', 'libselinux1', 'libsmartcols1',
  'libkmod2', 'libssl3', 'libacl1', 'logsave',
  // What berthd runs besides the runtime (engine/src/platform/linux): unshare (netns), ip
  // (bridge anchors), ps (docker top), mount/umount; and their libraries.
  'util-linux', 'procps', 'iproute2', 'libproc2-0', 'libncursesw6', 'libtinfo6', 'libbpf1', 'libelf1', 'libdb5.3',
  'libbsd0', 'libmd0', 'libcap-ng0', 'libaudit1', 'libpam0g', 'libcrypt1', 'libudev1', 'libtirpc3', 'libgssapi-krb5-2', 'libkrb5-3', 'libk5crypto3', 'libkrb5support0', 'libkeyutils1',
];

/** Kernel modules in the system image: whole directories plus named ones, with dependencies. */
const MODULE_DIRS = [
  'kernel/net/netfilter/', 'kernel/net/ipv4/netfilter/', 'kernel/net/ipv6/netfilter/', 'kernel/net/bridge/',
  'kernel/net/9p/', 'kernel/fs/9p/', 'kernel/drivers/virtio/', 'kernel/net/vmw_vsock/',
];
const MODULE_NAMES = {
  common: ['virtio_pci', 'virtio_blk', 'virtio_net', 'virtio_rng', 'virtio_console', 'squashfs', 'overlay', 'ext4', 'crc32c_generic', 'fuse',
    'veth', 'bridge', 'br_netfilter', 'vxlan', 'macvlan', 'ipvlan', 'tun', 'dummy', 'qemu_fw_cfg', 'evdev'],
  amd64: ['button'],
  arm64: ['gpio_keys', 'gpio_pl061'],
};
/** What berthd's first network setup makes the kernel load on demand (iptables-nft, netavark's
 * bridge and veth); loaded by stage 2 in one modprobe while Node starts, off berthd's path. */
const NETWORK_MODULES = ['nf_tables', 'nft_compat', 'nft_chain_nat', 'xt_MASQUERADE', 'xt_conntrack', 'xt_comment', 'xt_mark',
  'xt_addrtype', 'veth', 'bridge', 'br_netfilter'];
/** Loaded by stage 1 (to reach the system image) and stage 2 (what nothing loads on demand). */
const INITRAMFS_MODULES = ['virtio_pci', 'virtio_blk', 'squashfs', 'overlay'];
const BOOT_MODULES = {
  common: ['virtio_net', 'crc32c_generic', 'ext4', 'qemu_fw_cfg', 'virtio_rng', 'virtio_balloon', 'evdev', '9pnet_virtio', '9p'],
  amd64: ['button'],
  arm64: ['gpio_pl061', 'gpio_keys'],
};

function sh(command, args, options = {}) {
  const result = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, ...options });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed: ${(result.stderr || result.error?.message || '').trim()}`);
  return result.stdout;
}

const sha256 = (data) => createHash('sha256').update(data).digest('hex');
const sha256File = (path) => sha256(readFileSync(path));

/** Hash of a tree: relative paths, link targets and file contents, in sorted order. */
function hashTree(hash, dir, filter = () => true) {
  for (const path of walk(dir)) {
    if (!filter(path)) continue;
    const info = lstatSync(path);
    hash.update(`${relative(dir, path)}\0${info.mode & 0o111 ? 'x' : '-'}\0`);
    if (info.isSymbolicLink()) hash.update(readlinkSync(path));
    else if (info.isFile()) hash.update(readFileSync(path));
  }
}

const isTest = (path) => /\.test\.ts$/.test(path) || basename(path).startsWith('test-');

/** node-linux-<arch> from the npm registry, cached as its tarball. */
function nodeTarball(arch, cacheDir, log) {
  const spec = `node-linux-${ARCHES[arch].node}@${PINNED_NODE_VERSION}`;
  const file = join(cacheDir, `node-linux-${ARCHES[arch].node}-${PINNED_NODE_VERSION}.tgz`);
  if (existsSync(file)) return file;
  log(`fetching ${spec} from the npm registry`);
  mkdirSync(cacheDir, { recursive: true });
  sh('npm', ['pack', '--silent', '--pack-destination', cacheDir, spec]);
  if (!existsSync(file)) throw new Error(`npm pack ${spec} wrote no ${basename(file)}`);
  return file;
}

function inputHash(arch, debs, nodeTgz) {
  const hash = createHash('sha256');
  hash.update(`epoch ${EPOCH}\0node ${basename(nodeTgz)}\0`);
  for (const path of Object.values(debs).sort()) hash.update(`${basename(path)}\0`);
  hashTree(hash, join(assets, 'build'));
  hashTree(hash, join(assets, 'guest'));
  hashTree(hash, join(assets, 'agent'), (p) => !isTest(p));
  hash.update(readFileSync(join(root, 'native', 'berth-native.c')));
  hashTree(hash, join(root, 'engine', '.dist', 'src'));
  hash.update(readFileSync(join(root, 'engine', 'package.json')));
  hash.update(readFileSync(join(root, 'package-lock.json')));
  hash.update(arch);
  return hash.digest('hex');
}

/** The agent's TypeScript as JavaScript, the way scripts/build-engine.mjs builds the engine. */
function buildAgent(target) {
  const source = join(assets, 'agent');
  mkdirSync(target, { recursive: true });
  for (const name of readdirSync(source).sort()) {
    if (!name.endsWith('.ts') || isTest(name)) continue;
    const code = stripTypeScriptTypes(readFileSync(join(source, name), 'utf8'), { mode: 'strip' });
    writeFileSync(join(target, name.replace(/\.ts$/, '.js')), code.replace(/((?:from|import)\s*\(?\s*['"])(\.{1,2}\/[^'"]+)\.ts(['"])/g, '$1$2.js$3'));
  }
  writeFileSync(join(target, 'package.json'), '{ "type": "module" }\n');
}

function buildNative(arch, output) {
  const cc = arch === 'amd64' ? 'gcc' : `${ARCHES[arch].gnu}-gcc`;
  sh(cc, ['-O2', '-Wall', '-Werror', '-o', output, join(root, 'native', 'berth-native.c')]);
}

function modulesFor(table, arch) {
  return [...table.common, ...(table[arch] ?? [])];
}

function buildArch(arch, log) {
  const started = Date.now();
  ensureForeignArch(arch, log);
  const cache = join(root, '.berth', 'vm-cache');
  const kernelName = kernelPackage(arch);
  const { paths: debs, versions } = downloadDebs([kernelName, ...GUEST_PACKAGES], arch, join(cache, 'debs', arch), log);
  const nodeTgz = nodeTarball(arch, join(cache, 'npm'), log);
  const hash = inputHash(arch, debs, nodeTgz);
  const out = join(root, 'dist', 'vm', arch);
  const manifestPath = join(out, 'manifest.json');
  if (existsSync(manifestPath)) {
    const old = JSON.parse(readFileSync(manifestPath, 'utf8'));
    const intact = Object.values(old.parts ?? {}).every((p) => existsSync(join(out, p.file)) && statSync(join(out, p.file)).size === p.size);
    if (old.inputHash === hash && intact) {
      log(`${arch}: up to date (${manifestPath})`);
      return old;
    }
  }
  log(`${arch}: building the guest image`);
  const work = join(root, '.berth', 'vm-work', arch);
  rmSync(work, { recursive: true, force: true });
  const unpacked = (name) => join(work, 'debs', name);
  for (const [name, path] of Object.entries(debs)) extractDeb(path, unpacked(name));

  // Kernel and its module index (depmod reads modules of either arch without running them).
  const kernelVersion = readdirSync(join(unpacked(kernelName), 'lib', 'modules'))[0];
  const kernelModules = join(unpacked(kernelName), 'lib', 'modules', kernelVersion);
  depmod(unpacked(kernelName), kernelVersion);
  const modules = readModulesDep(kernelModules);
  const builtin = builtinNames(kernelModules);

  const rootfs = join(work, 'rootfs');
  makeSkeleton(rootfs);
  for (const name of GUEST_PACKAGES) mergeUnpacked(unpacked(name), rootfs);
  const guestModules = join(rootfs, 'usr', 'lib', 'modules', kernelVersion);
  const selected = selectModules(modules, builtin, { dirs: MODULE_DIRS, names: modulesFor(MODULE_NAMES, arch) });
  for (const { path } of selected) {
    mkdirSync(dirname(join(guestModules, path)), { recursive: true });
    copyFileSync(join(kernelModules, path), join(guestModules, path));
  }
  for (const file of ['modules.builtin', 'modules.builtin.modinfo', 'modules.order']) copyFileSync(join(kernelModules, file), join(guestModules, file));
  depmod(rootfs, kernelVersion);

  linkAlternatives(rootfs);
  linkApplets(rootfs);
  symlinkSync('../bin/busybox', join(rootfs, 'usr', 'sbin', 'init'));
  sh('tar', ['-xzf', nodeTgz, '-C', work, 'package/bin/node']);
  renameSync(join(work, 'package', 'bin', 'node'), join(rootfs, 'usr', 'bin', 'node'));
  const lib = join(rootfs, 'usr', 'lib', 'berth');
  stageEngine(root, join(lib, 'engine'));
  buildNative(arch, join(lib, 'berth-native'));
  buildAgent(join(lib, 'agent'));
  const guest = join(lib, 'guest');
  mkdirSync(guest, { recursive: true });
  for (const name of ['rc.start', 'rc.stop', 'run-berthd', 'run-agent']) copyFileSync(join(assets, 'guest', name), join(guest, name));
  writeFileSync(join(guest, 'modules.boot'), `${modulesFor(BOOT_MODULES, arch).join('\n')}\n`);
  writeFileSync(join(guest, 'modules.network'), `${NETWORK_MODULES.join('\n')}\n`);
  copyFileSync(join(assets, 'guest', 'inittab'), join(rootfs, 'etc', 'inittab'));
  writeEtc(rootfs, `PRETTY_NAME="Berth VM (Debian 12 packages, ${arch})"\nNAME="Berth VM"\nID=berth\nID_LIKE=debian\nVERSION_ID="${JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version}"\n`);
  const certificates = writeCaBundle(rootfs);
  const elfCount = checkSharedLibraries(rootfs, ARCHES[arch].gnu);

  const stage = join(out, '.partial');
  rmSync(stage, { recursive: true, force: true });
  mkdirSync(stage, { recursive: true });
  // squashfs with zstd: decompresses fast, which matters most under TCG; fixed times, root owner,
  // no xattrs and -reproducible make the image a function of the tree.
  sh('mksquashfs', [rootfs, join(stage, 'system.img'), '-noappend', '-quiet', '-comp', 'zstd', '-b', '256K', '-all-root', '-no-xattrs',
    '-reproducible', '-mkfs-time', String(EPOCH), '-all-time', String(EPOCH)], { env: withoutSourceDateEpoch() });

  // Stage 1: busybox, the modules that reach the system image, and the init script.
  const busybox = readFileSync(join(unpacked('busybox-static'), 'bin', 'busybox'));
  const initModules = loadOrder(modules, builtin, INITRAMFS_MODULES);
  const entries = [
    { path: 'bin', type: 'dir' }, { path: 'bin/busybox', type: 'file', data: busybox },
    ...['sh', 'mount', 'umount', 'mkdir', 'insmod', 'switch_root', 'cat', 'echo', 'usleep', 'sleep', 'ls'].map((a) => ({ path: `bin/${a}`, type: 'symlink', target: 'busybox' })),
    { path: 'dev', type: 'dir' }, { path: 'dev/console', type: 'chardev', mode: 0o600, major: 5, minor: 1 },
    { path: 'init', type: 'file', data: readFileSync(join(assets, 'guest', 'initramfs-init')) },
    { path: 'modules', type: 'dir' },
    ...initModules.map((m) => ({ path: `modules/${basename(m.path)}`, type: 'file', mode: 0o644, data: readFileSync(join(kernelModules, m.path)) })),
    { path: 'modules.load', type: 'file', mode: 0o644, data: Buffer.from(initModules.map((m) => `${basename(m.path)}\n`).join('')) },
  ].sort((a, b) => (a.path < b.path ? -1 : 1));
  writeFileSync(join(stage, 'initramfs.img'), cpioGz(entries, EPOCH));
  // Debian's arm64 "vmlinuz" is the uncompressed Image (33 MB); QEMU's arm loader takes it
  // gzipped just as well (and the bootloader's job of unpacking it is QEMU's there).
  const kernelImage = readFileSync(join(unpacked(kernelName), 'boot', `vmlinuz-${kernelVersion}`));
  writeFileSync(join(stage, 'vmlinuz'), arch === 'arm64' ? gzipSync(kernelImage, { level: 9 }) : kernelImage);

  const parts = {};
  for (const [part, file] of [['kernel', 'vmlinuz'], ['initramfs', 'initramfs.img'], ['system', 'system.img']]) {
    parts[part] = { file, size: statSync(join(stage, file)).size, sha256: sha256File(join(stage, file)) };
  }
  const manifest = {
    arch,
    inputHash: hash,
    sourceDateEpoch: EPOCH,
    kernel: { package: kernelName, version: versions[kernelName], release: kernelVersion, console: ARCHES[arch].console },
    node: PINNED_NODE_VERSION,
    packages: Object.fromEntries(GUEST_PACKAGES.map((n) => [n, versions[n]])),
    modules: { initramfs: initModules.map((m) => m.name), image: selected.length },
    counts: { elfFiles: elfCount, caCertificates: certificates },
    rootfsBytes: treeBytes(rootfs),
    parts,
  };
  writeFileSync(join(stage, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  for (const file of readdirSync(stage)) renameSync(join(stage, file), join(out, file));
  rmSync(stage, { recursive: true, force: true });
  rmSync(work, { recursive: true, force: true });
  log(`${arch}: kernel ${mb(parts.kernel.size)}, initramfs ${mb(parts.initramfs.size)}, system ${mb(parts.system.size)} (${mb(manifest.rootfsBytes)} unpacked) in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  return manifest;
}

/** mksquashfs refuses SOURCE_DATE_EPOCH together with its own time options, which say the same. */
function withoutSourceDateEpoch() {
  const env = { ...process.env };
  delete env.SOURCE_DATE_EPOCH;
  return env;
}

const mb = (n) => `${(n / 1e6).toFixed(1)} MB`;
function treeBytes(dir) {
  let total = 0;
  for (const path of walk(dir)) {
    const info = lstatSync(path);
    if (info.isFile()) total += info.size;
  }
  return total;
}

export function buildVm(arches, log) {
  // The guest carries engine/.dist: a build from a checkout whose engine changed since its last
  // build (a bare test run) would otherwise ship a stale berthd next to a newer guest init.
  ensureEngineBuilt(root, process.execPath, log);
  return arches.map((arch) => {
    if (!ARCHES[arch]) throw new Error(`unknown arch ${arch} (amd64 or arm64)`);
    return buildArch(arch, log);
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const arches = process.argv.slice(2).length ? process.argv.slice(2) : Object.keys(ARCHES);
  try {
    buildVm(arches, (m) => process.stderr.write(`[berth dist:vm] ${m}\n`));
  } catch (error) {
    process.stderr.write(`[berth dist:vm] ${error instanceof Error ? error.message : error}\n`);
    process.exitCode = 1;
  }
}
