// The shell around the views: keyboard shortcuts for the main views, and the host terminal with
// DOCKER_HOST pointing at the engine the dashboard serves.
import { describe, expect, test } from 'vitest';
import { AppShell } from './pages/app-shell.ts';
import { useDashboardSession } from './support/session.ts';

const s = useDashboardSession('navigation', { pullBusybox: false });

describe('App shell', () => {
  test('Ctrl+2, Ctrl+5 and Ctrl+1 switch views, and / focuses the view search box', async () => {
    const shell = new AppShell(s.page);
    await shell.goTo('Containers');
    await s.page.keyboard.press('Control+2');
    await s.page.getByRole('heading', { level: 1, name: 'Images' }).waitFor();
    await s.page.keyboard.press('Control+5');
    await s.page.getByRole('region', { name: 'Engine status' }).waitFor();
    await s.page.keyboard.press('Control+1');
    await s.page.getByRole('heading', { level: 1, name: 'Containers' }).waitFor();
    await s.page.getByRole('searchbox', { name: 'Search containers' }).waitFor();
    await s.page.locator('body').click({ position: { x: 5, y: 5 } });
    await s.page.keyboard.press('/');
    // A string runs in the page (this file is type-checked without the DOM library).
    await expect.poll(() => s.page.evaluate("document.activeElement?.getAttribute('aria-label') ?? document.activeElement?.labels?.[0]?.textContent"))
      .toBe('Search containers');
  });

  test('the host terminal runs a shell on this machine with DOCKER_HOST set to the engine', async () => {
    const shell = new AppShell(s.page);
    await shell.goTo('Terminal');
    const input = s.page.getByRole('textbox', { name: 'Terminal input' });
    await input.waitFor({ state: 'attached', timeout: 15_000 });
    await input.focus();
    await s.page.keyboard.type('echo "host-$((40+2))" $DOCKER_HOST');
    await s.page.keyboard.press('Enter');
    const screen = s.page.locator('.host-terminal');
    await expect.poll(async () => (await screen.innerText()).replace(/\u00a0/g, ' '), { timeout: 15_000 })
      .toContain(`host-42 unix://${s.engine.socket}`);
  });

  test('with no containers, the Containers view says how to start, and its Images link opens the Images view', async () => {
    const shell = new AppShell(s.page);
    await shell.goTo('Containers');
    const main = s.page.getByRole('main');
    await main.getByText('Run your first container').waitFor({ state: 'visible' });
    await main.getByRole('link', { name: 'Images', exact: true }).click();
    await s.page.getByRole('heading', { level: 1, name: 'Images' }).waitFor();
    await s.page.getByRole('textbox', { name: 'Image to pull' }).waitFor();
  });
});
