// Mounting and unmounting overlayfs through util-linux `mount`/`umount` (Node has no mount(2)),
// spawned off the event loop (exec-off-thread.ts).
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { invalid, systemError } from '../../core/errors.ts';
import { execOffThread } from './exec-off-thread.ts';

/** The kernel copies mount data into one page; longer option strings fail with EINVAL. */
const MOUNT_DATA_MAX = 4096 - 1;

async function run(command: string, args: string[], cwd?: string): Promise<{ ok: boolean; message: string }> {
  const { error, stderr } = await execOffThread(command, args, { cwd });
  return { ok: !error, message: stderr.trim() || (error?.message ?? '') };
}

/** Decodes the octal escapes (`\040` = space, …) the kernel uses in /proc/self/mountinfo. */
function unescapeMountPath(field: string): string {
  return field.replace(/\\([0-7]{3})/g, (_match, octal: string) => String.fromCharCode(parseInt(octal, 8)));
}

/** Every mount point in our mount namespace (absolute paths). */
export async function mountPoints(): Promise<string[]> {
  const mountinfo = await readFile('/proc/self/mountinfo', 'utf8');
  const out: string[] = [];
  for (const line of mountinfo.split('\n')) {
    // Fields: id parent major:minor root mount-point options … (proc(5)).
    const field = line.split(' ')[4];
    if (field !== undefined) out.push(unescapeMountPath(field));
  }
  return out;
}

/** True when `path` (absolute, symlink-free) is a mount point in our mount namespace. */
export async function isMountPoint(path: string): Promise<boolean> {
  return (await mountPoints()).includes(path);
}

export interface OverlayMountSpec {
  /** Working directory for `mount`, so the paths below can be short relative ones. */
  cwd: string;
  /** Lower directories, topmost first (overlayfs order), relative to cwd. */
  lower: string[];
  upper: string;
  work: string;
  /** Absolute mount point. */
  target: string;
}

/** `index=off` (when the kernel knows it) lets a layer serve as lower dir under many uppers
 * without the kernel pinning it to the first upper's origin, as dockerd's overlay2 does. */
const INDEX_OFF = existsSync('/sys/module/overlay/parameters/index') ? ',index=off' : '';

export async function mountOverlay(spec: OverlayMountSpec): Promise<void> {
  const options = `lowerdir=${spec.lower.join(':')},upperdir=${spec.upper},workdir=${spec.work}${INDEX_OFF}`;
  if (options.length > MOUNT_DATA_MAX) {
    throw invalid(`too many layers to mount (${spec.lower.length}): overlay options exceed one page`);
  }
  const result = await run('mount', ['-t', 'overlay', 'overlay', '-o', options, spec.target], spec.cwd);
  if (!result.ok) throw systemError(`mounting overlay at ${spec.target}: ${result.message}`);
}

/** Unmounts `target`; not mounted is fine; busy falls back to a lazy detach (MNT_DETACH). */
export async function unmount(target: string): Promise<void> {
  if (!(await isMountPoint(target))) return;
  const plain = await run('umount', [target]);
  if (plain.ok || !(await isMountPoint(target))) return;
  const lazy = await run('umount', ['-l', target]);
  if (lazy.ok || !(await isMountPoint(target))) return;
  throw systemError(`unmounting ${target}: ${plain.message}; lazy: ${lazy.message}`);
}
