// DesktopApi: the one typed contract between the renderer and app/src/backend (DESIGN.md rule 7).
// The renderer holds a `DesktopApi`; behind it is either Electron IPC (preload) or a WebSocket to
// `berth dashboard`. Both carry the same two kinds of traffic, described here as data so that the
// transports stay generic:
//   - calls: one request, one answer (DesktopCalls);
//   - streams: one request, many items until either side closes (DesktopStreams), optionally with
//     input from the renderer (a terminal's keystrokes and resizes).
import type {
  ContainerSummary, DiskUsage, EngineEvent, EngineVersion, ImageHistoryEntry, ImageSummary,
  Network, ProgressMessage, Volume,
} from './docker-types.ts';
import type { AppSettings, AppSettingsApplies, AppSettingsChange } from './app-settings.ts';

export type { AppSettings, AppSettingsApplies, AppSettingsChange, NotificationSettings, Theme } from './app-settings.ts';

// ---- engine ----------------------------------------------------------------------------------

export type EngineState = 'running' | 'starting' | 'stopping' | 'stopped' | 'error';

/** Where Berth's own engine runs: berthd on this kernel (as root, or through pkexec), or the Berth VM. */
export type EngineKind = 'local' | 'elevated' | 'vm';

/** The Berth VM as the Engine view, the status bar and the tray show it. */
export interface VmDetails {
  /** QEMU's side: 'starting' from QEMU up until the engine answers; 'error' when QEMU died;
   * 'paused-by-resource-saver' while it is powered off for being idle (the socket boots it). */
  state: 'running' | 'starting' | 'stopped' | 'error' | 'paused-by-resource-saver';
  /** Resource saver's idle minutes, when it is on. */
  resourceSaverMinutes?: number;
  /** The instance home (disk, logs, run/docker.sock). */
  home: string;
  /** tcg, kvm, hvf or whpx, and why that one. */
  accel?: string;
  accelWhy?: string;
  cpus?: number;
  memoryMiB?: number;
  /** Bytes the data disk takes on the host (it is sparse), and its size as the guest sees it. */
  diskUsedBytes?: number;
  diskSizeBytes?: number;
  uptimeSeconds?: number;
  /** While starting: the latest boot stage the guest reported, and the same in words. */
  stage?: string;
  stageText?: string;
  /** Why the VM is in 'error' (the last lines of QEMU's log). */
  message?: string;
  /** Published ports the host could not listen on (taken by another program…), in words: the
   * container runs, but is not reachable on that host port. */
  portProblems?: string[];
}

export interface EngineStatus {
  state: EngineState;
  /** The endpoint the backend talks to: unix:///run/berth/docker.sock, tcp://127.0.0.1:2375… */
  endpoint: string;
  /** The line a user pastes into a shell to point the docker CLI here. */
  dockerHostLine: string;
  /** True when this backend can start and stop the engine (a local berthd it supervises). */
  controllable: boolean;
  version?: EngineVersion;
  /** Why the engine is in `error` or `stopped`, in words a user can act on. */
  message?: string;
  /** Where Berth's own engine runs, when this backend controls it (`controllable`). */
  kind?: EngineKind;
  /** The VM's side, when `kind` is 'vm'. */
  vm?: VmDetails;
}

export interface DiagnosticsBundle {
  /** The .tar.gz written on the machine the backend runs on. */
  path: string;
  /** The files inside it. */
  entries: string[];
}

/** What engineControl does: 'reset' (the VM only) wipes the VM's data disk — images, containers, volumes. */
export type EngineAction = 'start' | 'stop' | 'restart' | 'reset';

export interface EngineEndpoint {
  url: string;
  label: string;
  /** Berth's own local engine, which the backend may start and stop. */
  builtin: boolean;
}

export interface EndpointList {
  current: string;
  endpoints: EngineEndpoint[];
}

export interface Capabilities {
  /** A host shell through node-pty: offered only when the UI is local (Electron, or loopback). */
  hostTerminal: boolean;
  platform: string;
  /** 'electron' or 'dashboard': what carries this API. */
  shell: 'electron' | 'dashboard';
}

// ---- containers --------------------------------------------------------------------------------

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

// ---- streams' items ------------------------------------------------------------------------------

export interface LogOptions {
  follow: boolean;
  /** Lines from the end to start with; 'all' for everything. */
  tail: number | 'all';
  timestamps: boolean;
}

export interface LogLine {
  stream: 'stdout' | 'stderr';
  /** RFC 3339 with nanoseconds, when timestamps were asked for. */
  timestamp?: string;
  text: string;
}

