// Host folders shared into the Berth VM at the same path (9p over virtio, QEMU's -virtfs), so
// `docker run -v $HOME/proj:/app` and compose's relative binds name a path the guest has.
// The user's home is always shared; more folders come from Settings or `--share DIR`.
import { statSync } from 'node:fs';
import { isAbsolute, resolve, sep } from 'node:path';
import { VmOptionError } from './vm-options.ts';

export interface Share {
  /** The 9p mount tag (virtio config space: short, no spaces). */
  tag: string;
  /** Absolute host path, mounted at the same path in the guest. */
  path: string;
}

/** Guest paths a share may not cover: the guest's own system (a share there would hide it). */
const GUEST_SYSTEM = ['/bin', '/boot', '/dev', '/etc', '/lib', '/lib64', '/proc', '/run', '/sbin', '/sys', '/usr', '/var/lib/berth'];

const inside = (path: string, root: string) => path === root || path.startsWith(root.endsWith(sep) ? root : `${root}${sep}`);

/** Why `path` cannot be a shared folder, or undefined when it can (Settings validates with this). */
export function shareProblem(path: string): string | undefined {
  if (!isAbsolute(path)) return `${path}: a shared folder must be an absolute path`;
  // The guest reads the list line by line (vm-assets/guest/rc.start).
  if (/[\n\r\t]/.test(path)) return `${path}: a shared folder's path may not hold tabs or line breaks`;
  const clean = resolve(path);
  if (clean === '/' || GUEST_SYSTEM.some((system) => inside(clean, system))) return `${clean}: the VM's own system lives there; share a folder elsewhere`;
  let isDir = false;
  try {
    isDir = statSync(clean).isDirectory();
  } catch {
    return `${clean}: no such folder`;
  }
  if (!isDir) return `${clean}: not a folder`;
  return undefined;
}

/** The folders to share, checked, without duplicates and without folders another share covers
 * (one 9p mount serves its whole tree), in a stable order with tags berth0, berth1, …. */
export function resolveShares(paths: readonly string[]): Share[] {
  const clean: string[] = [];
  for (const path of paths) {
    const problem = shareProblem(path);
    if (problem) throw new VmOptionError(`--share ${problem}`);
    clean.push(resolve(path));
  }
  const unique = [...new Set(clean)].sort();
  const roots = unique.filter((path) => !unique.some((other) => other !== path && inside(path, other)));
  return roots.map((path, index) => ({ tag: `berth${index}`, path }));
}

/** What the guest reads through fw_cfg (opt/berth/shares): one "tag<TAB>path" line per share. */
export function sharesFile(shares: readonly Share[]): string {
  return shares.map((share) => `${share.tag}\t${share.path}\n`).join('');
}

/** QEMU's 9p export of one share (-fsdev + virtio-9p-pci: -virtfs spelled out, so every
 * option reaches the fsdev). mapped-xattr: QEMU creates every file as the user it runs as (so
 * the host user owns what containers write) and keeps the guest's owner and mode in
 * user.virtfs.* xattrs (so chown in a container sticks, as images like postgres need).
 * fmode/dmode: the host-side modes of what the guest creates (QEMU's default 0600/0700 would
 * hide them from the user's other tools). multidevs=remap: a home spanning several filesystems
 * keeps inode numbers unique in the guest. Commas in QEMU option values are doubled. */
export function virtfsArgs(share: Share): string[] {
  const path = share.path.replaceAll(',', ',,');
  return [
    '-fsdev', `local,id=${share.tag},path=${path},security_model=mapped-xattr,fmode=0644,dmode=0755,multidevs=remap`,
    '-device', `virtio-9p-pci,fsdev=${share.tag},mount_tag=${share.tag}`,
  ];
}
