// The plain-Node DesktopBackend (DESIGN.md rule 6): every DesktopApi call and stream, served over
// dockerode to the engine endpoint in use. It runs inside Electron's main process and inside
// `berth dashboard` alike; the transports (rpc-server.ts) are someone else's concern.
import type { BackendContext } from './backend-context.ts';
import { badRequest } from './backend-error.ts';
import { buildFolderInfo } from './build/build-folder.ts';
import { BuildHistory } from './build/build-history.ts';
import { openBuildStream } from './build/build-stream.ts';
import { AppSettingsCalls, fileAppSettings, type AppSettingsProvider } from './calls/app-settings.ts';
import * as containers from './calls/containers.ts';
import { listContainerFiles, readContainerFile } from './calls/container-files.ts';
import { capabilities, diskUsage, engineControl } from './calls/engine.ts';
import { resetToFactoryDefaults, writeDiagnostics } from './calls/troubleshoot.ts';
import { readEngineStatus } from './calls/engine-status.ts';
import { EndpointCalls } from './calls/endpoints.ts';
import { EngineCalls } from './calls/engines.ts';
import { dockerCurrentEngine, EngineRegistry, engineOf, type KnownEngine } from './engines/engine-registry.ts';
import { writeDockerContext } from './vm/docker-context.ts';
import { currentContextName, DEFAULT_CONTEXT } from './contexts/context-store.ts';
import * as images from './calls/images.ts';
import * as networks from './calls/networks.ts';
import * as registries from './calls/registries.ts';
import { listVolumeFiles, readVolumeFile } from './calls/volume-files.ts';
import * as volumes from './calls/volumes.ts';
import type { BackendCalls, BackendStreams, DesktopBackend, StreamSession, StreamSink } from './desktop-backend.ts';
import { loadEndpointSettings } from './endpoint-settings.ts';
import { DEFAULT_ENDPOINT } from './engine-connection.ts';
import type { EngineControl } from './engine/engine-control.ts';
import { EngineTarget } from './engine-target.ts';
import type { DialOptions } from './engine-connection.ts';
import { EventsFeed } from './events-feed.ts';
import { RegistryCredentials } from './registry-credentials/registry-credentials.ts';
import { openEngineStatusStream } from './streams/engine-status.ts';
import { openEventsStream } from './streams/events.ts';
import { openLogsStream } from './streams/logs.ts';
import { openPullStream, openPushStream } from './streams/progress.ts';
import { openStatsAllStream } from './streams/stats-all.ts';
import { openStatsStream } from './streams/stats.ts';
import { openTerminalStream } from './streams/terminal.ts';
import { openServiceLogsStream } from './swarm/service-logs.ts';
import { listStacks, openStackDeployStream, removeStack } from './swarm/stacks.ts';
import * as swarm from './swarm/swarm-calls.ts';
// Compose projects (issue 15)
import { ComposeCliLocator } from './compose/compose-cli.ts';
import { openComposeLogsStream } from './compose/compose-logs.ts';
import { loadRememberedProjects } from './compose/compose-memory.ts';
import { composeProjectAction, removeComposeProject } from './compose/compose-projects.ts';
import { openComposeStream } from './compose/compose-run.ts';
import { BackendError } from './backend-error.ts';

export interface DesktopBackendOptions {
  /** Directory where the backend keeps its settings (chosen endpoint, endpoints the user added): <settingsDir>/endpoints.json, written atomically (temp file, fsync, rename). */
  settingsDir: string;
  /** Berth's own engine, when this backend can start and stop it (engine/choose-engine.ts picks it). */
  localEngine?: EngineControl;
  /** Endpoint forced by the caller (e.g. `berth dashboard --engine unix:///x.sock`); else the settings' launch endpoint; else the stored choice; else localEngine.endpoint; else unix:///run/berth/docker.sock. */
  endpoint?: string;
  /** Offer the host shell (node-pty) — true only when the UI is local. */
  hostTerminal: boolean;
  shell: 'electron' | 'dashboard';
  /** The app's settings as Electron's main keeps and applies them; without it the backend keeps <settingsDir>/settings.json itself (theme and launch endpoint only). */
  appSettings?: AppSettingsProvider;
  /** How remote engines are dialled: TLS material for tcp:// endpoints, ssh options for ssh:// ones. */
  dial?: DialOptions;
  /** The desktop's own open-file dialog (Electron's main gives it); resolves undefined when cancelled. */
  chooseFile?: (request: { title: string; filters?: { name: string; extensions: string[] }[]; folder?: boolean }) => Promise<string | undefined>;
  /** The environment the docker CLI would see: whose contexts are engines here (DOCKER_CONFIG,
   * DOCKER_HOST, DOCKER_CONTEXT), and where registry credentials are looked up (config.json, and
   * PATH for docker-credential-* helpers). Default: this process's. */
  dockerEnv?: NodeJS.ProcessEnv;
  /** Keep the docker CLI's `berth` context pointing at localEngine (Electron and the dashboard,
   * for berthd on this kernel; the VM writes its own in vm/vm-control.ts). */
  berthContext?: boolean;
  /** Per-engine timeout of the Engines view's probes and the merged container list (ms). */
  engineProbeTimeoutMs?: number;
}

