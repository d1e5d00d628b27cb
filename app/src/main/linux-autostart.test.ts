import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { autostartFile, setLinuxAutostart } from './linux-autostart.ts';

const home = mkdtempSync(join(tmpdir(), 'berth-autostart-'));
afterAll(() => rmSync(home, { recursive: true, force: true }));

describe('start at login on Linux (XDG autostart)', () => {
  it('writes an autostart entry for the AppImage and removes it again', () => {
    const env = { HOME: home, APPIMAGE: '/home/me/Apps/Berth 1.0.AppImage' };
    setLinuxAutostart(true, { env, execPath: '/tmp/.mount_Berth/berth-desktop' });
    const file = join(home, '.config', 'autostart', 'berth.desktop');
    expect(autostartFile(env)).toBe(file);
    const entry = readFileSync(file, 'utf8');
    expect(entry).toContain('[Desktop Entry]\nType=Application\n');
    expect(entry).toContain('Exec="/home/me/Apps/Berth 1.0.AppImage" --hidden\n');
    setLinuxAutostart(false, { env, execPath: '/unused' });
    expect(existsSync(file)).toBe(false);
    setLinuxAutostart(false, { env, execPath: '/unused' }); // already off: nothing to do, no error
  });

  it('uses XDG_CONFIG_HOME when it is absolute, and the installed binary without an AppImage', () => {
    const env = { HOME: home, XDG_CONFIG_HOME: join(home, 'cfg') };
    setLinuxAutostart(true, { env, execPath: '/opt/Berth/berth-desktop' });
    expect(readFileSync(join(home, 'cfg', 'autostart', 'berth.desktop'), 'utf8')).toContain('Exec=/opt/Berth/berth-desktop --hidden\n');
    expect(autostartFile({ HOME: home, XDG_CONFIG_HOME: 'relative' })).toBe(join(home, '.config', 'autostart', 'berth.desktop'));
  });
});
