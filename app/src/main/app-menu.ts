// The application menu as data (Electron MenuItemConstructorOptions without click handlers):
// entries either use an Electron role or carry a TrayAction the glue carries out. The View menu
// mirrors the renderer's keyboard shortcuts (renderer/shortcuts.ts: Ctrl/Cmd+1…6).
import type { MenuItemConstructorOptions } from 'electron';
import type { TrayAction } from './tray-menu.ts';

export type AppMenuItem = Omit<MenuItemConstructorOptions, 'click' | 'submenu'> & { action?: TrayAction; submenu?: AppMenuItem[] };

export const VIEW_ROUTES: readonly { label: string; route: string }[] = [
  { label: 'Containers', route: '#/containers' },
  { label: 'Images', route: '#/images' },
  { label: 'Volumes', route: '#/volumes' },
  { label: 'Networks', route: '#/networks' },
  { label: 'Engine', route: '#/engine' },
  { label: 'Terminal', route: '#/terminal' },
];

export function buildAppMenu(platform: string, options: { hostTerminal: boolean; devTools: boolean }): AppMenuItem[] {
  const mac = platform === 'darwin';
  const settings: AppMenuItem = { label: mac ? 'Settings…' : 'Settings', accelerator: 'CmdOrCtrl+,', action: { kind: 'show', route: '#/settings' } };
  const views = VIEW_ROUTES.filter((v) => options.hostTerminal || v.route !== '#/terminal')
    .map((v, i): AppMenuItem => ({ label: v.label, accelerator: `CmdOrCtrl+${i + 1}`, action: { kind: 'show', route: v.route } }));
  return [
    ...(mac ? [{ label: 'Berth', submenu: [
      { role: 'about' }, { type: 'separator' }, settings, { type: 'separator' },
      { role: 'hide' }, { role: 'hideOthers' }, { role: 'unhide' }, { type: 'separator' }, { role: 'quit', label: 'Quit Berth' },
    ] } satisfies AppMenuItem] : []),
    { label: '&File', submenu: [
      ...(mac ? [] : [settings, { type: 'separator' } satisfies AppMenuItem]),
      // Closing the window keeps Berth in the tray; Quit ends it.
      { role: 'close', label: 'Close Window' },
      ...(mac ? [] : [{ label: 'Quit Berth', accelerator: 'CmdOrCtrl+Q', action: { kind: 'quit' } } satisfies AppMenuItem]),
    ] },
    // The edit roles give text fields and the terminal copy/paste on every platform (macOS needs them in the menu).
    { label: '&Edit', submenu: [
      { role: 'undo' }, { role: 'redo' }, { type: 'separator' },
      { role: 'cut' }, { role: 'copy' }, { role: 'paste' }, { role: 'selectAll' },
    ] },
    { label: '&View', submenu: [
      ...views,
      { type: 'separator' },
      { role: 'reload' },
      ...(options.devTools ? [{ role: 'toggleDevTools' } satisfies AppMenuItem] : []),
      { type: 'separator' },
      { role: 'resetZoom' }, { role: 'zoomIn' }, { role: 'zoomOut' }, { type: 'separator' }, { role: 'togglefullscreen' },
    ] },
    { label: '&Window', submenu: [{ role: 'minimize' }, ...(mac ? [{ role: 'zoom' } satisfies AppMenuItem] : [])] },
  ];
}

/** Data → Electron template: each action becomes a click that hands it to `run`. */
export function withClicks(items: readonly AppMenuItem[], run: (action: TrayAction) => void): MenuItemConstructorOptions[] {
  return items.map(({ action, submenu, ...item }) => ({
    ...item,
    ...(submenu ? { submenu: withClicks(submenu, run) } : {}),
    ...(action ? { click: () => run(action) } : {}),
  }));
}