/** One sample of GET /containers/{id}/stats, already reduced to rates the charts plot. */
export interface StatsSample {
  /** Milliseconds since the epoch, as the engine read it. */
  time: number;
  /** Percent of one CPU, as `docker stats` shows (may exceed 100 on several CPUs). */
  cpuPercent: number;
  memoryUsage: number;
  memoryLimit: number;
  networkRx: number;
  networkTx: number;
  blockRead: number;
  blockWrite: number;
  pids: number;
}

export type TerminalTarget =
  | { kind: 'container'; id: string; /** Defaults to the first of /bin/bash, /bin/sh that exists. */ shell?: string[] }
  | { kind: 'host' };

export interface TerminalSize { cols: number; rows: number }

export type TerminalInput = { data: string } | { resize: TerminalSize };

export type TerminalOutput = { data: string } | { exit: number | null };

// ---- build (the Build view) ------------------------------------------------------------------------

/** What the Build view sends: a folder on the backend's machine becomes the build context. */
export interface BuildSpec {
  /** Absolute path of the context folder. */
  folder: string;
  /** The Dockerfile, relative to the folder. */
  dockerfile: string;
  tags: string[];
  buildArgs: Record<string, string>;
  target?: string;
  noCache: boolean;
}

/** What the Build view offers for a folder: its Dockerfiles, and for the one chosen its stages and ARGs. */
export interface BuildFolderInfo {
  folder: string;
  dockerfiles: string[];
  dockerfile?: string;
  stages: string[];
  args: Array<{ name: string; default?: string }>;
}

export type BuildOutcome = 'succeeded' | 'failed' | 'cancelled';

/** One item of the build stream. `lines` come batched (a build may print 50,000 lines/s). */
export type BuildItem =
  | { kind: 'started'; buildId: string }
  | { kind: 'lines'; lines: string[] }
  /** "Step N/M : INSTRUCTION", with the Dockerfile line (1-based) of that instruction. */
  | { kind: 'step'; step: number; total: number; instruction: string; line?: number }
  | { kind: 'done'; imageId: string; tags: string[]; durationMs: number }
  /** The build failed; `line`/`lineText` point at the Dockerfile line when it is known. */
  | { kind: 'failed'; message: string; line?: number; lineText?: string; durationMs: number };

/** A build as the Recent builds list keeps it (across launches, in the settings dir). */
export interface BuildRecord {
  buildId: string;
  folder: string;
  dockerfile: string;
  tags: string[];
  target?: string;
  outcome: BuildOutcome;
  /** Milliseconds since the epoch. */
  startedAt: number;
  durationMs: number;
  imageId?: string;
  message?: string;
}

// ---- the contract ----------------------------------------------------------------------------------

/** Request → answer. Each entry is (args) => result; transports make the result a Promise. */
export interface DesktopCalls {
  capabilities(): Capabilities;
  engineStatus(): EngineStatus;
  engineControl(action: EngineAction): EngineStatus;
  /** Troubleshoot: wipes Berth's engine data (the VM's disk: images, containers, volumes), puts the
   * app's settings back to their defaults, and starts the engine again. */
  resetToFactoryDefaults(): EngineStatus;
  /** Troubleshoot: writes the diagnostics bundle (versions, settings, logs, VM status; secrets
   * removed) and says where. */
  writeDiagnostics(): DiagnosticsBundle;
  listEndpoints(): EndpointList;
  /** Switches the backend to another Docker-API endpoint (and remembers it). */
  selectEndpoint(url: string): EngineStatus;
  diskUsage(): DiskUsage;
  /** The app's settings, and which of them this shell acts on (the dashboard: theme and endpoint only). */
  appSettings(): { settings: AppSettings; applies: AppSettingsApplies };
  /** Validates and keeps a change (400 naming the field, nothing kept, on a wrong one); answers the settings now in force. */
  updateAppSettings(change: AppSettingsChange): AppSettings;

  listContainers(): ContainerSummary[];
  inspectContainer(id: string): Record<string, unknown>;
  containerAction(id: string, action: ContainerAction): void;
  removeContainer(id: string, options: { force: boolean; volumes: boolean }): void;
  runContainer(spec: RunSpec): { id: string; warnings: string[] };
  listContainerFiles(id: string, path: string): FileListing;
  readContainerFile(id: string, path: string): FileContent;

  listImages(): ImageSummary[];
  inspectImage(id: string): Record<string, unknown>;
  imageHistory(id: string): ImageHistoryEntry[];
  tagImage(id: string, repo: string, tag: string): void;
  removeImage(id: string, options: { force: boolean }): { untagged: string[]; deleted: string[] };
  pruneImages(): { deleted: number; spaceReclaimed: number };

