// Part of the DesktopApi contract, re-exported by desktop-api.ts:
// Containers as the Run dialog and the file browser see them.

export type ContainerAction = 'start' | 'stop' | 'restart' | 'pause' | 'unpause' | 'kill';

export interface PortSpec {
  hostIp?: string;
  /** Omitted: the engine picks a free port. */
  hostPort?: number;
  containerPort: number;
  protocol: 'tcp' | 'udp';
}

export interface VolumeSpec {
  /** A volume name or an absolute host path. */
  source: string;
  target: string;
  readOnly: boolean;
}

/** What the Run dialog asks for; the backend turns it into POST /containers/create + start. */
export interface RunSpec {
  image: string;
  name?: string;
  /** argv; empty means the image's default command. */
  command?: string[];
  env?: string[];
  ports?: PortSpec[];
  volumes?: VolumeSpec[];
  network?: string;
  autoRemove?: boolean;
  tty?: boolean;
}

export interface FileEntry {
  name: string;
  /** Absolute path inside the container or volume. */
  path: string;
  type: 'file' | 'dir' | 'symlink' | 'other';
  size: number;
  /** Octal permission bits, e.g. 0o755. */
  mode: number;
  /** Milliseconds since the epoch. */
  modified: number;
  linkTarget?: string;
}

export interface FileListing {
  path: string;
  entries: FileEntry[];
  /** Set when the listing stopped early at the entry limit. */
  truncated?: boolean;
}

export interface FileContent {
  name: string;
  size: number;
  /** The file's bytes, base64: JSON carries it over both transports unchanged. */
  base64: string;
}
