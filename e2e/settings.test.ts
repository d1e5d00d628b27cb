// Settings view against `berth dashboard`: the theme is kept by the backend (settings.json in the
// dashboard's settings directory), so it survives a reload and reaches a browser that never saw
// the change; the settings only the desktop app acts on are shown disabled with a note; the VM's
// resources are checked against this host before anything is kept.
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { SettingsPage, DESKTOP_ONLY_NOTE, type SettingsCheckbox } from './pages/settings-page.ts';
import { AppShell } from './pages/app-shell.ts';
import { openPage } from './support/browser.ts';
import { captureScreen } from './support/screenshots.ts';
import { useDashboardSession } from './support/session.ts';

const s = useDashboardSession('settings', { pullBusybox: false });
const sharedFolder = mkdtempSync(join(process.env.BERTH_TEST_TMP ?? tmpdir(), 'berth-e2e-share-'));
afterAll(() => rmSync(sharedFolder, { recursive: true, force: true }));

async function reload(settings: SettingsPage): Promise<void> {
  await s.page.reload();
  await s.app.nav.waitFor({ state: 'visible' });
  await settings.heading.waitFor({ state: 'visible' });
}

describe('Settings view', () => {
  test('the settings the dashboard does not act on are disabled, each with a visible note', async () => {
    const settings = new SettingsPage(s.page);
    await s.app.goTo('Settings');
    await settings.heading.waitFor({ state: 'visible' });
    await expect.poll(() => settings.themeChoice('System').isChecked()).toBe(true);
    for (const name of ['Start at login', 'Keep engine running on quit', 'Container failed', 'Container unhealthy'] satisfies SettingsCheckbox[]) {
      const box = settings.checkbox(name);
      expect(await box.isDisabled(), name).toBe(true);
      // The note is visible and is what the checkbox is described by.
      const noteId = await box.getAttribute('aria-describedby');
      expect(noteId, name).toBeTruthy();
      const note = s.page.locator(`[id="${noteId}"]`);
      expect(await note.isVisible(), name).toBe(true);
      expect(await note.innerText(), name).toBe(DESKTOP_ONLY_NOTE);
    }
    expect(await settings.themeChoice('Dark').isDisabled()).toBe(false);
    expect(await settings.launchEndpoint.isDisabled()).toBe(false);
    await captureScreen(s.page, 'settings');
  });

  test('Dark is saved: the page turns dark, stays dark after a reload, and a fresh browser opens dark', async () => {
    const settings = new SettingsPage(s.page);
    await s.app.goTo('Settings');
    expect(await settings.colorScheme()).toBe('light');
    await settings.themeChoice('Dark').check();
    await s.page.getByRole('status').filter({ hasText: 'Settings saved' }).waitFor({ state: 'visible' });
    await expect.poll(() => settings.colorScheme()).toBe('dark');

    await s.page.reload();
    await s.app.nav.waitFor({ state: 'visible' });
    await settings.heading.waitFor({ state: 'visible' });
    await expect.poll(() => settings.themeChoice('Dark').isChecked()).toBe(true);
    await expect.poll(() => settings.colorScheme()).toBe('dark');

    // Another browser profile has nothing of this one's storage: only the backend remembers.
    const fresh = await openPage(s.browser);
    try {
      await fresh.page.emulateMedia({ colorScheme: 'light' });
      await new AppShell(fresh.page).open(s.dashboard.url);
      await expect.poll(() => new SettingsPage(fresh.page).colorScheme()).toBe('dark');
    } finally {
      await fresh.context.close();
    }
  });

  test('Virtual machine: more CPUs than this host has is refused with a clear message and nothing is saved', async () => {
    const settings = new SettingsPage(s.page);
    await s.app.goTo('Settings');
    await settings.vm.waitFor({ state: 'visible' });
    const tooMany = availableParallelism() + 1;
    await settings.vmField('CPUs').fill(String(tooMany));
    await settings.saveVm.click();
    const problem = settings.vm.getByRole('alert');
    await problem.waitFor({ state: 'visible' });
    expect(await problem.innerText()).toBe(`CPUs ${tooMany}: this host has only ${availableParallelism()} CPUs`);
    // Nothing was kept: a reload shows the default (empty) again.
    await s.page.reload();
    await s.app.nav.waitFor({ state: 'visible' });
    await settings.vm.waitFor({ state: 'visible' });
    expect(await settings.vmField('CPUs').inputValue()).toBe('');
    expect(await settings.vm.innerText()).toMatch(/apply at the VM’s next start or restart/);
  });

  test('Save endpoint keeps the launch endpoint across a reload; a malformed one is refused and stays typed', async () => {
    const settings = new SettingsPage(s.page);
    await s.app.goTo('Settings');
    await settings.launchEndpoint.fill(`unix://${s.engine.socket}`);
    await settings.saveEndpoint.click();
    await s.page.getByRole('status').filter({ hasText: 'Settings saved' }).filter({ hasText: `unix://${s.engine.socket}` }).waitFor({ state: 'visible' });
    await reload(settings);
    await expect.poll(() => settings.launchEndpoint.inputValue()).toBe(`unix://${s.engine.socket}`);

    await settings.launchEndpoint.fill('ftp://nowhere');
    await settings.saveEndpoint.click();
    await s.app.alert('Could not save').waitFor({ state: 'visible' });
    expect(await settings.launchEndpoint.inputValue()).toBe('ftp://nowhere');
    await s.app.dismissAlerts();
    await reload(settings);
    await expect.poll(() => settings.launchEndpoint.inputValue()).toBe(`unix://${s.engine.socket}`);

    // Empty: back to the endpoint last chosen in the Engine view.
    await settings.launchEndpoint.fill('');
    await settings.saveEndpoint.click();
    await s.page.getByRole('status').filter({ hasText: 'the last one chosen' }).waitFor({ state: 'visible' });
    await reload(settings);
    expect(await settings.launchEndpoint.inputValue()).toBe('');
  });

  test('Add folder lists a shared folder and keeps it across a reload; a missing folder is refused; Remove takes it off', async () => {
    const settings = new SettingsPage(s.page);
    await s.app.goTo('Settings');
    const missing = join(sharedFolder, 'not-there');
    await settings.shareField.fill(missing);
    await settings.addFolder.click();
    const problem = settings.shares.getByRole('alert');
    await problem.waitFor({ state: 'visible' });
    expect(await problem.innerText()).toContain(`${missing}: no such folder`);
    await s.app.dismissAlerts();
    expect(await settings.shareRemove(missing).count()).toBe(0);

    await settings.shareField.fill(sharedFolder);
    await settings.addFolder.click();
    await settings.shareRemove(sharedFolder).waitFor({ state: 'visible' });
    expect(await settings.shareField.inputValue()).toBe('');
    await reload(settings);
    await settings.shareRemove(sharedFolder).waitFor({ state: 'visible' });

    await settings.shareRemove(sharedFolder).click();
    await settings.shareRemove(sharedFolder).waitFor({ state: 'detached' });
    await reload(settings);
    await settings.shares.waitFor({ state: 'visible' });
    expect(await settings.shareRemove(sharedFolder).count()).toBe(0);
  });

  test('Save VM settings keeps values the host can give across a reload', async () => {
    const settings = new SettingsPage(s.page);
    await s.app.goTo('Settings');
    await settings.vmField('CPUs').fill('1');
    await settings.saveVm.click();
    await s.page.getByRole('status').filter({ hasText: 'Settings saved' }).filter({ hasText: 'VM CPUs: 1' }).waitFor({ state: 'visible' });
    await reload(settings);
    await expect.poll(() => settings.vmField('CPUs').inputValue()).toBe('1');
  });
});
