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
  /** What selectEndpoint and the per-engine calls take: the URL, or `context:<name>` for a docker context. */
  id: string;
  /** The docker context this engine is (contexts/meta in $DOCKER_CONFIG), when it is one. */
  context?: string;
  /** The docker CLI's current context (DOCKER_HOST, DOCKER_CONTEXT, config.json currentContext). */
  dockerCurrent?: boolean;
}

export interface EndpointList {
  /** The URL in use. */
  current: string;
  /** The id of the engine in use (EngineEndpoint.id). */
  currentId: string;
  endpoints: EngineEndpoint[];
}

// ---- many engines (issue 14: docker contexts, every engine at once) --------------------------------

/** What a probe of one engine found. */
export interface EngineProbe {
  reachable: boolean;
  /** Why it is not reachable, in words (connection refused, no answer within 3 s…). */
  reason?: string;
  version?: string;
  os?: string;
  arch?: string;
  containers?: number;
  running?: number;
}

/** One engine of listEngines, probed with its own timeout (a dead remote delays only its own row). */
export interface EngineOverview extends EngineEndpoint, EngineProbe {
  current: boolean;
}

/** What the Add engine form sends. TLS material (PEM text) is kept only in a docker context. */
export interface NewEngineSpec {
  /** The label, and the context's name when saved as one. */
  name: string;
  url: string;
  tls?: { ca?: string; cert?: string; key?: string; verify: boolean };
  /** Save it as a docker context, so `docker context use <name>` reaches it too. */
  saveAsContext: boolean;
}

/** One engine's containers in the merged list; `error` when the engine could not be asked. */
export interface EngineContainers {
  engine: string;
  label: string;
  current: boolean;
  containers?: ContainerSummary[];
  error?: string;
}

