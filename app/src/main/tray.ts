// Electron glue for the tray: the icon follows the engine state, the menu is rebuilt from each
// engine snapshot (tray-menu.ts builds it as data; engine-watch.ts follows the engine).
import { Menu, nativeImage, Tray } from 'electron';
import { join } from 'node:path';
import type { EngineState } from '../common/desktop-api.ts';
import { withClicks } from './app-menu.ts';
import type { EngineSnapshot } from './engine-watch.ts';
import { buildTrayMenu, statusLine, trayIconFile, type TrayAction } from './tray-menu.ts';

export interface BerthTray {
  update(snapshot: EngineSnapshot): void;
  destroy(): void;
  readonly tray: Tray;
}

export function createTray(iconsDir: string, run: (action: TrayAction) => void): BerthTray {
  const icon = (state: EngineState | undefined) => {
    const image = nativeImage.createFromPath(join(iconsDir, trayIconFile(state, process.platform)));
    if (process.platform === 'darwin') image.setTemplateImage(true);
    return image;
  };
  const tray = new Tray(icon(undefined));
  tray.setToolTip('Berth');
  let lastIcon: string | undefined;
  let lastMenu: string | undefined;
  const update = (snapshot: EngineSnapshot) => {
    const file = trayIconFile(snapshot.status?.state, process.platform);
    if (file !== lastIcon) {
      lastIcon = file;
      tray.setImage(icon(snapshot.status?.state));
    }
    const items = buildTrayMenu(snapshot);
    const text = JSON.stringify(items);
    if (text === lastMenu) return; // an unchanged menu is not rebuilt (it would close an open one on some desktops)
    lastMenu = text;
    tray.setContextMenu(Menu.buildFromTemplate(withClicks(items, run)));
    tray.setToolTip(`Berth — ${statusLine(snapshot.status)}`);
  };
  update({ status: undefined, containers: [] });
  return { update, destroy: () => tray.destroy(), tray };
}
