// Electron's main process: thin glue that wires the plain modules beside it (DESIGN.md rule 6).
// One instance per user; the backend runs in process (createDesktopBackend) and serves the window
// over IPC; the tray and notifications follow the engine in process; quitting stops the engine
// only when this app started it and the user did not ask to keep it running.
import { app, dialog, Menu, nativeTheme, Notification, powerMonitor, protocol, shell, type BrowserWindow } from 'electron';
import { join } from 'node:path';
import { vmResourceAsk } from '../common/app-settings.ts';
import { createDesktopBackend } from '../backend/create-desktop-backend.ts';
import { createEngine, ELEVATION_PROMPT, shouldStopEngineOnQuit } from '../backend/engine/choose-engine.ts';
import { afterHostResume } from '../backend/engine/vm-engine.ts';
import { resolveHomeDir } from '../backend/vm/vm-home.ts';
import { buildAppMenu, withClicks } from './app-menu.ts';
import { appPaths } from './app-paths.ts';
import { APP_SCHEME, respondToAppRequest } from './app-protocol.ts';
import { DEEP_LINK_SCHEME, findDeepLink, parseDeepLink } from './deep-link.ts';
import { EngineWatch } from './engine-watch.ts';
import { STARTED_HIDDEN_FLAG, setLinuxAutostart } from './linux-autostart.ts';
import { createMainWindow, showWindow } from './main-window.ts';
import { loopbackPort } from './navigation-policy.ts';
import { ContainerNotifier } from './notifications.ts';
import { electronAppSettings, loadSettings, type AppSettings } from './settings.ts';
import { createTray, type BerthTray } from './tray.ts';
import type { TrayAction } from './tray-menu.ts';

// Must happen before `ready`: berth-app:// behaves like https (standard origin, secure context).
protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

function routeOf(link: string | undefined): string | undefined {
  if (!link) return undefined;
  const parsed = parseDeepLink(link);
  if (!parsed.ok) {
    void dialog.showMessageBox({ type: 'warning', message: 'Berth cannot open this link', detail: `${link}\n\n${parsed.reason}` });
    return undefined;
  }
  return parsed.link.route;
}

