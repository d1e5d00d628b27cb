// The busybox root filesystem the test images share: Debian's static busybox plus the files a
// minimal distro image carries, so containers can run `sh`, resolve users and write to /tmp.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import type { LayerEntry } from './tar-layer.ts';

/** Debian package busybox-static installs a statically linked busybox here. */
export const BUSYBOX_PATH = process.env.BERTH_TEST_BUSYBOX ?? '/bin/busybox';

export const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** The user the fixtures add for USER / --user tests. */
export const APP_USER = { name: 'app', uid: 1000, gid: 1000, home: '/home/app' } as const;

export interface Busybox {
  binary: Buffer;
  /** Hex sha256 of the binary: the fixture cache key (a busybox upgrade invalidates the cache). */
  sha256: string;
  applets: string[];
}

let loaded: Busybox | undefined;

export function loadBusybox(): Busybox {
  if (loaded) return loaded;
  const binary = readFileSync(BUSYBOX_PATH);
  const sha256 = createHash('sha256').update(binary).digest('hex');
  // `--list` prints the applets this build actually has; symlinking a missing one would give a
  // confusing "applet not found" inside containers.
  const applets = execFileSync(BUSYBOX_PATH, ['--list'], { encoding: 'utf8' })
    .split('\n')
    .map((s) => s.trim())
    .filter((s) => /^[a-z0-9_.\[-]+$/i.test(s) && s !== 'busybox')
    .sort();
  loaded = { binary, sha256, applets };
  return loaded;
}

const PASSWD = [
  'root:x:0:0:root:/root:/bin/sh',
  `${APP_USER.name}:x:${APP_USER.uid}:${APP_USER.gid}:app user:${APP_USER.home}:/bin/sh`,
  'nobody:x:65534:65534:nobody:/nonexistent:/bin/false',
  '',
].join('\n');

const GROUP = ['root:x:0:', `${APP_USER.name}:x:${APP_USER.gid}:`, 'nogroup:x:65534:', ''].join('\n');

/** Entries of the busybox base layer, in tar order. */
export function busyboxRootfs(bb: Busybox = loadBusybox()): LayerEntry[] {
  const dirs: LayerEntry[] = [
    { type: 'dir', path: 'bin' },
    { type: 'dir', path: 'dev' },
    { type: 'dir', path: 'etc' },
    { type: 'dir', path: 'home' },
    { type: 'dir', path: APP_USER.home, uid: APP_USER.uid, gid: APP_USER.gid },
    { type: 'dir', path: 'proc', mode: 0o555 },
    { type: 'dir', path: 'root', mode: 0o700 },
    { type: 'dir', path: 'sys', mode: 0o555 },
    // Sticky and world-writable, as every distro's /tmp: non-root container users need it.
    { type: 'dir', path: 'tmp', mode: 0o1777 },
    { type: 'dir', path: 'usr' },
    { type: 'dir', path: 'usr/bin' },
    { type: 'dir', path: 'usr/sbin' },
    { type: 'dir', path: 'var' },
    { type: 'dir', path: 'var/tmp', mode: 0o1777 },
  ];
  const files: LayerEntry[] = [
    { type: 'file', path: 'bin/busybox', content: bb.binary, mode: 0o755 },
    ...bb.applets.map((a): LayerEntry => ({ type: 'symlink', path: `bin/${a}`, target: 'busybox' })),
    { type: 'file', path: 'etc/passwd', content: PASSWD },
    { type: 'file', path: 'etc/group', content: GROUP },
    // nsswitch + an empty hosts/resolv.conf: the engine bind-mounts its own over them, and an
    // image that already has them is the common case.
    { type: 'file', path: 'etc/hosts', content: '127.0.0.1\tlocalhost\n' },
    { type: 'file', path: 'etc/resolv.conf', content: '' },
    { type: 'file', path: 'etc/nsswitch.conf', content: 'passwd: files\ngroup: files\nhosts: files dns\n' },
  ];
  return [...dirs, ...files];
}
