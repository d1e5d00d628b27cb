// The "init layer" dockerd puts between a container's image and its writable layer
// (daemon/initlayer/setup_unix.go): /.dockerenv (tools test for it to know they run in a
// container), the /etc/mtab → /proc/mounts link, and the mount points of the files and
// filesystems every container gets. Being a layer of its own, none of it shows in `docker diff`
// or ends up in `docker commit`. It is made once per container, through an overlay of the image
// so that what the image has there decides, as in dockerd: a non-directory on the way is removed
// (a whiteout), and an entry is created only where nothing is left.
import { chmod, lstat, mkdir, open, stat, symlink, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/** dockerd's list: a directory, an empty file, or a symlink to the given target. */
const INIT_ENTRIES: Array<[string, 'dir' | 'file' | { link: string }]> = [
  ['/dev/pts', 'dir'],
  ['/dev/shm', 'dir'],
  ['/proc', 'dir'],
  ['/sys', 'dir'],
  ['/.dockerenv', 'file'],
  ['/etc/resolv.conf', 'file'],
  ['/etc/hosts', 'file'],
  ['/etc/hostname', 'file'],
  ['/dev/console', 'file'],
  ['/etc/mtab', { link: '/proc/mounts' }],
];

async function missing(path: string): Promise<boolean> {
  return stat(path).then(() => false, (error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return true;
    throw error;
  });
}

/** Directories on the way, 0755 whatever the umask (MkdirAllAndChownNew). */
async function makeDirs(root: string, rel: string): Promise<void> {
  let current = root;
  for (const part of rel.split('/').filter(Boolean)) {
    current = join(current, part);
    if (await missing(current)) {
      await mkdir(current);
      await chmod(current, 0o755);
    }
  }
}

/** Fills the init layer through `merged`, an overlay mount of the image with the layer as upper. */
export async function setupInitLayer(merged: string): Promise<void> {
  for (const [path, kind] of INIT_ENTRIES) {
    // Every non-directory on the way goes, symlinks included: nothing below resolves through a
    // link the image planted (unlink of a directory fails, and a directory is kept).
    let prefix = merged;
    for (const part of path.split('/').filter(Boolean)) {
      prefix = join(prefix, part);
      const st = await lstat(prefix).catch(() => undefined);
      if (st && !st.isDirectory()) await unlink(prefix);
    }
    const target = join(merged, path);
    if (!(await missing(target))) continue;
    await makeDirs(merged, dirname(path));
    if (kind === 'dir') {
      await makeDirs(merged, path);
    } else if (kind === 'file') {
      await (await open(target, 'wx', 0o755)).close();
      await chmod(target, 0o755);
    } else {
      await symlink(kind.link, target);
    }
  }
}
