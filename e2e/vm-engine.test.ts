// The Engine view on the Berth VM: `berth dashboard --vm --home <temp>` boots the real amd64 guest
// under TCG (1 CPU, 1 GiB, 4 GiB disk from its settings.json) and the page drives it. Two boots in
// all: the one at launch, and Start after Stop and Reset. afterAll kills every QEMU and forwarder of
// the temp home, even when a test failed half way.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { docker } from '../engine/test/support/docker-cli.ts';
import { killVmProcessesOfHome, vmProcessesOfHome } from '../app/src/backend/testing/vm-home-cleanup.ts';
import { ensureImages } from '../vm-assets/test/qemu-guest.ts';
import { AppShell } from './pages/app-shell.ts';
import { EnginePage } from './pages/engine-page.ts';
import { launchBrowser, openPage } from './support/browser.ts';
import { startDashboard, type DashboardProcess } from './support/dashboard-process.ts';
import { saveFailureArtifacts } from './support/failure-artifacts.ts';
import { ensureRendererBuilt } from './support/renderer-build.ts';
import { captureScreen } from './support/screenshots.ts';

const BOOT = 6 * 60_000;
const home = mkdtempSync(join(process.env.BERTH_TEST_TMP ?? tmpdir(), 'berth-e2e-vm-'));
const socket = join(home, 'run', 'docker.sock');
const env = { DOCKER_HOST: `unix://${socket}` };
let dashboard: DashboardProcess | undefined;
let browser: Browser | undefined;
let page: Page;
let consoleLog: string[] = [];
let engine: EnginePage;

async function dockerOk(args: string[]): Promise<string> {
  const result = await docker(args, { env, timeoutMs: 120_000 });
  expect(result.code, `docker ${args.join(' ')}: ${result.stderr}`).toBe(0);
  return result.stdout.trim();
}

beforeAll(async () => {
  ensureRendererBuilt();
  await ensureImages(['amd64']);
  dashboard = await startDashboard(undefined, {
    extraArgs: ['--vm', '--home', home],
    settings: { vmCpus: 1, vmMemoryMiB: 1024, vmDiskGiB: 4 },
  });
  browser = await launchBrowser();
  ({ page, consoleLog } = await openPage(browser));
  await page.emulateMedia({ colorScheme: 'light' });
  await new AppShell(page).open(dashboard.url);
  engine = new EnginePage(page);
}, 10 * 60_000);

beforeEach((ctx) => {
  ctx.onTestFailed(async () => {
    const where = await saveFailureArtifacts(`vm-engine-${ctx.task.name}`, page, {
      console: consoleLog, dashboard: dashboard?.output(), engineLogFile: join(home, 'logs', 'console.log'),
    });
    process.stderr.write(`e2e: failure screenshot and logs in ${where}.{png,log}\n`);
  });
});

afterAll(async () => {
  await browser?.close().catch(() => {});
  await dashboard?.stop();
  await killVmProcessesOfHome(home);
  rmSync(home, { recursive: true, force: true });
}, 60_000);

describe('Engine view on the Berth VM (amd64 under TCG)', () => {
  test('while it boots the sidebar says "Starting VM…" with the stage in words; then the VM shows running with its resources', async () => {
    await new AppShell(page).goTo('Engine');
    // The dashboard starts the VM as soon as its URL is out; a TCG boot takes far longer than the page.
    await expect.poll(() => engine.sidebar.innerText(), { timeout: BOOT }).toMatch(/Starting VM… \(.+\)/);
    await expect.poll(() => engine.status.innerText(), { timeout: BOOT, interval: 1_000 }).toMatch(/\bRunning\b/);
    await expect.poll(() => engine.sidebar.innerText()).toMatch(/VM running/);
    const status = await engine.status.innerText();
    expect(status).toContain(`export DOCKER_HOST=unix://${socket}`);
    // innerText as shown: the fact labels are upper-cased by CSS, hence /i.
    const vm = await engine.vm.innerText();
    expect(vm).toMatch(/VM state\s+Running/i);
    expect(vm).toMatch(/Accelerator\s+tcg \(/i);
    expect(vm).toMatch(/CPUs\s+1\b/i);
    expect(vm).toMatch(/Memory\s+1024 MiB/i);
    expect(vm).toMatch(/Disk\s+[\d.]+ [kMG]?B used of 4\.0 GiB/i);
    expect(vm).toMatch(/Uptime\s+\d/i);
    expect(await dockerOk(['version', '--format', '{{.Server.Os}}/{{.Server.Arch}}'])).toBe('linux/amd64');
    await dockerOk(['volume', 'create', 'kept-until-reset']);
    await captureScreen(page, 'engine-vm');
  }, BOOT);

  test('Stop VM powers it off; Reset VM… asks, then wipes the disk; Start VM boots a fresh one', async () => {
    await engine.control('Stop VM').click();
    await expect.poll(() => engine.vm.innerText(), { timeout: 3 * 60_000, interval: 1_000 }).toMatch(/VM state\s+Stopped/i);
    await expect.poll(() => engine.status.innerText()).toMatch(/\bStopped\b/);
    expect(vmProcessesOfHome(home)).toEqual([]);
    expect(existsSync(join(home, 'data.qcow2'))).toBe(true);

    await engine.control('Reset VM…').click();
    const dialog = engine.resetDialog();
    expect(await dialog.innerText()).toMatch(/every image, container and volume in it is gone/);
    await dialog.getByRole('button', { name: 'Reset VM', exact: true }).click();
    await expect.poll(() => existsSync(join(home, 'data.qcow2')), { timeout: 60_000 }).toBe(false);
    await expect.poll(() => engine.vm.innerText()).toMatch(/Disk\s+4\.0 GiB, made at the next start/i);

    await engine.control('Start VM').click();
    await expect.poll(() => engine.sidebar.innerText(), { timeout: BOOT }).toMatch(/Starting VM… \(.+\)/);
    await expect.poll(() => engine.vm.innerText(), { timeout: BOOT, interval: 1_000 }).toMatch(/VM state\s+Running/i);
    // A fresh disk: the volume made before the reset is gone.
    expect((await dockerOk(['volume', 'ls', '--format', '{{.Name}}'])).split('\n')).not.toContain('kept-until-reset');
  }, 2 * BOOT);
});
