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
import * as images from './calls/images.ts';
import * as networks from './calls/networks.ts';
import { listVolumeFiles, readVolumeFile } from './calls/volume-files.ts';
import * as volumes from './calls/volumes.ts';
import type { BackendCalls, BackendStreams, DesktopBackend, StreamSession, StreamSink } from './desktop-backend.ts';
import { loadEndpointSettings } from './endpoint-settings.ts';
import { DEFAULT_ENDPOINT } from './engine-connection.ts';
import type { EngineControl } from './engine/engine-control.ts';
import { EngineTarget } from './engine-target.ts';
import { EventsFeed } from './events-feed.ts';
import { openEngineStatusStream } from './streams/engine-status.ts';
import { openEventsStream } from './streams/events.ts';
import { openLogsStream } from './streams/logs.ts';
import { openPullStream, openPushStream } from './streams/progress.ts';
import { openStatsAllStream } from './streams/stats-all.ts';
import { openStatsStream } from './streams/stats.ts';
import { openTerminalStream } from './streams/terminal.ts';

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
  /** Electron's native folder dialog for the Build view (null when dismissed); the dashboard has none. */
  pickFolder?: () => Promise<string | null>;
}

export function createDesktopBackend(options: DesktopBackendOptions): DesktopBackend & { dispose(): Promise<void> } {
  const settings = loadEndpointSettings(options.settingsDir);
  const appSettingsProvider = options.appSettings ?? fileAppSettings(options.settingsDir);
  // A forced endpoint that is malformed throws here (400 with the accepted forms); the settings'
  // launch endpoint, then the one last chosen in the Engine view, are skipped in favour of the
  // defaults when they no longer parse.
  let initial = options.endpoint;
  for (const stored of [appSettingsProvider.get().engineEndpoint, settings.current]) {
    if (initial !== undefined || !stored) continue;
    try {
      initial = new EngineTarget(stored).endpoint;
    } catch {
      initial = undefined;
    }
  }
  const target = new EngineTarget(initial ?? options.localEngine?.endpoint ?? DEFAULT_ENDPOINT);
  const events = new EventsFeed(target);
  const context: BackendContext = {
    target,
    localEngine: options.localEngine,
    settingsDir: options.settingsDir,
    hostTerminal: options.hostTerminal,
    shell: options.shell,
    events,
  };
  const endpoints = new EndpointCalls(context, settings);
  const appSettings = new AppSettingsCalls(appSettingsProvider);
  const buildHistory = new BuildHistory(options.settingsDir);
  const pickFolder = options.pickFolder;

  const calls: BackendCalls = {
    capabilities: () => capabilities(context),
    engineStatus: () => readEngineStatus(context),
    engineControl: (action) => engineControl(context, action),
    resetToFactoryDefaults: () => resetToFactoryDefaults(context, appSettingsProvider),
    writeDiagnostics: () => writeDiagnostics(context),
    listEndpoints: () => endpoints.listEndpoints(),
    selectEndpoint: (url) => endpoints.selectEndpoint(url),
    diskUsage: () => diskUsage(context),
    appSettings: () => appSettings.appSettings(),
    updateAppSettings: (change) => appSettings.updateAppSettings(change),

    listContainers: () => containers.listContainers(context),
    inspectContainer: (id) => containers.inspectContainer(context, id),
    containerAction: (id, action) => containers.containerAction(context, id, action),
    removeContainer: (id, opts) => containers.removeContainer(context, id, opts),
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

    // Build view
    pickBuildFolder: () => {
      if (!pickFolder) throw badRequest('the dashboard has no folder dialog: type the path of a folder on the engine\'s machine');
      return pickFolder();
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
      await endpoints.flush();
    },
  };
}
