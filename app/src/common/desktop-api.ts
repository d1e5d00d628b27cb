// DesktopApi: the one typed contract between the renderer and app/src/backend (DESIGN.md rule 7).
// The renderer holds a `DesktopApi`; behind it is either Electron IPC (preload) or a WebSocket to
// `berth dashboard`. Both carry the same two kinds of traffic, described here as data so that the
// transports stay generic:
//   - calls: one request, one answer (DesktopCalls);
//   - streams: one request, many items until either side closes (DesktopStreams), optionally with
//     input from the renderer (a terminal's keystrokes and resizes).
// The data types of each domain are in api/*.ts, re-exported here: callers import from this file.
import type {
  ContainerSummary, DiskUsage, EngineEvent, ImageHistoryEntry, ImageSummary,
  Network, ProgressMessage, Volume,
} from './docker-types.ts';
import type { AppSettings, AppSettingsApplies, AppSettingsChange } from './app-settings.ts';
import type { BuildFolderInfo, BuildItem, BuildRecord, BuildSpec } from './api/build-types.ts';
import type { ComposeCliInfo, ComposeCommand, ComposeFiles, ComposeOutput, ComposeProjectAction, RememberedComposeProject } from './api/compose-types.ts';
import type { ContainerAction, FileContent, FileListing, RunSpec } from './api/container-types.ts';
import type { Capabilities, DiagnosticsBundle, EndpointList, EngineAction, EngineContainers, EngineEndpoint, EngineOverview, EngineStatus, NewEngineSpec } from './api/engine-types.ts';
import type { RegistryLoginList, RegistrySignIn } from './api/registry-types.ts';
import type { LogLine, LogOptions, StatsSample, TerminalInput, TerminalOutput, TerminalSize, TerminalTarget } from './api/stream-types.ts';
import type { CliOutputLine, StackSummary, SwarmNode, SwarmService, SwarmServiceSpec, SwarmStatus, SwarmTask } from './api/swarm-types.ts';

export type { AppSettings, AppSettingsApplies, AppSettingsChange, NotificationSettings, Theme } from './app-settings.ts';

export type * from './api/engine-types.ts';
export type * from './api/container-types.ts';
export type * from './api/registry-types.ts';
export type * from './api/swarm-types.ts';
export type * from './api/stream-types.ts';
export type * from './api/compose-types.ts';
export type * from './api/build-types.ts';

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
