// Assembling the guest's system tree from unpacked Debian packages: merged /usr (bin, sbin and
// lib become links into /usr, as on a current Debian), documentation and service-manager files
// dropped, busybox applets linked where no real program exists, and a check that every ELF file's
// shared libraries are in the tree.
import { spawnSync } from 'node:child_process';
import { closeSync, cpSync, existsSync, lstatSync, mkdirSync, openSync, readdirSync, readSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const MERGED = { bin: 'usr/bin', sbin: 'usr/sbin', lib: 'usr/lib', lib64: 'usr/lib64' };
const DROP = [
  'usr/share/doc', 'usr/share/man', 'usr/share/info', 'usr/share/locale', 'usr/share/lintian', 'usr/share/bug',
  'usr/share/bash-completion', 'usr/share/zsh', 'usr/share/fish', 'usr/share/initramfs-tools', 'usr/share/gdb',
  'etc/init.d', 'etc/cron.d', 'etc/cron.daily', 'etc/logrotate.d', 'lib/systemd', 'usr/lib/systemd', 'etc/systemd',
  'usr/share/debconf', 'usr/share/pkgconfig', 'usr/include', 'usr/share/glib-2.0',
];
/** Per-multiarch-directory drops: glibc's iconv modules (nothing converts character sets) and
 * tc's ATM queueing plugin (its library is not worth shipping). */
const DROP_MULTIARCH = ['gconv', 'tc/q_atm.so'];

export function* walk(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const path = join(dir, entry.name);
    yield path;
    if (entry.isDirectory()) yield* walk(path);
  }
}

export function makeSkeleton(rootfs) {
  for (const dir of ['usr/bin', 'usr/sbin', 'usr/lib', 'usr/lib64', 'etc', 'proc', 'sys', 'dev', 'run', 'tmp', 'var/lib/berth', 'var/log', 'root', 'mnt']) {
    mkdirSync(join(rootfs, dir), { recursive: true });
  }
  for (const [link, target] of Object.entries(MERGED)) symlinkSync(target, join(rootfs, link));
  symlinkSync('/run', join(rootfs, 'var/run'));
}

/** Copies an unpacked package into the tree, mapping /bin, /sbin, /lib… into /usr. */
export function mergeUnpacked(unpacked, rootfs) {
  for (const drop of DROP) rmSync(join(unpacked, drop), { recursive: true, force: true });
  const multiarch = join(unpacked, 'usr', 'lib');
  if (existsSync(multiarch)) {
    for (const dir of readdirSync(multiarch)) for (const drop of DROP_MULTIARCH) rmSync(join(multiarch, dir, drop), { recursive: true, force: true });
  }
  for (const top of readdirSync(unpacked).sort()) {
    const target = MERGED[top] ?? top;
    cpSync(join(unpacked, top), join(rootfs, target), { recursive: true, verbatimSymlinks: true, force: true });
  }
}

/** The links update-alternatives would make in the packages' postinst scripts, which never run
 * here: iptables defaults to its nftables variant on Debian 12. */
const ALTERNATIVES = {
  'usr/sbin/iptables': 'iptables-nft', 'usr/sbin/iptables-save': 'iptables-nft-save', 'usr/sbin/iptables-restore': 'iptables-nft-restore',
  'usr/sbin/ip6tables': 'ip6tables-nft', 'usr/sbin/ip6tables-save': 'ip6tables-nft-save', 'usr/sbin/ip6tables-restore': 'ip6tables-nft-restore',
};

export function linkAlternatives(rootfs) {
  for (const [link, target] of Object.entries(ALTERNATIVES)) symlinkSync(target, join(rootfs, link));
}

