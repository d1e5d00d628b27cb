// Swarm view against a real swarm manager: Debian's dockerd made a single-node swarm by the test
// (engine/test/support/swarm-dockerd.ts), `berth dashboard` pointed at it. A service created in
// the dialog runs 2 tasks, is scaled to 3, shows its tasks' logs, and is removed. Against berthd
// the same view says it is not a manager, in the engine's words, and offers no action.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { docker } from '../engine/test/support/docker-cli.ts';
import { startEngine, type EngineHandle } from '../engine/test/support/engine-harness.ts';
import { testImage, testRegistry } from '../engine/test/support/fixtures.ts';
import { startSwarmDockerd, type SwarmDockerd } from '../engine/test/support/swarm-dockerd.ts';
import { AppShell } from './pages/app-shell.ts';
import { SwarmPage } from './pages/swarm-page.ts';
import { launchBrowser, openPage, type RecordedPage } from './support/browser.ts';
import { startDashboard, type DashboardProcess } from './support/dashboard-process.ts';
import { saveFailureArtifacts } from './support/failure-artifacts.ts';
import { ensureRendererBuilt } from './support/renderer-build.ts';
import { captureScreen } from './support/screenshots.ts';

let swarm: SwarmDockerd;
let dashboard: DashboardProcess;
let browser: Browser;
let opened: RecordedPage;
const SERVICE = 'e2e-web';

beforeAll(async () => {
  ensureRendererBuilt();
  swarm = await startSwarmDockerd({ registryHost: testRegistry().host });
  dashboard = await startDashboard(swarm.endpoint);
  browser = await launchBrowser();
  opened = await openPage(browser);
  await opened.page.emulateMedia({ colorScheme: 'light' });
  await new AppShell(opened.page).open(dashboard.url);
}, 240_000);

afterAll(async () => {
  await browser?.close().catch(() => {});
  await dashboard?.stop();
  await swarm?.stop();
  // Leaving the swarm took its gateway bridge, netns and data-path socket with it.
  expect(swarm?.leftovers() ?? []).toEqual([]);
}, 180_000);

async function onFailure<T>(name: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (e) {
    await saveFailureArtifacts(`swarm-${name}`, opened.page, { console: opened.consoleLog, dashboard: dashboard.output(), engineLogFile: swarm.dockerd.logFile });
    throw e;
  }
}

describe('Swarm view on a swarm manager', () => {
  test('create → 2 running → scale to 3 → logs → remove', () => onFailure('lifecycle', async () => {
    const page = opened.page;
    const view = new SwarmPage(page);
    await new AppShell(page).goTo('Swarm');
    await page.getByRole('table', { name: 'Nodes' }).getByRole('row').nth(1).waitFor({ state: 'visible', timeout: 30_000 });

    await view.createService({
      name: SERVICE,
      image: testImage('busybox').ref,
      replicas: 2,
      command: `sh -c 'trap "exit 0" TERM; echo "hello from $(hostname)"; sleep 600 & wait'`,
    });
    await view.row(SERVICE).waitFor({ state: 'visible' });
    await expect.poll(() => view.replicas(SERVICE).textContent(), { timeout: 180_000 }).toBe('2/2');
    await view.rowButton(SERVICE, 'Tasks & logs').click();
    await expect.poll(() => view.runningTasks().count(), { timeout: 60_000 }).toBe(2);

    await view.scale(SERVICE, 3);
    await expect.poll(() => view.replicas(SERVICE).textContent(), { timeout: 180_000 }).toBe('3/3');
    await expect.poll(() => view.runningTasks().count(), { timeout: 60_000 }).toBe(3);
    // The CLI sees what the view did.
    const ps = await docker(['service', 'ls', '--format', '{{.Name}} {{.Replicas}}'], { env: swarm.dockerd.dockerEnv });
    expect(ps.stdout.trim()).toBe(`${SERVICE} 3/3`);

    // Every task's greeting arrives through GET /services/{id}/logs.
    await expect.poll(async () => ((await view.log(SERVICE).textContent()) ?? '').match(/hello from/g)?.length ?? 0, { timeout: 60_000 }).toBeGreaterThanOrEqual(3);
    await captureScreen(page, 'swarm');

    await view.rowButton(SERVICE, 'Remove').click();
    await page.getByRole('alertdialog').or(page.getByRole('dialog')).first().getByRole('button', { name: 'Remove', exact: true }).click();
    await view.row(SERVICE).waitFor({ state: 'detached', timeout: 30_000 });
    const left = await docker(['service', 'ls', '-q'], { env: swarm.dockerd.dockerEnv });
    expect(left.stdout.trim()).toBe('');
  }), 600_000);
});

describe('Swarm view on berthd', () => {
  let engine: EngineHandle;
  let other: DashboardProcess;
  beforeAll(async () => {
    engine = await startEngine();
    other = await startDashboard(`unix://${engine.socket}`);
  }, 120_000);
  afterAll(async () => {
    await other?.stop();
    await engine?.stop();
  }, 120_000);

  test('says the engine is not a swarm manager, with its own reason, and offers no action', () => onFailure('berthd', async () => {
    const page = opened.page;
    await new AppShell(page).open(other.url);
    await new AppShell(page).goTo('Swarm');
    const view = new SwarmPage(page);
    await view.notManager().waitFor({ state: 'visible', timeout: 30_000 });
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'not a swarm manager' }).first().textContent())
      .toBe('This node is not a swarm manager. Use "docker swarm init" or "docker swarm join" to connect this node to swarm and try again.');
    expect(await page.getByRole('button', { name: 'Create service' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Deploy stack' }).count()).toBe(0);
  }), 120_000);
});
