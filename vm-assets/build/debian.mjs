// Debian packages for the guest, per arch: downloaded with apt-get (arm64 through apt's
// multiarch, `dpkg --add-architecture arm64`) into a cache keyed by file name (name_version_arch),
// and unpacked with dpkg-deb -x. Nothing here runs code of the target arch.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';

/** Debian's name for each arch (the npm packages of Node use x64/arm64). */
export const ARCHES = {
  amd64: { node: 'x64', gnu: 'x86_64-linux-gnu', qemu: 'x86_64', console: 'ttyS0' },
  arm64: { node: 'arm64', gnu: 'aarch64-linux-gnu', qemu: 'aarch64', console: 'ttyAMA0' },
};

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, ...options });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed: ${(result.stderr || result.error?.message || '').trim()}`);
  return result.stdout;
}

/** arm64 packages need the foreign architecture registered once (and an apt-get update). */
export function ensureForeignArch(arch, log) {
  const native = run('dpkg', ['--print-architecture']).trim();
  if (arch === native) return;
  const foreign = run('dpkg', ['--print-foreign-architectures']).split('\n');
  if (foreign.includes(arch)) return;
  if (process.getuid?.() !== 0) throw new Error(`apt does not know the ${arch} architecture yet: run as root, or 'dpkg --add-architecture ${arch} && apt-get update'`);
  log(`adding the ${arch} architecture to dpkg and updating apt's lists`);
  run('dpkg', ['--add-architecture', arch]);
  run('apt-get', ['update', '-q']);
}

/** Packages of architecture "all": apt names them without an arch qualifier. */
const ARCH_ALL = new Set(['ca-certificates']);
const qualified = (name, arch) => (ARCH_ALL.has(name) ? name : `${name}:${arch}`);

/** name → candidate version for `name:arch`, as apt would install it. */
export function candidateVersions(names, arch) {
  const out = run('apt-cache', ['policy', ...names.map((n) => qualified(n, arch))], { env: { ...process.env, LC_ALL: 'C' } });
  const versions = {};
  let current;
  for (const line of out.split('\n')) {
    const head = /^(\S+?)(?::\w+)?:$/.exec(line);
    if (head) current = head[1];
    const cand = /^\s+Candidate: (\S+)/.exec(line);
    if (cand && current) {
      if (cand[1] === '(none)') throw new Error(`Debian package ${current} (${arch}) has no candidate: apt-get update?`);
      versions[current] = cand[1];
    }
  }
  for (const n of names) if (!versions[n.split(':')[0]]) throw new Error(`apt knows no package ${n} for ${arch}`);
  return versions;
}

/** The .deb file apt-get download writes: epochs are spelled %3a. */
const debFileName = (name, version, arch) => `${name}_${version.replace(':', '%3a')}_${arch}.deb`;

/** Downloads what is not cached yet; returns { name: path }. Arch "all" packages (ca-certificates)
 * come under their own arch in the file name. */
export function downloadDebs(names, arch, cacheDir, log) {
  const versions = candidateVersions(names, arch);
  mkdirSync(cacheDir, { recursive: true });
  const paths = {};
  const missing = [];
  for (const [name, version] of Object.entries(versions)) {
    const found = [arch, 'all'].map((a) => join(cacheDir, debFileName(name, version, a))).find((p) => existsSync(p));
    if (found) paths[name] = found;
    else missing.push(`${qualified(name, arch)}=${version}`);
  }
  if (missing.length > 0) {
    log(`downloading ${missing.length} Debian packages for ${arch}`);
    const tmp = join(cacheDir, '.partial');
    rmSync(tmp, { recursive: true, force: true });
    mkdirSync(tmp, { recursive: true });
    // apt's _apt sandbox user cannot write to our cache; the warning about it is expected.
    run('apt-get', ['download', '-q', '-o', 'APT::Sandbox::User=root', ...missing], { cwd: tmp });
    for (const file of readdirSync(tmp)) renameSync(join(tmp, file), join(cacheDir, file));
    rmSync(tmp, { recursive: true, force: true });
    return downloadDebs(names, arch, cacheDir, () => {});
  }
  return { paths, versions };
}

export function extractDeb(deb, into) {
  mkdirSync(into, { recursive: true });
  run('dpkg-deb', ['-x', deb, into]);
}

/** The kernel package the generic metapackage (linux-image-amd64 / linux-image-arm64) points at. */
export function kernelPackage(arch) {
  const out = run('apt-cache', ['depends', `linux-image-${arch}:${arch}`]);
  const m = /Depends: (linux-image-[\d.]+-\d+-[a-z0-9]+)(?::\w+)?/.exec(out);
  if (!m) throw new Error(`cannot tell which kernel linux-image-${arch} depends on`);
  return m[1];
}