/** The applets the guest's scripts and a person at its console use, where Debian ships no program. */
const APPLETS = [
  'sh', 'ash', 'awk', 'basename', 'cat', 'chmod', 'chown', 'cp', 'cut', 'date', 'dd', 'df', 'dirname', 'dmesg', 'du',
  'echo', 'env', 'expr', 'false', 'find', 'free', 'grep', 'halt', 'head', 'hostname', 'id', 'init', 'ip', 'kill',
  'killall', 'less', 'ln', 'ls', 'mkdir', 'mknod', 'mktemp', 'mountpoint', 'mv', 'nc', 'nproc', 'nslookup', 'ping',
  'poweroff', 'printf', 'ps', 'pwd', 'readlink', 'realpath', 'reboot', 'rm', 'rmdir', 'sed', 'seq', 'setsid', 'sleep',
  'sort', 'stat', 'switch_root', 'sync', 'sysctl', 'tail', 'tar', 'tee', 'test', 'top', 'touch', 'tr', 'true', 'udhcpc',
  'uname', 'uniq', 'uptime', 'usleep', 'vi', 'watch', 'wc', 'wget', 'which', 'xargs', 'yes', 'gzip', 'gunzip', '[',
];

export function linkApplets(rootfs) {
  for (const applet of APPLETS) {
    const taken = ['usr/bin', 'usr/sbin'].some((dir) => existsSync(join(rootfs, dir, applet)));
    if (!taken) symlinkSync('busybox', join(rootfs, 'usr/bin', applet));
  }
}

const ELF = Buffer.from([0x7f, 0x45, 0x4c, 0x46]);
function isElf(path) {
  const fd = openSync(path, 'r');
  try {
    const head = Buffer.alloc(4);
    return readSync(fd, head, 0, 4, 0) === 4 && head.equals(ELF);
  } finally {
    closeSync(fd);
  }
}

/** Fails the build naming each program whose shared library is not in the tree. readelf reads
 * either arch's ELF files on the build host. */
export function checkSharedLibraries(rootfs, gnuTriplet) {
  const libDirs = [`usr/lib/${gnuTriplet}`, 'usr/lib', 'usr/lib64'].map((d) => join(rootfs, d));
  const elves = [];
  for (const path of walk(rootfs)) {
    const info = lstatSync(path);
    if (!info.isFile() || path.endsWith('.ko') || info.size < 64) continue;
    if (isElf(path)) elves.push(path);
  }
  const missing = [];
  for (let i = 0; i < elves.length; i += 200) {
    const batch = elves.slice(i, i + 200);
    const out = spawnSync('readelf', ['-d', '-W', ...batch], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }).stdout;
    let file = '';
    for (const line of out.split('\n')) {
      const head = /^File: (.+)$/.exec(line);
      if (head) file = head[1];
      const need = /\(NEEDED\)\s+Shared library: \[(.+)\]/.exec(line);
      if (need && !libDirs.some((d) => existsSync(join(d, need[1])))) missing.push(`${relative(rootfs, file || batch[0])} needs ${need[1]}`);
    }
  }
  if (missing.length) throw new Error(`shared libraries missing from the guest image:\n  ${[...new Set(missing)].join('\n  ')}`);
  return elves.length;
}

/** update-ca-certificates' bundle, made without running it: every certificate, sorted. */
export function writeCaBundle(rootfs) {
  const dir = join(rootfs, 'usr/share/ca-certificates');
  const certs = [...walk(dir)].filter((p) => p.endsWith('.crt'));
  mkdirSync(join(rootfs, 'etc/ssl/certs'), { recursive: true });
  writeFileSync(join(rootfs, 'etc/ssl/certs/ca-certificates.crt'), certs.map((p) => readFileSync(p, 'utf8').trimEnd() + '\n').join(''));
  return certs.length;
}

export function writeEtc(rootfs, osRelease) {
  const files = {
    'etc/passwd': 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n',
    'etc/group': 'root:x:0:\ntty:x:5:\nnogroup:x:65534:\n',
    'etc/hostname': 'berth\n',
    'etc/hosts': '127.0.0.1\tlocalhost berth\n::1\tlocalhost ip6-localhost ip6-loopback\n',
    'etc/os-release': osRelease,
    'etc/resolv.conf': '',
    'etc/fstab': '',
  };
  for (const [path, text] of Object.entries(files)) writeFileSync(join(rootfs, path), text);
}
