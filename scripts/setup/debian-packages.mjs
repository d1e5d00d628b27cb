// Installs missing Debian packages with apt-get. Runs on the machine's own Node, built-ins only.
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync, writeFileSync } from 'node:fs';

function installed(pkg) {
  const result = spawnSync('dpkg-query', ['-W', '-f=${Status}', pkg], { encoding: 'utf8' });
  return result.status === 0 && result.stdout.includes('install ok installed');
}

/** Services the packages we take tools from would start and enable (docker.io brings dockerd and
 * pulls in containerd). Berth wants their binaries (the docker CLI, a reference dockerd the tests
 * start privately), never a system daemon of theirs running beside berthd. */
const DAEMONS = { 'docker.io': ['docker.service', 'docker.socket'], containerd: ['containerd.service'] };

/** policy-rc.d (Debian policy 9.3.3.1) is how invoke-rc.d and deb-systemd-invoke learn not to
 * start services; one is written for the install only if the machine has none. */
const POLICY = '/usr/sbin/policy-rc.d';

export function ensureDebianPackages(packages, log) {
  const missing = packages.filter((pkg) => !installed(pkg));
  if (missing.length === 0) return;
  if (process.getuid?.() !== 0) {
    throw new Error(`missing Debian packages ${missing.join(' ')}; run as root or install them with apt-get`);
  }
  log(`installing Debian packages: ${missing.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const update = spawnSync('apt-get', ['update'], { stdio: 'inherit', env });
  if (update.status !== 0) throw new Error('apt-get update failed');
  // Daemons only of packages this install adds: one the user already had stays as it was.
  const newDaemons = Object.keys(DAEMONS).filter((pkg) => !installed(pkg));
  const ownPolicy = !existsSync(POLICY);
  if (ownPolicy) writeFileSync(POLICY, '#!/bin/sh\n# Written by Berth\'s setup for one apt-get install: start no services.\nexit 101\n', { mode: 0o755 });
  try {
    const install = spawnSync('apt-get', ['install', '-y', '--no-install-recommends', ...missing], { stdio: 'inherit', env });
    if (install.status !== 0) throw new Error(`apt-get install ${missing.join(' ')} failed`);
  } finally {
    if (ownPolicy) rmSync(POLICY, { force: true });
  }
  // The packages also enable their units for the next boot; undo that where we added them.
  const units = newDaemons.filter((pkg) => installed(pkg)).flatMap((pkg) => DAEMONS[pkg]);
  if (units.length > 0 && existsSync('/run/systemd/system')) {
    spawnSync('systemctl', ['disable', '--now', ...units], { stdio: 'ignore' });
    log(`disabled ${units.join(' ')}: Berth uses these packages' tools, not their daemons`);
  }
}
