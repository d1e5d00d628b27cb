// What the volume services need from the host filesystem beyond the volume driver: bind
// sources, mount targets inside a container's rootfs, copy-up, and the OCI form of a tmpfs.
import type { SpecMount } from '../containers/context.ts';

export type SourceKind = 'dir' | 'file' | 'missing';

export interface MountHost {
  /** What a bind source is, following symlinks as the kernel's bind mount will. */
  sourceKind(path: string): SourceKind;
  /** Creates a missing bind source as a directory (mode 0755), as dockerd does for `-v`. */
  createSourceDir(path: string): Promise<void>;
  /** Makes `destination` exist inside the rootfs (a directory, or an empty file for a file
   * bind), never following symlinks out of the rootfs. */
  prepareTarget(rootfs: string, destination: string, kind: 'dir' | 'file'): Promise<void>;
  /** When `volumePath` is empty: copies the image's content at `destination` into it,
   * preserving owners, modes, links and xattrs, and gives it the directory's owner and mode. */
  copyUp(rootfs: string, destination: string, volumePath: string): Promise<void>;
  /** The OCI tmpfs mount for `--mount type=tmpfs` with mount data ("size=1m,mode=755"). */
  tmpfsMount(destination: string, data: string): SpecMount;
}
