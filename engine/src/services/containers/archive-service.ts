// `docker cp`, `docker diff` and `docker export` (API "Container": archive HEAD/GET/PUT,
// changes, export), following dockerd's daemon/archive.go, archive_unix.go, changes.go and
// export.go: the same checks, the same error wording, the same events.
import type { Readable } from 'node:stream';
import { EngineError, invalid, notFound } from '../../core/errors.ts';
import type { ContainerRecord } from '../../core/container-types.ts';
import type { ContainerContext } from './context.ts';
import { fileMounts, holdRootfs, MANAGED_PATHS, type ContainerFiles, type FilesystemChange, type ManagedFiles, type PathStat } from './container-files.ts';

export interface FileServiceDeps {
  ctx: ContainerContext;
  files: ContainerFiles;
  /** Where the engine keeps a container's /etc/hosts, /etc/hostname and /etc/resolv.conf. */
  managedFiles?: (id: string) => ManagedFiles;
}

/** dockerd's containerFileNotFound: names the path and the container as the client gave them. */
const fileNotFound = (path: string, ref: string) => notFound(`Could not find the file ${path} in container ${ref}`);

function requirePath(path: string | null): string {
  if (!path) throw invalid('bad parameter: path cannot be empty');
  return path;
}

function mountsOf(deps: FileServiceDeps, record: ContainerRecord) {
  return fileMounts(record, deps.managedFiles?.(record.Id));
}

/** HEAD …/archive: the stat only. */
export async function statContainerPath(deps: FileServiceDeps, ref: string, rawPath: string | null): Promise<PathStat> {
  const path = requirePath(rawPath);
  const record = deps.ctx.store.get(ref);
  const { rootfs, release } = await holdRootfs(deps.ctx, record);
  try {
    const stat = await deps.files.stat(rootfs, mountsOf(deps, record), path);
    if (!stat) throw fileNotFound(path, ref);
    return stat;
  } finally {
    await release();
  }
}

/** GET …/archive: the stat and a tar stream; the rootfs stays mounted until the stream ends. */
export async function archiveContainerPath(deps: FileServiceDeps, ref: string, rawPath: string | null, log?: (message: string) => void): Promise<{ stat: PathStat; stream: Readable }> {
  const path = requirePath(rawPath);
  const record = deps.ctx.store.get(ref);
  const { rootfs, release } = await holdRootfs(deps.ctx, record);
  let result: { stat: PathStat; stream: Readable } | undefined;
  try {
    result = await deps.files.archive(rootfs, mountsOf(deps, record), path, (error) => log?.(`archive of ${path} in ${record.Id}: ${String(error)}`));
    if (!result) throw fileNotFound(path, ref);
  } catch (error) {
    await release();
    throw error;
  }
  releaseWhenDone(result.stream, release);
  deps.ctx.publish(record, 'archive-path');
  return result;
}

export interface ExtractOptions {
  noOverwriteDirNonDir: boolean;
  copyUIDGID: boolean;
}

/** PUT …/archive: extracts the uploaded tar into the directory at `path`. */
export async function extractToContainer(deps: FileServiceDeps, ref: string, rawPath: string | null, body: Readable, options: ExtractOptions): Promise<void> {
  const path = requirePath(rawPath);
  const { ctx } = deps;
  const record = ctx.store.get(ref);
  const { rootfs, release } = await holdRootfs(ctx, record);
  try {
    // Under the lock (a start or stop never runs half-way through), but the container is not
    // paused: the platform resolves every path race-free inside the container's root, so a
    // process swapping a directory for a symlink meanwhile cannot lead a write out of it
    // (CVE-2018-15664; dockerd stopped pausing for the same reason once it resolved in a chroot).
    await ctx.withLock(record.Id, async () => {
      try {
        // copyUIDGID: dockerd chowns everything to the container's Config.User when one is set
        // (applyTarCopyUserOptions); otherwise the ids in the tar apply, as without it.
        const chown = options.copyUIDGID && record.Config.User ? await deps.files.userIds(rootfs, record.Config.User) : undefined;
        await deps.files.extract(rootfs, mountsOf(deps, record), {
          path,
          body,
          noOverwriteDirNonDir: options.noOverwriteDirNonDir,
          chown,
          readonlyRootfs: record.HostConfig.ReadonlyRootfs,
        });
      } catch (error) {
        if (error instanceof EngineError && error.kind === 'not-found') throw fileNotFound(path, ref);
        throw error;
      }
    });
  } finally {
    body.resume(); // whatever the client still sends is read and dropped, so it sees our answer
    await release();
  }
  ctx.publish(record, 'extract-to-dir');
}

/** GET …/changes. */
export async function containerChanges(deps: FileServiceDeps, ref: string): Promise<FilesystemChange[]> {
  const record = deps.ctx.store.get(ref);
  const { rootfs, release } = await holdRootfs(deps.ctx, record);
  try {
    // The engine bind-mounts these over the rootfs (dockerd keeps them in an init layer), so the
    // empty mount-point files runc creates are not the user's changes.
    return await deps.files.changes(record, rootfs, new Set(MANAGED_PATHS));
  } finally {
    await release();
  }
}

/** GET …/export: the container's own filesystem (volumes and binds are not in it). */
export async function exportContainer(deps: FileServiceDeps, ref: string, log?: (message: string) => void): Promise<Readable> {
  const record = deps.ctx.store.get(ref);
  const { rootfs, release } = await holdRootfs(deps.ctx, record);
  const stream = deps.files.exportRootfs(rootfs, (error) => log?.(`export of ${record.Id}: ${String(error)}`));
  releaseWhenDone(stream, release);
  deps.ctx.publish(record, 'export');
  return stream;
}

function releaseWhenDone(stream: Readable, release: () => Promise<void>): void {
  let done = false;
  const once = () => {
    if (done) return;
    done = true;
    void release();
  };
  stream.once('end', once);
  stream.once('close', once);
  stream.once('error', once);
}
