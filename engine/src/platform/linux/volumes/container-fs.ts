// The host side of a container's mounts: bind sources, mount targets created inside the rootfs
// without following symlinks out of it (CVE-2018-15664 family; the same chroot-style resolver
// layer unpacking uses), and Docker's copy-up of image content into an empty volume.
import { execFile } from 'node:child_process';
import { statSync } from 'node:fs';
import { chmod, lchown, lstat, mkdir, open, readdir } from 'node:fs/promises';
import { promisify } from 'node:util';
import { systemError } from '../../../core/errors.ts';
import type { SpecMount } from '../../../services/containers/context.ts';
import type { MountHost, SourceKind } from '../../../services/volumes/mount-host.ts';
import { tmpfsMounts } from '../oci-spec/mounts.ts';
import { cleanEntryName, RootedResolver } from '../safe-path.ts';

const run = promisify(execFile);

/** Targets under these are created by runc inside its own /proc, /sys and /dev mounts. */
const RUNTIME_TREES = ['proc', 'sys', 'dev'];

export class LinuxMountHost implements MountHost {
  sourceKind(path: string): SourceKind {
    try {
      return statSync(path).isDirectory() ? 'dir' : 'file';
    } catch {
      return 'missing';
    }
  }

  async createSourceDir(path: string): Promise<void> {
    await mkdir(path, { recursive: true, mode: 0o755 });
  }

  async prepareTarget(rootfs: string, destination: string, kind: 'dir' | 'file'): Promise<void> {
    const rel = cleanEntryName(destination);
    if (rel === '' || RUNTIME_TREES.includes(rel.split('/')[0])) return;
    const resolver = new RootedResolver(rootfs);
    if (kind === 'dir') {
      await resolver.resolveDir(rel);
      return;
    }
    const { path } = await resolver.resolve(rel);
    // O_CREAT|O_EXCL never follows a symlink planted at the last component; an existing entry
    // of any kind is left for runc, which resolves it inside the rootfs itself.
    const handle = await open(path, 'wx', 0o644).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'EEXIST') return undefined;
      throw error;
    });
    await handle?.close();
  }

  async copyUp(rootfs: string, destination: string, volumePath: string): Promise<void> {
    const rel = cleanEntryName(destination);
    const resolver = new RootedResolver(rootfs);
    // moby CopyImagePathContent: nothing to copy, and the volume keeps its own owner and mode
    // (a tmpfs volume's uid=/mode= options), when the image has no directory there.
    const existing = await resolver.existingDir(rel);
    if (existing === undefined || (await readdir(volumePath)).length > 0) {
      await resolver.resolveDir(rel);
      return;
    }
    // resolveDir follows symlinks only within the rootfs; the returned directory is real, not a link.
    const source = await resolver.resolveDir(rel);
    if ((await readdir(source)).length > 0) {
      try {
        // -a: recursive, no dereferencing, owners, modes, times, hard links, xattrs (best effort,
        // as dockerd's copy does); "source/." copies the contents, not the directory itself.
        await run('cp', ['-a', '--', `${source}/.`, `${volumePath}/`], { maxBuffer: 4 * 1024 * 1024 });
      } catch (error) {
        throw systemError(`copying image content at ${destination} into the volume: ${String((error as { stderr?: string }).stderr ?? error).trim()}`, error);
      }
    }
    // moby copyOwnership: the volume's root takes the image directory's owner and mode.
    const st = await lstat(source);
    await lchown(volumePath, st.uid, st.gid);
    await chmod(volumePath, st.mode & 0o7777);
  }

  tmpfsMount(destination: string, data: string): SpecMount {
    const [mount] = tmpfsMounts({ [destination]: data });
    return { destination: mount.destination, type: mount.type ?? 'tmpfs', source: mount.source ?? 'tmpfs', options: mount.options ?? [] };
  }
}