export interface Capabilities {
  /** A host shell through node-pty: offered only when the UI is local (Electron, or loopback). */
  hostTerminal: boolean;
  platform: string;
  /** 'electron' or 'dashboard': what carries this API. */
  shell: 'electron' | 'dashboard';
  /** True when the backend can show the desktop's own file dialog (Electron); else the UI asks for a path. */
  nativeDialogs?: boolean;
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

// ---- registry sign-in (issue 14: registry credentials as the docker CLI keeps them) -----------

/** What the "Sign in to a registry" dialog sends. */
export interface RegistrySignIn {
  /** host[:port] (a URL is cut to its host); empty or "docker.io" for Docker Hub. */
  serverAddress: string;
  username: string;
  password: string;
}

/** A registry with stored credentials, as the docker CLI's config keeps it (no secrets). */
export interface RegistryLogin {
  /** The CLI's key: host[:port], or https://index.docker.io/v1/ for Docker Hub. */
  serverAddress: string;
  username: string;
  /** "config.json" or the credential helper (docker-credential-pass…) that holds the secret. */
  store: string;
}

export interface RegistryLoginList {
  logins: RegistryLogin[];
  /** Stores that could not be read (a helper that is missing or failed), in words. */
  problems: string[];
  /** The config.json read: $DOCKER_CONFIG/config.json or ~/.docker/config.json. */
  configPath: string;
}

// ---- swarm (issue 14, the Swarm view) ------------------------------------------------------------

/** Whether the current engine can manage a swarm (Info.Swarm.ControlAvailable), and if not, the
 * engine's own reason (dockerd's or berthd's answer to GET /nodes). */
export interface SwarmStatus {
  manager: boolean;
  /** Info.Swarm.LocalNodeState: inactive, pending, active, error, locked. */
  nodeState: string;
  nodeId: string;
  reason?: string;
}

export interface SwarmNode {
  id: string;
  hostname: string;
  role: string;
  availability: string;
  /** ready, down, unknown, disconnected. */
  state: string;
  leader: boolean;
  address: string;
  engineVersion: string;
}

export interface SwarmPort {
  published: number;
  target: number;
  protocol: string;
  /** ingress (routing mesh) or host. */
  mode: string;
}

export interface SwarmService {
  id: string;
  name: string;
  image: string;
  /** replicated or global. */
  mode: string;
  /** Desired replicas; for a global service, the tasks the orchestrator wants. */
  replicasDesired: number;
  replicasRunning: number;
  ports: SwarmPort[];
  /** The stack it was deployed with (label com.docker.stack.namespace). */
  stack?: string;
  updatedAt: string;
}

export interface SwarmTask {
  id: string;
  slot?: number;
  nodeId: string;
  state: string;
  desiredState: string;
  message: string;
  error?: string;
  image: string;
  containerId?: string;
  updatedAt: string;
}

export interface SwarmServiceSpec {
  name: string;
  image: string;
  replicas: number;
  /** Published on the routing mesh; targetPort defaults to the same number. */
  publishedPort?: number;
  targetPort?: number;
  /** Overrides the image's command (e.g. a busybox that stays up). */
  command?: string[];
}

export interface StackSummary {
  name: string;
  services: number;
}

/** One line a CLI run printed (`docker stack deploy`). */
export interface CliOutputLine {
  stream: 'stdout' | 'stderr';
  text: string;
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
  /** Which service printed it, in a merged log (compose projects). */
  source?: string;
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

// ---- compose projects (issue 15: the Compose view) ---------------------------------------------------

/** Whole-project lifecycle, done on the engine over the project's labelled containers. */
export type ComposeProjectAction = 'start' | 'stop' | 'restart';

/** What the Compose CLI is asked to do with a project's files. */
export type ComposeCommand = 'up' | 'down' | 'pull' | 'restart';

/** A compose project as files on the backend's machine. */
export interface ComposeFiles {
  /** Absolute paths; the first one's folder is the working directory unless `workingDir` is given. */
  files: string[];
  workingDir?: string;
  /** Defaults to the working directory's name, as the Compose CLI derives it. */
  project?: string;
}

/** A project the user opened before (remembered in the settings dir). */
export interface RememberedComposeProject {
  project: string;
  workingDir: string;
  files: string[];
  /** Milliseconds since the epoch. */
  lastUsed: number;
}

export interface ComposeCliInfo {
  /** The command line that runs it: ['docker', 'compose'] or ['docker-compose']; absent when none was found. */
  command?: string[];
  version?: string;
  /** Why there is none, in words a user can act on. */
  message?: string;
}

/** One line the Compose CLI printed, or its exit. */
export type ComposeOutput = { stream: 'stdout' | 'stderr'; text: string } | { exit: number };

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
  /** Switches the backend to another Docker-API endpoint (and remembers it): a URL or an engine id. */
  selectEndpoint(url: string): EngineStatus;
  // many engines (issue 14: docker contexts, every engine at once)
  /** Every known engine (Berth's, docker contexts, added ones), each probed in parallel with a timeout. */
  listEngines(): EngineOverview[];
  /** Adds an engine (optionally as a docker context); does not switch to it. */
  addEngine(spec: NewEngineSpec): EngineEndpoint;
  /** The containers of every engine, each engine with its own timeout. */
  listAllContainers(): EngineContainers[];
  diskUsage(): DiskUsage;
  /** The app's settings, and which of them this shell acts on (the dashboard: theme and endpoint only). */
  appSettings(): { settings: AppSettings; applies: AppSettingsApplies };
  /** Validates and keeps a change (400 naming the field, nothing kept, on a wrong one); answers the settings now in force. */
  updateAppSettings(change: AppSettingsChange): AppSettings;

  listContainers(): ContainerSummary[];
  inspectContainer(id: string): Record<string, unknown>;
  /** `engine` (an EngineEndpoint.id): act on that engine rather than the current one. */
  containerAction(id: string, action: ContainerAction, engine?: string): void;
  removeContainer(id: string, options: { force: boolean; volumes: boolean }, engine?: string): void;
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

