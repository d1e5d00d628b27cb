// Where a path inside a container lives on the host when a volume or bind mount covers it, for
// `docker cp`, diff and export (they must read and write through mounts as dockerd does:
// container.ResolvePath / archive walk the mount points). record.Mounts is the source of truth.
import type { ContainerRecord, MountPoint } from '../../core/container-types.ts';

export interface MountedPath {
  mount: MountPoint;
  /** Host path of containerPath (mount source + remainder). Undefined for tmpfs mounts, whose
   * content exists only inside the running container's mount namespace. Callers must still
   * resolve the remainder without following symlinks out of `mount.Source`. */
  hostPath?: string;
  /** The part of containerPath below the mount's destination ('' = the destination itself). */
  rest: string;
}

/** The innermost mount covering `containerPath` (absolute, clean), or undefined when the path is
 * in the container's own filesystem. HostConfig.Tmpfs mounts are reported as tmpfs too. */
export function hostPathFor(record: ContainerRecord, containerPath: string): MountedPath | undefined {
  const tmpfs: MountPoint[] = Object.keys(record.HostConfig.Tmpfs ?? {}).map((destination) => ({
    Type: 'tmpfs', Source: '', Destination: destination, Mode: '', RW: true, Propagation: '',
  }));
  let best: MountPoint | undefined;
  for (const m of [...(record.Mounts ?? []), ...tmpfs]) {
    const d = m.Destination;
    if (containerPath !== d && !containerPath.startsWith(d.endsWith('/') ? d : `${d}/`)) continue;
    if (!best || d.length > best.Destination.length) best = m;
  }
  if (!best) return undefined;
  const rest = containerPath.slice(best.Destination.length).replace(/^\/+/, '');
  if (best.Type === 'tmpfs') return { mount: best, rest };
  return { mount: best, rest, hostPath: rest ? `${best.Source}/${rest}` : best.Source };
}
