// Swarm view against a real swarm manager: Debian's dockerd made a single-node swarm by the test
// (engine/test/support/swarm-dockerd.ts), `berth dashboard` pointed at it. A service created in
// the dialog runs 2 tasks, is scaled to 3, shows its tasks' logs, and is removed. Against berthd
// the same view says it is not a manager, in the engine's words, and offers no action. The other
// buttons: "Update image" changes a service's image (the CLI sees it), the service panel's Close,
// "Deploy stack" runs `docker stack deploy` with the YAML typed in the dialog (Cancel first changes
// nothing), and a stack's Remove takes it away after asking.
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
let app: AppShell;
const SERVICE = 'e2e-web';
const UPDATED_SERVICE = 'e2e-upd';
const STACK = 'e2estack';

beforeAll(async () => {
  ensureRendererBuilt();
  swarm = await startSwarmDockerd({ registryHost: testRegistry().host });
  dashboard = await startDashboard(swarm.endpoint);
  browser = await launchBrowser();
  opened = await openPage(browser);
  await opened.page.emulateMedia({ colorScheme: 'light' });
  app = new AppShell(opened.page);
  await app.open(dashboard.url);
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

const cli = async (args: string[]) => (await docker(args, { env: swarm.dockerd.dockerEnv, timeoutMs: 120_000 })).stdout.trim();
const SLEEPER = `sh -c 'trap "exit 0" TERM; sleep 600 & wait'`;

describe('Swarm view: the other buttons', () => {
  test('Update image changes the service\'s image; the service panel\'s Close hides its tasks', () => onFailure('buttons-update', async () => {
    const page = opened.page;
    const view = new SwarmPage(page);
    await app.goTo('Swarm');
    await page.getByRole('table', { name: 'Nodes' }).getByRole('row').nth(1).waitFor({ state: 'visible', timeout: 30_000 });
    await view.createService({ name: UPDATED_SERVICE, image: testImage('busybox').ref, replicas: 1, command: SLEEPER });
    await expect.poll(() => view.replicas(UPDATED_SERVICE).textContent(), { timeout: 180_000 }).toBe('1/1');

    const retagged = `${testRegistry().host}/busybox:updated-${process.pid}`;
    const tagged = await docker(['tag', testImage('busybox').ref, retagged], { env: swarm.dockerd.dockerEnv });
    expect(tagged.code, tagged.stderr).toBe(0);
    await view.rowButton(UPDATED_SERVICE, 'Update image').click();
    const dialog = page.getByRole('dialog', { name: `Update ${UPDATED_SERVICE}`, exact: true });
    await dialog.getByLabel('Image', { exact: true }).fill(retagged);
    await dialog.getByRole('button', { name: 'Update', exact: true }).click();
    await dialog.waitFor({ state: 'detached' });
    await expect.poll(() => cli(['service', 'inspect', '--format', '{{.Spec.TaskTemplate.ContainerSpec.Image}}', UPDATED_SERVICE]), { timeout: 60_000 })
      .toMatch(new RegExp(`^${retagged.replace(/[.]/g, '\\.')}(@sha256:[0-9a-f]+)?$`));

    await view.rowButton(UPDATED_SERVICE, 'Tasks & logs').click();
    const panel = page.getByRole('region', { name: `Service ${UPDATED_SERVICE}`, exact: true });
    await panel.waitFor({ state: 'visible' });
    await panel.getByRole('button', { name: 'Close', exact: true }).click();
    await panel.waitFor({ state: 'detached' });

    await view.rowButton(UPDATED_SERVICE, 'Remove').click();
    await app.confirm(`Remove service ${UPDATED_SERVICE}?`, 'Remove');
    await view.row(UPDATED_SERVICE).waitFor({ state: 'detached', timeout: 30_000 });
  }), 600_000);

  test('Deploy stack: Cancel deploys nothing; Deploy runs docker stack deploy; the stack\'s Remove asks, then removes it', () => onFailure('buttons-stack', async () => {
    const page = opened.page;
    const yaml = `version: "3.8"\nservices:\n  sleeper:\n    image: ${testImage('busybox').ref}\n    command: ["sh", "-c", "trap 'exit 0' TERM; sleep 600 & wait"]\n`;
    const dialog = page.getByRole('dialog', { name: 'Deploy stack', exact: true });
    await page.getByRole('button', { name: 'Deploy stack', exact: true }).click();
    await dialog.getByLabel('Stack name', { exact: true }).fill(STACK);
    await dialog.getByRole('button', { name: 'Cancel', exact: true }).click();
    await dialog.waitFor({ state: 'detached' });
    expect(await cli(['stack', 'ls', '--format', '{{.Name}}'])).toBe('');

    await page.getByRole('button', { name: 'Deploy stack', exact: true }).click();
    await dialog.getByLabel('Stack name', { exact: true }).fill(STACK);
    await dialog.getByLabel('Compose YAML', { exact: true }).fill(yaml);
    await dialog.getByRole('button', { name: 'Deploy', exact: true }).click();
    await dialog.getByRole('button', { name: 'Close', exact: true }).waitFor({ state: 'visible', timeout: 120_000 });
    expect(await dialog.getByRole('log', { name: 'docker stack deploy output' }).innerText()).toMatch(/Creating service e2estack_sleeper/);
    await dialog.getByRole('button', { name: 'Close', exact: true }).click();
    await dialog.waitFor({ state: 'detached' });
    expect(await cli(['stack', 'ls', '--format', '{{.Name}}'])).toBe(STACK);

    const stacks = page.getByRole('table', { name: 'Stacks', exact: true });
    const row = stacks.getByRole('row', { name: STACK, exact: true });
    await row.waitFor({ state: 'visible', timeout: 30_000 });
    await row.getByRole('button', { name: 'Remove', exact: true }).click();
    await app.confirm(`Remove stack ${STACK}?`, 'Remove');
    await row.waitFor({ state: 'detached', timeout: 60_000 });
    await expect.poll(() => cli(['service', 'ls', '-q']), { timeout: 60_000 }).toBe('');
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
