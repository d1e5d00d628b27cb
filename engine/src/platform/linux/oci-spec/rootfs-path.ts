// Resolves a path inside a container's rootfs the way the container would see it: symlinks are
// followed, but always relative to the rootfs, so a link such as /etc/passwd -> /../../host/file
// or ../../../etc/shadow can never lead out of it (the class of bug behind CVE-2018-15664 and
// runc's securejoin). DESIGN.md rule 5 asks the same of layer unpacking.
import { lstat, readlink } from 'node:fs/promises';
import { join } from 'node:path';

/** Linux gives up after 40 links (MAXSYMLINKS); so do we. */
const MAX_LINKS = 40;

/**
 * The host path of `path` as seen from inside `rootfs`, with every symlink on the way resolved
 * within `rootfs`. Components that do not exist are kept as written (the result then does not
 * exist either). Throws on a symlink loop.
 */
export async function resolveInRootfs(rootfs: string, path: string): Promise<string> {
  return (await resolveContainerPath(path, (parts) => join(rootfs, ...parts))).host;
}

/**
 * The same walk with the container-to-host mapping supplied by the caller (`docker cp` maps
 * paths under volume and bind mount destinations to their sources): returns the canonical
 * container path components and their host path.
 */
export async function resolveContainerPath(path: string, hostOf: (parts: string[]) => string): Promise<{ parts: string[]; host: string }> {
  const done: string[] = [];
  let todo = path.split('/').filter((c) => c !== '' && c !== '.');
  let links = 0;
  while (todo.length) {
    const part = todo.shift() as string;
    if (part === '..') {
      done.pop(); // ".." at the rootfs root stays at the root, as in chroot.
      continue;
    }
    const host = hostOf([...done, part]);
    let isLink = false;
    try {
      isLink = (await lstat(host)).isSymbolicLink();
    } catch {
      // Missing: keep the rest as plain names.
    }
    if (!isLink) {
      done.push(part);
      continue;
    }
    if (++links > MAX_LINKS) throw new Error(`too many levels of symbolic links resolving ${path} in ${hostOf([])}`);
    const target = await readlink(host);
    const targetParts = target.split('/').filter((c) => c !== '' && c !== '.');
    if (target.startsWith('/')) done.length = 0; // absolute link: from the rootfs root
    todo = [...targetParts, ...todo];
  }
  return { parts: done, host: hostOf(done) };
}
