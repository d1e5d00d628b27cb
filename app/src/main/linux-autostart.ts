// Start at login on Linux, where Electron's app.setLoginItemSettings does nothing: the XDG
// Autostart specification's `$XDG_CONFIG_HOME/autostart/<name>.desktop` entry, which GNOME, KDE,
// Xfce and the other freedesktop sessions run at login. The entry launches the installed binary,
// or the AppImage itself ($APPIMAGE: the mounted squashfs path changes on every run).
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** Passed by the login entry: the app then starts in the tray without opening its window. */
export const STARTED_HIDDEN_FLAG = '--hidden';

export interface AutostartInputs {
  env: NodeJS.ProcessEnv;
  /** process.execPath of the packaged app. */
  execPath: string;
}

export function autostartFile(env: NodeJS.ProcessEnv): string {
  const configHome = env.XDG_CONFIG_HOME && env.XDG_CONFIG_HOME.startsWith('/') ? env.XDG_CONFIG_HOME : join(env.HOME ?? homedir(), '.config');
  return join(configHome, 'autostart', 'berth.desktop');
}

/** The desktop entry's Exec value: quoted per the Desktop Entry spec, started hidden (tray only). */
function execLine(binary: string): string {
  const quoted = /[\s"`$\\]/.test(binary) ? `"${binary.replace(/(["`$\\])/g, '\\$1')}"` : binary;
  return `${quoted} ${STARTED_HIDDEN_FLAG}`;
}

export function setLinuxAutostart(enabled: boolean, inputs: AutostartInputs): void {
  const file = autostartFile(inputs.env);
  if (!enabled) {
    if (existsSync(file)) rmSync(file);
    return;
  }
  const binary = inputs.env.APPIMAGE ?? inputs.execPath;
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(file, [
    '[Desktop Entry]',
    'Type=Application',
    'Name=Berth',
    'Comment=Container manager: starts in the tray',
    `Exec=${execLine(binary)}`,
    'Icon=berth-desktop',
    'Terminal=false',
    'X-GNOME-Autostart-enabled=true',
    '',
  ].join('\n'));
}
