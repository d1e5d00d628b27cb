// Volumes in Docker's terms (API spec "Volume"): what the engine persists about one, the driver
// role that owns its data, and the naming rules dockerd applies.
import { invalid } from '../errors.ts';

/** dockerd marks volumes it creates for `-v /path` and image VOLUMEs with this label; prune
 * (API ≥ 1.42) removes only those unless asked for all (moby volume.AnonymousLabel). */
export const ANONYMOUS_LABEL = 'com.docker.volume.anonymous';

/** The only driver built in, as in dockerd. */
export const LOCAL_DRIVER = 'local';

/** Docker's restricted name pattern for local volumes (moby daemon/names RestrictedNamePattern):
 * the name becomes a directory under <data-root>/volumes, so it can never hold `/` or be `..`. */
export const VALID_VOLUME_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/;

export function validateVolumeName(name: string): void {
  if (name.length === 1) throw invalid('volume name is too short, names should be at least two alphanumeric characters');
  if (!VALID_VOLUME_NAME.test(name)) {
    throw invalid(`${JSON.stringify(name)} includes invalid characters for a local volume name, only "[a-zA-Z0-9][a-zA-Z0-9_.-]" are allowed. If you intended to pass a host directory, use absolute path`);
  }
}

export interface VolumeRecord {
  Name: string;
  Driver: string;
  /** RFC 3339, set once at create. */
  CreatedAt: string;
  Labels: Record<string, string>;
  /** Driver options as given (`-o type=tmpfs -o device=tmpfs -o o=size=64m`). */
  Options: Record<string, string>;
}

export function isAnonymous(volume: VolumeRecord): boolean {
  return ANONYMOUS_LABEL in volume.Labels;
}

/** The role a volume driver plays (Docker's volume.Driver, reduced to what `local` needs). */
export interface VolumeDriver {
  readonly name: string;
  /** Rejects options the driver does not know (before anything is written). */
  validateOptions(options: Record<string, string>): void;
  /** Creates the data directory; idempotent. */
  create(name: string, options: Record<string, string>): Promise<void>;
  /** Host path of the volume's data (`<data-root>/volumes/<name>/_data`). */
  path(name: string): string;
  /** Makes the data available at path(): mounts option-backed volumes (tmpfs, bind, nfs…). */
  mount(name: string, options: Record<string, string>): Promise<void>;
  /** Undoes mount(); idempotent. */
  unmount(name: string, options: Record<string, string>): Promise<void>;
  /** Deletes the data; must never touch what a still-mounted device holds. */
  remove(name: string): Promise<void>;
  /** Bytes used by the data, -1 when unknown. */
  size(name: string): Promise<number>;
}