  listVolumes(): Volume[];
  createVolume(spec: { name?: string; labels?: Record<string, string> }): Volume;
  removeVolume(name: string, options: { force: boolean }): void;
  listVolumeFiles(name: string, path: string): FileListing;
  readVolumeFile(name: string, path: string): FileContent;

  listNetworks(): Network[];
  inspectNetwork(id: string): Network;
  createNetwork(spec: { name: string; driver?: string; subnet?: string; gateway?: string; internal?: boolean }): { id: string };
  removeNetwork(id: string): void;

  // Build view
  /** Electron: the native folder dialog (null when dismissed). The dashboard has none: 400, type a path. */
  pickBuildFolder(): string | null;
  /** A folder's Dockerfiles, and the stages and ARGs of `dockerfile` (default: Dockerfile, else the first found).
   * The dashboard reads folders on the engine's machine only: refused (400, with the reason) for a remote engine. */
  buildFolderInfo(folder: string, dockerfile?: string): BuildFolderInfo;
  recentBuilds(): BuildRecord[];
}

/** Request → many items. `input` is what the renderer may send into an open stream. */
export interface DesktopStreams {
  /** The engine's event stream; survives engine restarts and endpoint switches. */
  events: { args: []; item: EngineEvent; input: never };
  /** Engine status whenever it changes (first item: the current status). */
  engine: { args: []; item: EngineStatus; input: never };
  /** Batches of log lines (batched so that 100,000 lines/s cost a few messages per frame). */
  logs: { args: [id: string, options: LogOptions]; item: LogLine[]; input: never };
  stats: { args: [id: string]; item: StatsSample; input: never };
  /** Per-container CPU and memory for every running container, about once a second. */
  statsAll: { args: []; item: Record<string, { cpuPercent: number; memoryUsage: number }>; input: never };
  pull: { args: [reference: string]; item: ProgressMessage; input: never };
  push: { args: [reference: string]; item: ProgressMessage; input: never };
  terminal: { args: [target: TerminalTarget, size: TerminalSize]; item: TerminalOutput; input: TerminalInput };
  /** Build view: POST /build of the folder; closing the stream cancels the build (POST /build/cancel). */
  build: { args: [spec: BuildSpec]; item: BuildItem; input: never };
}

export type CallName = keyof DesktopCalls;
export type StreamName = keyof DesktopStreams;

/** Errors cross both transports as this shape; `status` is the engine's HTTP status when it had one. */
export interface ApiErrorShape {
  message: string;
  status?: number;
}

export class DesktopApiError extends Error {
  readonly status?: number;
  constructor(shape: ApiErrorShape) {
    super(shape.message);
    this.name = 'DesktopApiError';
    this.status = shape.status;
  }
}

export interface StreamObserver<T> {
  next(item: T): void;
  /** The stream failed; no more items follow. */
  error?(error: DesktopApiError): void;
  /** The stream ended normally (a finished pull, a log without follow, an exited shell). */
  complete?(): void;
}

export interface StreamHandle<In> {
  send(input: In): void;
  close(): void;
}

/** What the renderer holds. */
export type DesktopApi = {
  [K in CallName]: (...args: Parameters<DesktopCalls[K]>) => Promise<ReturnType<DesktopCalls[K]>>;
} & {
  open<K extends StreamName>(
    name: K,
    args: DesktopStreams[K]['args'],
    observer: StreamObserver<DesktopStreams[K]['item']>,
  ): StreamHandle<DesktopStreams[K]['input']>;
};

/** The names of calls, as a runtime list: transports refuse anything else. */
export const CALL_NAMES: readonly CallName[] = [
  'capabilities', 'engineStatus', 'engineControl', 'resetToFactoryDefaults', 'writeDiagnostics', 'listEndpoints', 'selectEndpoint', 'diskUsage',
  'appSettings', 'updateAppSettings',
  'listContainers', 'inspectContainer', 'containerAction', 'removeContainer', 'runContainer',
  'listContainerFiles', 'readContainerFile',
  'listImages', 'inspectImage', 'imageHistory', 'tagImage', 'removeImage', 'pruneImages',
  'listVolumes', 'createVolume', 'removeVolume', 'listVolumeFiles', 'readVolumeFile',
  'listNetworks', 'inspectNetwork', 'createNetwork', 'removeNetwork',
  // Build view
  'pickBuildFolder', 'buildFolderInfo', 'recentBuilds',
];

export const STREAM_NAMES: readonly StreamName[] = ['events', 'engine', 'logs', 'stats', 'statsAll', 'pull', 'push', 'terminal', 'build'];
