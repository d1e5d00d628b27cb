// Electron glue for the main window: secure webPreferences, the page from berth-app://, the
// navigation policy, the saved size and position, and the IPC transport for its page. Closing the
// window hides it (Berth stays in the tray) unless the app is quitting.
import { BrowserWindow, ipcMain, screen, shell } from 'electron';
import type { DesktopBackend } from '../backend/desktop-backend.ts';
import { NAVIGATE_CHANNEL } from '../common/ipc-channels.ts';
import { APP_PAGE_URL } from './app-protocol.ts';
import { attachRpcTransport } from './ipc-transport.ts';
import { decideWindowOpen, isAppPage, mayNavigate } from './navigation-policy.ts';
import { loadWindowState, MIN_SIZE, placeWindow, saveWindowState } from './window-state.ts';

export interface MainWindowOptions {
  backend: DesktopBackend;
  preload: string;
  icon: string;
  stateFile: string;
  /** Host ports containers publish now (links to them may open in the system browser). */
  publishedPorts(): ReadonlySet<number>;
  /** True once the app is quitting: close really closes. */
  quitting(): boolean;
  initialRoute?: string;
}

export function createMainWindow(options: MainWindowOptions): BrowserWindow {
  const placed = placeWindow(loadWindowState(options.stateFile), [
    screen.getPrimaryDisplay().workArea,
    ...screen.getAllDisplays().map((d) => d.workArea),
  ]);
  const win = new BrowserWindow({
    ...placed.bounds,
    minWidth: MIN_SIZE.width,
    minHeight: MIN_SIZE.height,
    show: false,
    title: 'Berth',
    icon: options.icon,
    webPreferences: {
      preload: options.preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
    },
  });
  if (placed.maximized) win.maximize();
  win.once('ready-to-show', () => win.show());

  const contents = win.webContents;
  contents.on('will-navigate', (event, url) => {
    if (!mayNavigate(url, APP_PAGE_URL)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!mayNavigate(url, APP_PAGE_URL)) event.preventDefault();
  });
  contents.setWindowOpenHandler(({ url }) => {
    const decision = decideWindowOpen(url, options.publishedPorts());
    if (decision.action === 'external') void shell.openExternal(decision.url);
    return { action: 'deny' };
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  const transport = attachRpcTransport({ ipcMain, webContents: contents, backend: options.backend, isAppPage: (url) => isAppPage(url, APP_PAGE_URL) });

  const save = () => {
    if (win.isDestroyed()) return;
    try {
      saveWindowState(options.stateFile, { bounds: win.getNormalBounds(), maximized: win.isMaximized() });
    } catch {
      // Not remembering the size is no reason to disturb the user.
    }
  };
  let saveTimer: NodeJS.Timeout | undefined;
  const saveSoon = () => {
    clearTimeout(saveTimer);
    saveTimer = setTimeout(save, 500);
  };
  for (const event of ['resize', 'move', 'maximize', 'unmaximize'] as const) win.on(event as 'resize', saveSoon);
  win.on('close', (event) => {
    save();
    if (!options.quitting()) {
      event.preventDefault();
      win.hide();
    }
  });
  win.on('closed', () => {
    clearTimeout(saveTimer);
    transport.dispose();
  });

  void win.loadURL(`${APP_PAGE_URL}${options.initialRoute ?? '#/containers'}`);
  return win;
}

/** Brings the window forward, optionally at a renderer route (tray entries, deep links, notifications). */
export function showWindow(win: BrowserWindow, route?: string): void {
  if (win.isMinimized()) win.restore();
  win.show();
  win.focus();
  if (route) win.webContents.send(NAVIGATE_CHANNEL, route);
}