function run(): void {
  // A separate settings/state directory (a second profile, or a test's own), read before anything uses it.
  if (process.env.BERTH_USER_DATA_DIR) app.setPath('userData', process.env.BERTH_USER_DATA_DIR);
  const paths = appPaths({ appPath: app.getAppPath(), resourcesPath: app.isPackaged ? process.resourcesPath : undefined, env: process.env, execPath: process.execPath });
  const userData = app.getPath('userData');
  const settingsPath = join(userData, 'settings.json');
  const { settings: initialSettings, warnings } = loadSettings(settingsPath);
  // Only a packaged app registers itself at login: a development run would register the bare
  // Electron binary. macOS and Windows have Electron's login items; Linux has XDG autostart.
  const loginItems = app.isPackaged && ['darwin', 'win32', 'linux'].includes(process.platform);
  const setStartAtLogin = (enabled: boolean) => {
    if (process.platform === 'linux') setLinuxAutostart(enabled, { env: process.env, execPath: process.execPath });
    else app.setLoginItemSettings({ openAtLogin: enabled, args: [STARTED_HIDDEN_FLAG] }); // args: Windows; macOS reports wasOpenedAtLogin
  };
  const applySettings = (next: AppSettings, previous?: AppSettings) => {
    nativeTheme.themeSource = next.theme;
    if (loginItems && next.startAtLogin !== previous?.startAtLogin) setStartAtLogin(next.startAtLogin);
    // Notification toggles and keepEngineRunningOnQuit are read from `settings.current()` when used.
  };
  const settings = electronAppSettings({
    path: settingsPath,
    initial: initialSettings,
    applies: { startAtLogin: loginItems, keepEngineRunningOnQuit: true, notifications: true, engineLocation: true },
    apply: applySettings,
  });
  let win: BrowserWindow | undefined;
  let tray: BerthTray | undefined;
  let quitting = false;
  let shutDown = false;
  let pendingRoute = routeOf(findDeepLink(process.argv));

  // Where the engine runs is chosen once per launch (a changed engine location applies at the next).
  const engine = createEngine({
    platform: process.platform,
    uid: process.getuid?.(),
    location: settings.current().engineLocation,
    node: paths.engineNode,
    entry: paths.engineEntry,
    userLogDir: app.getPath('logs'),
    vmHomeDir: resolveHomeDir(undefined),
    vmResources: () => vmResourceAsk(settings.current()),
    confirmElevation: async () => {
      const answer = await dialog.showMessageBox({
        type: 'question', title: ELEVATION_PROMPT.title, message: ELEVATION_PROMPT.message, detail: ELEVATION_PROMPT.detail,
        buttons: [ELEVATION_PROMPT.confirm, ELEVATION_PROMPT.cancel], defaultId: 0, cancelId: 1,
      });
      return answer.response === 0;
    },
  });
  const backend = createDesktopBackend({
    settingsDir: userData,
    localEngine: engine,
    // The docker CLI's `berth` context follows Berth's own engine (the VM keeps its own).
    berthContext: true,
    hostTerminal: true,
    shell: 'electron',
    // Also gives the backend the launch endpoint (settings' engineEndpoint, else the last chosen).
    appSettings: settings,
    // "Open compose file…" and the Build view's folder: the desktop's own dialog, over the window when there is one.
    chooseFile: async (request) => {
      const options = { title: request.title, filters: request.filters, properties: [request.folder ? 'openDirectory' as const : 'openFile' as const] };
      const result = win && !win.isDestroyed() ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options);
      return result.canceled ? undefined : result.filePaths[0];
    },
  });
  const notifier = new ContainerNotifier();
  const watch = new EngineWatch({
    backend,
    onSnapshot: (snapshot) => tray?.update(snapshot),
    onEvent: (event) => {
      const note = notifier.handle(event, settings.current().notifications);
      if (!note || !Notification.isSupported()) return;
      const shown = new Notification({ title: note.title, body: note.body });
      shown.on('click', () => open(note.route));
      shown.show();
    },
  });

  const window = (): BrowserWindow => {
    if (!win || win.isDestroyed()) {
      win = createMainWindow({
        backend, preload: paths.preload, icon: paths.appIcon, stateFile: join(userData, 'window-state.json'),
        publishedPorts: () => watch.publishedPorts, quitting: () => quitting, initialRoute: pendingRoute,
      });
      pendingRoute = undefined;
    }
    return win;
  };
  const open = (route?: string) => showWindow(window(), route);
  const fail = (what: string) => (error: unknown) => {
    void dialog.showMessageBox({ type: 'error', message: what, detail: message(error) });
  };
  const act = (action: TrayAction): void => {
    switch (action.kind) {
      case 'engine': return void Promise.resolve(backend.calls.engineControl(action.verb)).catch(fail(`Could not ${action.verb} the engine`));
      case 'container': return void Promise.resolve(backend.calls.containerAction(action.id, action.verb)).catch(fail(`Could not ${action.verb} the container`));
      case 'show': return open(action.route);
      case 'open-url': if (loopbackPort(action.url) !== undefined) void shell.openExternal(action.url); return;
      case 'quit': return app.quit();
    }
  };

  app.on('second-instance', (_event, argv) => open(routeOf(findDeepLink(argv))));
  app.on('open-url', (event, url) => { // macOS delivers deep links here
    event.preventDefault();
    const route = routeOf(url);
    if (app.isReady()) open(route);
    else pendingRoute = route;
  });
  app.on('activate', () => open()); // macOS: a click on the Dock icon
  app.on('window-all-closed', () => {}); // Berth stays in the tray
  app.on('before-quit', (event) => {
    quitting = true;
    if (shutDown) return;
    event.preventDefault();
    void (async () => {
      watch.close();
      await backend.dispose().catch(() => {});
      // Containers keep running either way (conmon holds them); only an engine we started stops.
      if (shouldStopEngineOnQuit(engine, settings.current().keepEngineRunningOnQuit)) await engine.stop().catch(() => {});
      shutDown = true;
      app.quit();
    })();
  });

  void app.whenReady().then(async () => {
    protocol.handle(APP_SCHEME, async (request) => {
      const answer = await respondToAppRequest(paths.rendererDir, request.url);
      return new Response(typeof answer.body === 'string' ? answer.body : new Uint8Array(answer.body), { status: answer.status, headers: answer.headers });
    });
    applySettings(settings.current());
    // The VM's clock stood still while the host slept (the forwarder's periodic check covers a missed event).
    powerMonitor.on('resume', () => void afterHostResume(engine, (line) => console.info(line)));
    if (app.isPackaged) app.setAsDefaultProtocolClient(DEEP_LINK_SCHEME);
    Menu.setApplicationMenu(Menu.buildFromTemplate(withClicks(buildAppMenu(process.platform, { hostTerminal: true, devTools: !app.isPackaged }), act)));
    tray = createTray(paths.trayIconsDir, act);
    // The e2e suite checks the tray from the main process (Electron has no API that lists trays).
    if (process.env.BERTH_E2E === '1') Object.assign(globalThis, { berthTray: tray.tray });
    // Started at login: only the tray, until the user opens the window.
    const startedHidden = process.argv.includes(STARTED_HIDDEN_FLAG) || (process.platform === 'darwin' && app.getLoginItemSettings().wasOpenedAtLogin);
    if (!startedHidden) window();
    if (warnings.length > 0) void dialog.showMessageBox({ type: 'warning', message: 'Some of Berth’s settings could not be read', detail: warnings.join('\n') });
    await watch.start();
    // No engine answers where Berth's own should: start it (the Engine view shows "starting").
    const status = await backend.calls.engineStatus();
    if (status.controllable && status.state === 'stopped') await engine.start().catch(fail('Berth’s engine did not start'));
  });
}

// A second launch hands its arguments (a berth:// link) to the first and leaves.
if (app.requestSingleInstanceLock()) run();
else app.quit();