  // Registry sign-in (issue 14): credentials live where the docker CLI keeps them.
  registryLogins(): RegistryLoginList;
  /** Checks the credentials with the engine (POST /auth), then stores them as `docker login` does. */
  registrySignIn(request: RegistrySignIn): { serverAddress: string; status: string; store: string };
  /** `docker logout`: erases the registry's credentials from their store. */
  registrySignOut(serverAddress: string): { removed: string[] };
  // swarm (issue 14, the Swarm view)
  swarmStatus(): SwarmStatus;
  listSwarmNodes(): SwarmNode[];
  listSwarmServices(): SwarmService[];
  listServiceTasks(serviceId: string): SwarmTask[];
  createSwarmService(spec: SwarmServiceSpec): { id: string };
  scaleSwarmService(id: string, replicas: number): void;
  updateSwarmServiceImage(id: string, image: string): void;
  removeSwarmService(id: string): void;
  listStacks(): StackSummary[];
  /** `docker stack rm NAME` with the project's docker CLI against the current engine. */
  removeStack(name: string): void;
  // Compose projects (issue 15): the projects themselves come from listContainers' labels.
  composeProjectAction(project: string, action: ComposeProjectAction): void;
  /** Like `compose down` without the files: the project's containers and networks; volumes only when asked. */
  removeComposeProject(project: string, options: { volumes: boolean }): { containers: number; networks: number; volumes: number };
  composeCli(): ComposeCliInfo;
  rememberedComposeProjects(): RememberedComposeProject[];
  /** Electron only (capabilities.nativeDialogs): the desktop's open dialog; null when cancelled. */
  chooseComposeFile(): string | null;
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
  // swarm (issue 14, the Swarm view)
  /** GET /services/{id}/logs, batched like container logs. */
  serviceLogs: { args: [serviceId: string, options: LogOptions]; item: LogLine[]; input: never };
  /** `docker stack deploy -c <compose> NAME` with the project's docker CLI against the current
   * engine: its output line by line; on failure the stream errors with the CLI's error text. */
  stackDeploy: { args: [name: string, composeYaml: string]; item: CliOutputLine; input: never };
  // Compose projects (issue 15):
  /** Every service's log of one project, merged and followed (containers that start later join). */
  composeLogs: { args: [project: string, options: { tail: number }]; item: LogLine[]; input: never };
  /** Runs the Compose CLI against the current engine; ends with { exit } (an error carrying the CLI's message when it failed). */
  compose: { args: [files: ComposeFiles, command: ComposeCommand]; item: ComposeOutput[]; input: never };
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
  'listEngines', 'addEngine', 'listAllContainers',
  'appSettings', 'updateAppSettings',
  'listContainers', 'inspectContainer', 'containerAction', 'removeContainer', 'runContainer',
  'listContainerFiles', 'readContainerFile',
  'listImages', 'inspectImage', 'imageHistory', 'tagImage', 'removeImage', 'pruneImages',
  'listVolumes', 'createVolume', 'removeVolume', 'listVolumeFiles', 'readVolumeFile',
  'listNetworks', 'inspectNetwork', 'createNetwork', 'removeNetwork',
  // Registry sign-in (issue 14)
  'registryLogins', 'registrySignIn', 'registrySignOut',
  // swarm (issue 14)
  'swarmStatus', 'listSwarmNodes', 'listSwarmServices', 'listServiceTasks', 'createSwarmService', 'scaleSwarmService',
  'updateSwarmServiceImage', 'removeSwarmService', 'listStacks', 'removeStack',
  // Compose projects (issue 15)
  'composeProjectAction', 'removeComposeProject', 'composeCli', 'rememberedComposeProjects', 'chooseComposeFile',
  // Build view (issue 15)
  'pickBuildFolder', 'buildFolderInfo', 'recentBuilds',
];

export const STREAM_NAMES: readonly StreamName[] = ['events', 'engine', 'logs', 'stats', 'statsAll', 'pull', 'push', 'terminal',
  // swarm (issue 14)
  'serviceLogs', 'stackDeploy',
  // Compose projects (issue 15)
  'composeLogs', 'compose',
  // Build view (issue 15)
  'build'];
