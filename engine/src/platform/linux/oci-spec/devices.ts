// Device access: the device-cgroup rules dockerd writes (moby oci.DefaultLinuxSpec), the host
// devices a privileged container sees, and HostConfig.Devices (`--device`). The standard nodes
// (null, zero, full, random, urandom, tty, console, ptmx) are created by runc itself
// (config-linux.md#default-devices), and runc also appends its own allow rules for them plus
// "c *:* m", "b *:* m" and /dev/pts (136:*), so Docker's list needs only what differs.
import { lstatSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { invalid } from '../../../core/errors.ts';
import type { HostConfig } from '../../../core/container-types.ts';
import type { OciDevice, OciDeviceRule } from './types.ts';
import { devNumbers } from '../tar-file-entry.ts';

const chr = (major: number, minor: number): OciDeviceRule => ({ allow: true, type: 'c', major, minor, access: 'rwm' });

/** Deny everything, then allow the nodes every container needs; /dev/fuse stays denied. */
export function defaultDeviceRules(): OciDeviceRule[] {
  return [
    { allow: false, access: 'rwm' },
    chr(1, 5), // /dev/zero
    chr(1, 3), // /dev/null
    chr(1, 9), // /dev/urandom
    chr(1, 8), // /dev/random
    chr(5, 0), // /dev/tty
    chr(5, 1), // /dev/console
    { allow: false, type: 'c', major: 10, minor: 229, access: 'rwm' }, // /dev/fuse
  ];
}

/** `--privileged`: every device, read/write/mknod. */
export function privilegedDeviceRules(): OciDeviceRule[] {
  return [{ allow: true, access: 'rwm' }];
}

const S_IFMT = 0o170000;
const S_IFCHR = 0o020000;
const S_IFBLK = 0o060000;

function majorMinor(rdev: bigint): { major: number; minor: number } {
  const { devmajor, devminor } = devNumbers(rdev);
  return { major: devmajor, minor: devminor };
}

/** The device node at `path` (following symlinks, as `--device /dev/disk/by-id/…` expects). */
export function deviceAt(path: string, pathInContainer: string): OciDevice | undefined {
  const st = statSync(path, { bigint: true });
  const kind = Number(st.mode) & S_IFMT;
  if (kind !== S_IFCHR && kind !== S_IFBLK) return undefined;
  return {
    path: pathInContainer,
    type: kind === S_IFCHR ? 'c' : 'b',
    ...majorMinor(st.rdev),
    fileMode: Number(st.mode) & 0o7777,
    uid: Number(st.uid),
    gid: Number(st.gid),
  };
}

// Host /dev entries a privileged container must not copy (containerd's HostDevices skips these).
const SKIP_DIRS = new Set(['pts', 'shm', 'fd', 'mqueue', '.lxc', '.lxd-mounts', '.udev']);

/** Every char/block device under `dir` (symlinks skipped), for privileged containers. */
export function listHostDevices(dir = '/dev', inContainer = dir): OciDevice[] {
  const out: OciDevice[] = [];
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return out;
  }
  for (const name of entries) {
    const host = join(dir, name);
    const target = join(inContainer, name);
    let st;
    try {
      st = lstatSync(host);
    } catch {
      continue; // vanished while listing
    }
    if (st.isDirectory()) {
      if (dir === '/dev' && SKIP_DIRS.has(name)) continue;
      out.push(...listHostDevices(host, target));
    } else if ((st.isCharacterDevice() || st.isBlockDevice()) && target !== '/dev/console') {
      const dev = deviceAt(host, target);
      if (dev) out.push(dev);
    }
  }
  return out;
}

/** HostConfig.Devices: the nodes to create and the cgroup rules that let them be used. */
export function mappedDevices(mappings: HostConfig['Devices']): { devices: OciDevice[]; rules: OciDeviceRule[] } {
  const devices: OciDevice[] = [];
  const rules: OciDeviceRule[] = [];
  for (const m of mappings ?? []) {
    const access = m.CgroupPermissions || 'rwm';
    if (!/^[rwm]{1,3}$/.test(access)) throw invalid(`invalid device cgroup permissions: "${access}"`);
    const inContainer = m.PathInContainer || m.PathOnHost;
    let found: OciDevice[];
    try {
      const st = statSync(m.PathOnHost);
      found = st.isDirectory() ? listHostDevices(m.PathOnHost, inContainer) : [deviceAt(m.PathOnHost, inContainer)].filter((d) => d !== undefined);
    } catch {
      throw invalid(`error gathering device information while adding custom device "${m.PathOnHost}": no such file or directory`);
    }
    if (!found.length) throw invalid(`error gathering device information while adding custom device "${m.PathOnHost}": not a device node`);
    for (const d of found) {
      devices.push(d);
      rules.push({ allow: true, type: d.type === 'b' ? 'b' : 'c', major: d.major, minor: d.minor, access });
    }
  }
  return { devices, rules };
}
