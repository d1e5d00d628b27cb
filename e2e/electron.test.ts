// The Electron app itself, driven by playwright-core's _electron against a real berthd: the window
// opens on the Containers view showing the engine's containers, and the tray exists. Runs only
// where an Electron binary exists (these build machines cannot download one); elsewhere the suite
// is skipped and says why.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ElectronApplication } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { useEngineWithBusybox } from '../engine/test/support/engine-fixture.ts';
import { findElectron, launchElectronApp } from './support/electron-app.ts';

const electron = findElectron();
if ('missing' in electron) console.log(`[e2e/electron] skipped: ${electron.missing}`);

describe.skipIf('missing' in electron)(`Electron app${'missing' in electron ? ` (skipped: ${electron.missing})` : ''}`, () => {
  const fixture = useEngineWithBusybox();
  const name = `electron-e2e-${process.pid}`;
  let userDataDir: string;
  let app: ElectronApplication | undefined;

  beforeAll(async () => {
    userDataDir = mkdtempSync(join(tmpdir(), 'berth-electron-'));
    // Point the app at this test's engine, not /run/berth, and keep it from touching any other.
    writeFileSync(join(userDataDir, 'settings.json'), JSON.stringify({ engineEndpoint: `unix://${fixture.engine.socket}`, keepEngineRunningOnQuit: true }));
    const run = await fixture.engine.docker(['run', '-d', '--name', name, fixture.busybox, 'sleep', '600']);
    expect(run.code, run.stderr).toBe(0);
    app = await launchElectronApp({ binary: (electron as { binary: string }).binary, userDataDir });
  });

  afterAll(async () => {
    await app?.close();
    await fixture.engine?.docker(['rm', '-f', name]);
    rmSync(userDataDir, { recursive: true, force: true });
  });

  test('the window opens on the Containers view with the engine containers, isolated from Node', async () => {
    const page = await app!.firstWindow();
    await expect.poll(() => page.url()).toMatch(/^berth-app:\/\/ui\/index\.html#\/containers/);
    await page.getByRole('table', { name: 'Containers' }).getByRole('row', { name, exact: true }).waitFor({ timeout: 30_000 });
    // The page has the preload's message channel and nothing of Node or Electron.
    expect(await page.evaluate(() => typeof (globalThis as { berthChannel?: unknown }).berthChannel)).toBe('object');
    expect(await page.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe('undefined');
    expect(await page.evaluate(() => typeof (globalThis as { process?: unknown }).process)).toBe('undefined');
  });

  test('the tray exists and closing the window keeps the app running', async () => {
    expect(await app!.evaluate(() => {
      const tray = (globalThis as { berthTray?: { isDestroyed(): boolean } }).berthTray;
      return tray !== undefined && !tray.isDestroyed();
    })).toBe(true);
    const state = await app!.evaluate(async ({ BrowserWindow }) => {
      const [win] = BrowserWindow.getAllWindows();
      win.close();
      await new Promise((resolve) => setTimeout(resolve, 500));
      return { windows: BrowserWindow.getAllWindows().length, visible: win.isVisible() };
    });
    // Hidden, not destroyed: the tray brings it back as it was.
    expect(state).toEqual({ windows: 1, visible: false });
  });
});
