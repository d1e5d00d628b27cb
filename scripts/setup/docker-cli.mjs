// The docker CLI is Berth's to provide: tests, benchmarks and users drive berthd with the real
// client, and a fresh machine has none. Debian's docker.io package carries one; installing that
// package would also install (and, under systemd, start) dockerd and containerd, so only its
// /usr/bin/docker is taken, from the .deb itself, into .berth/bin/docker. Built-ins only: this
// runs from scripts/bootstrap.mjs on the machine's own Node.
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';

const PACKAGE = 'docker.io';

export function dockerCliPath(root) {
  return join(root, '.berth', 'bin', 'docker');
}

/** The candidate version apt would install, e.g. "20.10.24+dfsg1-1+deb12u1+b6"; '' when apt has no list yet. */
function candidateVersion() {
  const result = spawnSync('apt-cache', ['policy', PACKAGE], { encoding: 'utf8' });
  const candidate = /Candidate:\s*(\S+)/.exec(result.stdout ?? '')?.[1] ?? '';
  return candidate === '(none)' ? '' : candidate;
}

function installedVersion() {
  const result = spawnSync('dpkg-query', ['-W', '-f=${Status}\t${Version}', PACKAGE], { encoding: 'utf8' });
  const [status, version] = (result.stdout ?? '').split('\t');
  return result.status === 0 && status.includes('install ok installed') ? version : '';
}

/** Extracts usr/bin/docker from the package file into `target` (written aside, then renamed). */
function extractFromDeb(debPath, target) {
  const scratch = mkdtempSync(join(target, '..', '.docker-cli-'));
  try {
    const result = spawnSync('sh', ['-c', 'dpkg-deb --fsys-tarfile "$1" | tar -x -C "$2" ./usr/bin/docker', 'extract', debPath, scratch], { stdio: ['ignore', 'ignore', 'inherit'] });
    if (result.status !== 0) throw new Error(`could not extract usr/bin/docker from ${debPath}`);
    renameSync(join(scratch, 'usr', 'bin', 'docker'), target);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

function downloadDeb(dir, log) {
  const download = () => spawnSync('apt-get', ['download', PACKAGE], { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  let result = download();
  if (result.status !== 0) {
    // A fresh machine has no package lists yet.
    log('apt-get update (for the docker CLI)');
    spawnSync('apt-get', ['update'], { stdio: 'inherit' });
    result = download();
  }
  if (result.status !== 0) throw new Error(`apt-get download ${PACKAGE} failed: ${result.stderr?.trim()}`);
  const deb = spawnSync('sh', ['-c', 'ls -1 docker.io_*.deb | head -n 1'], { cwd: dir, encoding: 'utf8' }).stdout.trim();
  if (!deb) throw new Error(`apt-get download ${PACKAGE} wrote no package file`);
  return join(dir, deb);
}

/**
 * Puts Debian's docker CLI at .berth/bin/docker (once per package version) and returns its path.
 * @param {string} root the checkout
 * @param {(message: string) => void} log
 */
export function ensureDockerCli(root, log) {
  const target = dockerCliPath(root);
  const stamp = `${target}.version`;
  const have = existsSync(target) && existsSync(stamp) ? readFileSync(stamp, 'utf8').trim() : '';
  const installed = installedVersion();
  const wanted = installed || candidateVersion();
  if (have && (have === wanted || !wanted)) return target;
  mkdirSync(join(root, '.berth', 'bin'), { recursive: true });
  const partial = `${target}.partial`;
  if (installed && existsSync('/usr/bin/docker')) {
    // The package is on this machine already (the benchmarks install it for dockerd): same file.
    copyFileSync('/usr/bin/docker', partial);
  } else {
    log(`fetching the docker CLI from Debian's ${PACKAGE} package (its daemon is not installed)`);
    const scratch = mkdtempSync(join(root, '.berth', '.docker-deb-'));
    try {
      extractFromDeb(downloadDeb(scratch, log), partial);
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  }
  chmodSync(partial, 0o755);
  renameSync(partial, target);
  writeFileSync(stamp, `${installed || candidateVersion()}\n`);
  return target;
}

function onPath(command) {
  return (process.env.PATH ?? '').split(delimiter).some((dir) => dir && existsSync(join(dir, command)));
}

/**
 * `npm start` leaves a `docker` where the user finds it: a link in /usr/local/bin to Berth's CLI
 * when no docker command is installed (an existing one, or a link of ours, is left as it is).
 * @returns {string | undefined} the link it made
 */
export function offerDockerCli(cli, log) {
  const link = '/usr/local/bin/docker';
  if (process.getuid?.() !== 0) return undefined;
  let ours = false;
  try {
    ours = lstatSync(link).isSymbolicLink() && readlinkSync(link) === cli;
  } catch {
    // No such file: fall through to the PATH check.
  }
  if (ours || onPath('docker')) return undefined;
  mkdirSync('/usr/local/bin', { recursive: true });
  symlinkSync(cli, link);
  log(`linked ${link} -> ${cli} (no docker CLI was installed)`);
  return link;
}
