// The Linux side of `docker cp`, `docker diff` and `docker export` (the ContainerFiles seam).
import { lstat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import type { ContainerRecord } from '../../../core/container-types.ts';
import { invalid, notFound } from '../../../core/errors.ts';
import type { ContainerFiles, ExtractRequest, FileMount, FilesystemChange, PathStat } from '../../../services/containers/container-files.ts';
import { lstatAt } from '../fs/at.ts';
import { resolveUser } from '../oci-spec/user.ts';
import type { OverlayLayout } from '../overlay-layout.ts';
import { cleanCpPath, ContainerView } from './container-view.ts';
import { GoMode } from './file-mode.ts';
import { overlayChanges } from './overlay-changes.ts';
import { extractIntoView } from './tar-in.ts';
import { tarFromView } from './tar-out.ts';

export class LinuxContainerFiles implements ContainerFiles {
  readonly #layout: OverlayLayout;

  /** `layout`: the overlay snapshotter's, to find a container's lower layers and upper dir. */
  constructor(layout: OverlayLayout) {
    this.#layout = layout;
  }

  async stat(rootfs: string, mounts: FileMount[], path: string): Promise<PathStat | undefined> {
    const v = await view(rootfs, mounts);
    try {
      return (await v.stat(path))?.stat;
    } finally {
      await v.close();
    }
  }

  async archive(rootfs: string, mounts: FileMount[], path: string, onError: (error: unknown) => void): Promise<{ stat: PathStat; stream: Readable } | undefined> {
    const v = await view(rootfs, mounts);
    let found;
    try {
      found = await v.stat(path);
    } catch (error) {
      await v.close();
      throw error;
    }
    if (!found) {
      await v.close();
      return undefined;
    }
    const isDir = found.stat.mode >= GoMode.dir; // the type bit is the highest one
    // moby TarResourceRebaseOpts(sourceBase, filepath.Base(absPath)): a directory's entries are
    // named "<base>/…" ("./…" for "dir/.", "/…" for "/"), a file or link is one entry "<base>".
    const name = found.stat.name;
    const childPrefix = name === '/' ? '' : name;
    // The stream walks from the location the stat looked at and closes the view when done.
    const stream = tarFromView(v, { loc: found.resolved.loc, parts: found.resolved.parts, topName: name, childPrefix: isDir ? childPrefix : name, onError });
    return { stat: found.stat, stream };
  }

  async extract(rootfs: string, mounts: FileMount[], request: ExtractRequest): Promise<void> {
    const v = await view(rootfs, mounts);
    try {
      // dockerd: filepath.EvalSymlinks on the destination (the last component too, so a link to a
      // directory is a fine destination), then it must be a directory in a writable place.
      const dest = await v.resolve(cleanCpPath(request.path).clean);
      const stat = dest && (await lstatAt(dest.loc));
      if (!dest || !stat) throw notFound('extraction point missing');
      if (!stat.isDirectory()) throw invalid('extraction point is not a directory');
      if (dest.mount && !dest.mount.rw) throw invalid('mounted volume is marked read-only');
      if (!dest.mount && request.readonlyRootfs) throw invalid('container rootfs is marked read-only');
      await extractIntoView(v, request.body, { dest: dest.path, noOverwriteDirNonDir: request.noOverwriteDirNonDir, chown: request.chown });
    } finally {
      await v.close();
    }
  }

  async userIds(rootfs: string, user: string): Promise<{ uid: number; gid: number }> {
    const { uid, gid } = await resolveUser(rootfs, user);
    return { uid, gid };
  }

  async changes(record: ContainerRecord, merged: string, ignore: ReadonlySet<string>): Promise<FilesystemChange[]> {
    const lowers = record.TopChainId === undefined ? [] : await this.#lowerDirs(record.TopChainId);
    const upper = join(this.#layout.containerDir(record.Id), 'upper');
    return overlayChanges({ upper, lowers, merged, ignore });
  }

  exportRootfs(rootfs: string, onError: (error: unknown) => void): Readable {
    // The container's own filesystem only: a view without mounts, the root entry left out.
    return tarFromView(new ContainerView(rootfs, []), { parts: [], topName: '', childPrefix: '', onError });
  }

  /** The diff directories of the layer chain, topmost first. */
  async #lowerDirs(chainId: string): Promise<string[]> {
    const dirs: string[] = [];
    const seen = new Set<string>();
    for (let current: string | null = chainId; current !== null && !seen.has(current); ) {
      seen.add(current);
      dirs.push(join(this.#layout.layerDir(current), 'diff'));
      const meta: { parent: string | null } | undefined = await this.#layout.readMeta(current);
      current = meta?.parent ?? null;
    }
    return dirs;
  }
}

/** Mounts whose source is missing (a bind source not yet created, managed files of a container
 * never started) are left out: the container path then shows the rootfs underneath. */
async function view(rootfs: string, mounts: FileMount[]): Promise<ContainerView> {
  const present: FileMount[] = [];
  for (const m of mounts) if (await lstat(m.source).catch(() => undefined)) present.push(m);
  return new ContainerView(rootfs, present);
}