export function createDesktopBackend(options: DesktopBackendOptions): DesktopBackend & { dispose(): Promise<void> } {
  const settings = loadEndpointSettings(options.settingsDir);
  const appSettingsProvider = options.appSettings ?? fileAppSettings(options.settingsDir);
  const dockerEnv = options.dockerEnv ?? process.env;
  if (options.berthContext && options.localEngine && options.localEngine.kind !== 'vm') {
    try {
      writeDockerContext('berth', options.localEngine.endpoint, "Berth's engine", dockerEnv);
    } catch {
      // a read-only or foreign ~/.docker must not stop the app; the context is a convenience
    }
  }
  // A forced endpoint that is malformed throws here (400 with the accepted forms); the settings'
  // launch endpoint, then the engine last chosen (a URL or a docker context), are skipped in
  // favour of the defaults when they no longer resolve. Without any of these and without an
  // engine of its own, Berth starts where the docker CLI would: its current context.
  let initial: KnownEngine | undefined = options.endpoint === undefined ? undefined : engineOf(options.endpoint, dockerEnv);
  for (const stored of [appSettingsProvider.get().engineEndpoint, settings.current, options.localEngine?.endpoint]) {
    if (initial !== undefined || !stored) continue;
    try {
      initial = engineOf(stored, dockerEnv);
      new EngineTarget(initial.url, { tls: initial.tls }); // the address must be one Berth can speak to
    } catch {
      initial = undefined;
    }
  }
  // The CLI's `default` context without DOCKER_HOST is dockerd's socket, not a choice the user
  // made: Berth's own socket stays the default then.
  if (!initial && (dockerEnv.DOCKER_HOST || currentContextName(dockerEnv) !== DEFAULT_CONTEXT)) {
    try {
      initial = dockerCurrentEngine(dockerEnv);
      new EngineTarget(initial.url, { tls: initial.tls }, options.dial);
    } catch {
      initial = undefined;
    }
  }
  const target = initial ? new EngineTarget(initial.url, { id: initial.id, tls: initial.tls }, options.dial) : new EngineTarget(options.localEngine?.endpoint ?? DEFAULT_ENDPOINT, {}, options.dial);
  const events = new EventsFeed(target);
  const context: BackendContext = {
    target,
    localEngine: options.localEngine,
    settingsDir: options.settingsDir,
    hostTerminal: options.hostTerminal,
    shell: options.shell,
    events,
    registryCredentials: new RegistryCredentials(dockerEnv),
    dockerEnv,
  };
  const registry = new EngineRegistry({ target, localEngine: options.localEngine, settings, env: dockerEnv });
  const endpoints = new EndpointCalls(context, settings, registry);
  const engines = new EngineCalls(registry, settings, () => endpoints.save(), options.engineProbeTimeoutMs);
  const appSettings = new AppSettingsCalls(appSettingsProvider);
  const composeCli = new ComposeCliLocator();
  const chooseFile = options.chooseFile;
  const buildHistory = new BuildHistory(options.settingsDir);

  const calls: BackendCalls = {
    capabilities: () => ({ ...capabilities(context), ...(chooseFile ? { nativeDialogs: true } : {}) }),
    engineStatus: () => readEngineStatus(context),
    engineControl: (action) => engineControl(context, action),
    resetToFactoryDefaults: () => resetToFactoryDefaults(context, appSettingsProvider),
    writeDiagnostics: () => writeDiagnostics(context),
    listEndpoints: () => endpoints.listEndpoints(),
    selectEndpoint: (url) => endpoints.selectEndpoint(url),
    listEngines: () => engines.listEngines(),
    addEngine: (spec) => engines.addEngine(spec),
    listAllContainers: () => engines.listAllContainers(),
    diskUsage: () => diskUsage(context),
    appSettings: () => appSettings.appSettings(),
    updateAppSettings: (change) => appSettings.updateAppSettings(change),

    listContainers: () => containers.listContainers(context),
    inspectContainer: (id) => containers.inspectContainer(context, id),
    containerAction: (id, action, engine) => containers.containerAction(context, id, action, registry.dockerOf(engine)),
    removeContainer: (id, opts, engine) => containers.removeContainer(context, id, opts, registry.dockerOf(engine)),
    runContainer: (spec) => containers.runContainer(context, spec),
    listContainerFiles: (id, path) => listContainerFiles(context, id, path),
    readContainerFile: (id, path) => readContainerFile(context, id, path),

    listImages: () => images.listImages(context),
    inspectImage: (id) => images.inspectImage(context, id),
    imageHistory: (id) => images.imageHistory(context, id),
    tagImage: (id, repo, tag) => images.tagImage(context, id, repo, tag),
    removeImage: (id, opts) => images.removeImage(context, id, opts),
    pruneImages: () => images.pruneImages(context),

    listVolumes: () => volumes.listVolumes(context),
    createVolume: (spec) => volumes.createVolume(context, spec),
    removeVolume: (name, opts) => volumes.removeVolume(context, name, opts),
    listVolumeFiles: (name, path) => listVolumeFiles(context, name, path),
    readVolumeFile: (name, path) => readVolumeFile(context, name, path),

    listNetworks: () => networks.listNetworks(context),
    inspectNetwork: (id) => networks.inspectNetwork(context, id),
    createNetwork: (spec) => networks.createNetwork(context, spec),
    removeNetwork: (id) => networks.removeNetwork(context, id),

    registryLogins: () => registries.registryLogins(context),
    registrySignIn: (request) => registries.registrySignIn(context, request),
    registrySignOut: (serverAddress) => registries.registrySignOut(context, serverAddress),
    // swarm (issue 14)
    swarmStatus: () => swarm.swarmStatus(context),
    listSwarmNodes: () => swarm.listNodes(context),
    listSwarmServices: () => swarm.listServices(context),
    listServiceTasks: (id) => swarm.listServiceTasks(context, id),
    createSwarmService: (spec) => swarm.createService(context, spec),
    scaleSwarmService: (id, replicas) => swarm.scaleService(context, id, replicas),
    updateSwarmServiceImage: (id, image) => swarm.updateServiceImage(context, id, image),
    removeSwarmService: (id) => swarm.removeService(context, id),
    listStacks: () => listStacks(context),
    removeStack: (name) => removeStack(context, name),
    // Compose projects (issue 15)
    composeProjectAction: (project, action) => composeProjectAction(context, project, action),
    removeComposeProject: (project, opts) => removeComposeProject(context, project, opts),
    composeCli: () => composeCli.get(),
    rememberedComposeProjects: () => loadRememberedProjects(options.settingsDir),
    chooseComposeFile: async () => {
      if (!chooseFile) throw new BackendError(409, 'this shell has no file dialog: type the compose file\'s path instead');
      const chosen = await chooseFile({ title: 'Open compose file', filters: [{ name: 'Compose files', extensions: ['yml', 'yaml'] }, { name: 'All files', extensions: ['*'] }] });
      return chosen ?? null;
    },
    // Build view
    pickBuildFolder: async () => {
      if (!chooseFile) throw badRequest('the dashboard has no folder dialog: type the path of a folder on the engine\'s machine');
      return (await chooseFile({ title: 'Build context folder', folder: true })) ?? null;
    },
    buildFolderInfo: (folder, dockerfile) => buildFolderInfo(context, folder, dockerfile),
    recentBuilds: () => buildHistory.list(),
  };

  // Open streams are tracked so that dispose() can end every one still running; a stream leaves
  // the set when it ends by itself (a finished pull or log) or is closed.
  const open = new Set<{ close(): void }>();
  function tracked<A, I, In>(start: (args: A, sink: StreamSink<I>) => StreamSession<In> | Promise<StreamSession<In>>) {
    return async (args: A, sink: StreamSink<I>): Promise<StreamSession<In>> => {
      let ended = false;
      let entry: { close(): void } | undefined;
      const settle = () => {
        ended = true;
        if (entry) open.delete(entry);
      };
      const started = await start(args, {
        next: (item) => sink.next(item),
        onDrain: (listener) => sink.onDrain(listener),
        error: (error) => { settle(); sink.error(error); },
        complete: () => { settle(); sink.complete(); },
      });
      const running = { close: () => started.close() };
      if (!ended) {
        entry = running;
        open.add(running);
      }
      return {
        ...(started.input ? { input: (input: In) => started.input?.(input) } : {}),
        close: () => { open.delete(running); started.close(); },
      };
    };
  }

  const streams: BackendStreams = {
    events: tracked((_args, sink) => openEventsStream(context, sink)),
    engine: tracked((_args, sink) => openEngineStatusStream(context, sink)),
    logs: tracked((args, sink) => openLogsStream(context, args, sink)),
    stats: tracked((args, sink) => openStatsStream(context, args, sink)),
    statsAll: tracked((_args, sink) => openStatsAllStream(context, sink)),
    pull: tracked((args, sink) => openPullStream(context, args, sink)),
    push: tracked((args, sink) => openPushStream(context, args, sink)),
    terminal: tracked((args, sink) => openTerminalStream(context, args, sink)),
    // swarm (issue 14)
    serviceLogs: tracked((args, sink) => openServiceLogsStream(context, args, sink)),
    stackDeploy: tracked((args, sink) => openStackDeployStream(context, args, sink)),
    // Compose projects (issue 15)
    composeLogs: tracked((args, sink) => openComposeLogsStream(context, args, sink)),
    compose: tracked((args, sink) => openComposeStream(context, composeCli, args, sink)),
    build: tracked((args, sink) => openBuildStream(context, buildHistory, args, sink)),
  };

  return {
    calls,
    streams,
    async dispose() {
      for (const session of [...open]) {
        try {
          session.close();
        } catch {
          // best effort: the backend is going away
        }
      }
      events.dispose();
      // Kept-alive connections: for ssh:// engines each one is an ssh process.
      target.closeConnections();
      await endpoints.flush();
    },
  };
}
