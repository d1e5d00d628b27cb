// Compose view against a real berthd and the Compose CLI the project installs: a 2-service file
// (images from the test registry) comes up as one project, its merged log follows both services,
// the project stops and starts as a whole, goes down by its labels (nothing left) and through the
// CLI's Down; a broken file shows the CLI's own message, a missing one the backend's reason.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ComposePage, projectPageButton } from './pages/compose-page.ts';
import { captureScreen } from './support/screenshots.ts';
import { useDashboardSession } from './support/session.ts';

const s = useDashboardSession('compose');
const PROJECT = 'e2ecompose';
let scratch: string;
let composeFile: string;

function service(name: string, image: string): string {
  // Says when each run starts, then ticks; SIGTERM ends it at once.
  return `  ${name}:\n    image: ${image}\n    command: ["sh", "-c", "trap 'exit 0' TERM; echo ${name} started; while true; do echo ${name} tick; sleep 0.3; done"]\n`;
}

async function projectStates(): Promise<string[]> {
  const out = await s.dockerOk(['ps', '-a', '--filter', `label=com.docker.compose.project=${PROJECT}`, '--format', '{{.State}}']);
  return out ? out.split('\n').sort() : [];
}

beforeAll(() => {
  scratch = mkdtempSync(join(process.env.BERTH_TEST_TMP ?? tmpdir(), 'berth-e2e-compose-'));
  mkdirSync(join(scratch, PROJECT));
  composeFile = join(scratch, PROJECT, 'docker-compose.yml');
  writeFileSync(composeFile, `version: "3.8"\nservices:\n${service('one', s.busybox)}${service('two', s.busybox)}`);
});

afterAll(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

describe('Compose view', () => {
  test('a 2-service compose file opened by path comes up as one project with both services running', async () => {
    const compose = new ComposePage(s.page);
    await s.app.goTo('Compose');
    await compose.openFile(composeFile);
    await compose.cliButton('Up').click();
    // The CLI's own output streams into the view while it works.
    await compose.cli.getByRole('log', { name: 'Compose output' }).getByText(/compose up finished \(exit 0\)/).waitFor({ timeout: 120_000 });
    await expect.poll(() => compose.row(PROJECT).innerText(), { timeout: 30_000 }).toContain('2 running');
    const row = await compose.row(PROJECT).innerText();
    expect(row).toContain('one');
    expect(row).toContain('two');
    expect(await projectStates()).toEqual(['running', 'running']);
    await captureScreen(s.page, 'compose');
  });

  test('the project page follows the merged log of both services, each line prefixed with its service', async () => {
    const compose = new ComposePage(s.page);
    await compose.openProject(PROJECT);
    await compose.projectLog.getByText('one | one tick').first().waitFor({ timeout: 30_000 });
    await compose.projectLog.getByText('two | two tick').first().waitFor({ timeout: 30_000 });
    await captureScreen(s.page, 'compose-project');
  });

  test('the merged log searches like a container\'s Logs tab, and shows timestamps when asked', async () => {
    const compose = new ComposePage(s.page);
    await compose.logSearch.fill('two started');
    await compose.projectLog.locator('mark', { hasText: 'two started' }).first().waitFor({ timeout: 30_000 });
    await expect.poll(() => compose.logSearchCount.innerText(), { timeout: 30_000 }).toMatch(/1$/);
    await compose.logSearch.fill('');
    await compose.logOptions.getByRole('checkbox', { name: 'Timestamps' }).check();
    await compose.projectLog.getByText(/^\d{4}-\d\d-\d\dT[\d:.]+Z one \| one tick$/).first().waitFor({ timeout: 30_000 });
    await compose.logOptions.getByRole('checkbox', { name: 'Timestamps' }).uncheck();
  });

  test('Stop and Start act on the whole project, and the log follows the new runs', async () => {
    const compose = new ComposePage(s.page);
    await projectPageButton(s.page, 'Stop').click();
    await expect.poll(projectStates, { timeout: 60_000 }).toEqual(['exited', 'exited']);
    await projectPageButton(s.page, 'Start').click();
    await expect.poll(projectStates, { timeout: 60_000 }).toEqual(['running', 'running']);
    // Each service printed "started" once per run: the second run's line reaches the open log.
    await expect.poll(() => compose.projectLog.getByText('one | one started').count(), { timeout: 30_000 }).toBe(2);
    await expect.poll(() => compose.projectLog.getByText('two | two started').count(), { timeout: 30_000 }).toBe(2);
  });

  test('Delete takes the project down: no container and no network of it is left; it stays listed as Down', async () => {
    const compose = new ComposePage(s.page);
    await s.app.goTo('Compose');
    await compose.deleteProject(PROJECT);
    await expect.poll(projectStates, { timeout: 60_000 }).toEqual([]);
    // The networks go after the containers (their bridge's teardown takes a moment).
    await expect.poll(() => s.dockerOk(['network', 'ls', '--filter', `label=com.docker.compose.project=${PROJECT}`, '--format', '{{.Name}}']), { timeout: 30_000 }).toBe('');
    await expect.poll(() => compose.row(PROJECT).innerText(), { timeout: 30_000 }).toContain('Down');
  });

  test('a remembered project comes Up again from its row, and the CLI\'s Down leaves nothing', async () => {
    const compose = new ComposePage(s.page);
    await compose.button(PROJECT, 'Up').click();
    await expect.poll(projectStates, { timeout: 120_000 }).toEqual(['running', 'running']);
    await compose.cliButton('Down').click();
    await compose.cli.getByRole('log', { name: 'Compose output' }).getByText(/compose down finished \(exit 0\)/).waitFor({ timeout: 120_000 });
    expect(await projectStates()).toEqual([]);
    expect(await s.dockerOk(['network', 'ls', '--filter', `label=com.docker.compose.project=${PROJECT}`, '--format', '{{.Name}}'])).toBe('');
    await compose.cliButton('Close').click();
  });

  test("an invalid compose file shows the CLI's own error, a missing one says it does not exist", async () => {
    const compose = new ComposePage(s.page);
    const dir = join(scratch, 'broken');
    mkdirSync(dir);
    const broken = join(dir, 'docker-compose.yml');
    writeFileSync(broken, 'version: "3.8"\nservices:\n  one:\n    image: [not, a, string]\n');
    await compose.openFile(broken);
    await compose.cliButton('Up').click();
    const error = compose.cliError();
    await error.waitFor({ timeout: 60_000 });
    const text = await error.innerText();
    expect(text).toMatch(/services\.one\.image/);
    expect(text).not.toMatch(/exit code/);
    await compose.cliButton('Close').click();

    await compose.openFile(join(scratch, 'nowhere', 'compose.yaml'));
    await compose.cliButton('Up').click();
    await expect.poll(() => compose.cliError().innerText(), { timeout: 30_000 }).toMatch(/does not exist/);
    await compose.cliButton('Close').click();
  });
});
