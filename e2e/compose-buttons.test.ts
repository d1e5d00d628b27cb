// The Compose view's buttons compose.test.ts does not press, against a real berthd and the
// Compose CLI the project installs: a row's Stop / Start / Restart, the CLI region's Pull and
// Restart, the project page's Restart, Delete (Cancel first, which keeps everything) and the
// merged log's "Jump to latest", and Open on a project that is down (shows its CLI region).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ComposePage, projectPageButton } from './pages/compose-page.ts';
import { useDashboardSession } from './support/session.ts';

const s = useDashboardSession('compose-buttons');
const PROJECT = 'e2ebuttons';
let scratch: string;
let composeFile: string;

async function projectContainers(): Promise<string[]> {
  const out = await s.dockerOk(['ps', '-a', '--filter', `label=com.docker.compose.project=${PROJECT}`, '--format', '{{.Names}}']);
  return out ? out.split('\n') : [];
}
async function states(): Promise<string[]> {
  const out = await s.dockerOk(['ps', '-a', '--filter', `label=com.docker.compose.project=${PROJECT}`, '--format', '{{.State}}']);
  return out ? out.split('\n') : [];
}
async function startedAt(): Promise<string> {
  const [name] = await projectContainers();
  return s.dockerOk(['inspect', '--format', '{{.State.StartedAt}}', name!]);
}

beforeAll(() => {
  scratch = mkdtempSync(join(process.env.BERTH_TEST_TMP ?? tmpdir(), 'berth-e2e-compose-buttons-'));
  mkdirSync(join(scratch, PROJECT));
  composeFile = join(scratch, PROJECT, 'docker-compose.yml');
  // 300 lines at once (taller than the log), then a tick; SIGTERM ends it at once.
  const script = "trap 'exit 0' TERM; i=0; while [ $$i -lt 300 ]; do echo burst $$i; i=$$((i+1)); done; while true; do echo tick; sleep 0.3; done";
  writeFileSync(composeFile, `services:\n  solo:\n    image: ${s.busybox}\n    command: ["sh", "-c", "${script}"]\n`);
});
afterAll(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

const finished = (compose: ComposePage, verb: string) =>
  compose.cli.getByRole('log', { name: 'Compose output' }).getByText(new RegExp(`compose ${verb} finished \\(exit 0\\)`)).waitFor({ timeout: 120_000 });

describe('Compose view: the other buttons', () => {
  test('Up, then the row\'s Stop, Start and Restart act on the project', async () => {
    const compose = new ComposePage(s.page);
    await s.app.goTo('Compose');
    await compose.openFile(composeFile);
    await compose.cliButton('Up').click();
    await finished(compose, 'up');
    await expect.poll(() => compose.row(PROJECT).innerText(), { timeout: 30_000 }).toContain('1 running');

    await compose.button(PROJECT, 'Stop').click();
    await expect.poll(states, { timeout: 30_000 }).toEqual(['exited']);
    await expect.poll(() => compose.row(PROJECT).innerText()).toContain('1 stopped');
    await compose.button(PROJECT, 'Start').click();
    await expect.poll(states, { timeout: 30_000 }).toEqual(['running']);
    const before = await startedAt();
    await compose.button(PROJECT, 'Restart').click();
    await expect.poll(startedAt, { timeout: 30_000 }).not.toBe(before);
    expect(await states()).toEqual(['running']);
  });

  test('the CLI region\'s Pull and Restart run the CLI to the end; Restart restarts the service', async () => {
    const compose = new ComposePage(s.page);
    await compose.cliButton('Pull').click();
    await finished(compose, 'pull');
    const before = await startedAt();
    await compose.cliButton('Restart').click();
    await finished(compose, 'restart');
    expect(await startedAt()).not.toBe(before);
    expect(await states()).toEqual(['running']);
  });

  test('on the project page: Jump to latest follows the merged log again after scrolling up', async () => {
    const compose = new ComposePage(s.page);
    await compose.openProject(PROJECT);
    await expect.poll(() => compose.projectLog.innerText(), { timeout: 30_000 }).toMatch(/solo \| tick/);
    const follow = s.page.getByRole('checkbox', { name: 'Follow', exact: true });
    expect(await follow.isChecked()).toBe(true);
    const jump = s.page.getByRole('button', { name: 'Jump to latest', exact: true });
    await compose.projectLog.hover();
    await s.page.mouse.wheel(0, -6000);
    await jump.waitFor({ state: 'visible' });
    expect(await follow.isChecked()).toBe(false);
    await expect.poll(() => compose.projectLog.innerText()).toMatch(/solo \| burst \d+/);
    await jump.click();
    await jump.waitFor({ state: 'detached' });
    expect(await follow.isChecked()).toBe(true);
    await expect.poll(() => compose.projectLog.innerText(), { timeout: 15_000 }).toMatch(/solo \| tick/);
  });

  test('on the project page: Restart restarts it; Delete asks, Cancel keeps everything, Delete takes it down', async () => {
    const before = await startedAt();
    await projectPageButton(s.page, 'Restart').click();
    await expect.poll(startedAt, { timeout: 30_000 }).not.toBe(before);

    const names = await projectContainers();
    await projectPageButton(s.page, 'Delete').click();
    const dialog = s.page.getByRole('dialog', { name: `Delete project ${PROJECT}?`, exact: true });
    await dialog.getByRole('button', { name: 'Cancel', exact: true }).click();
    await dialog.waitFor({ state: 'hidden' });
    expect(await projectContainers()).toEqual(names);
    expect(await states()).toEqual(['running']);

    await projectPageButton(s.page, 'Delete').click();
    await s.app.confirm(`Delete project ${PROJECT}?`, 'Delete');
    await expect.poll(projectContainers, { timeout: 60_000 }).toEqual([]);
  });

  test('Open on a project that is down shows its CLI region with its file; Close hides it', async () => {
    const compose = new ComposePage(s.page);
    await s.app.goTo('Compose');
    await expect.poll(() => compose.row(PROJECT).innerText(), { timeout: 30_000 }).toContain('Down');
    if (await compose.cli.count()) {
      await compose.cliButton('Close').click();
      await compose.cli.waitFor({ state: 'detached' });
    }
    await compose.button(PROJECT, 'Open').click();
    await compose.cli.waitFor({ state: 'visible' });
    expect(await compose.cli.innerText()).toContain(composeFile);
    await compose.cliButton('Close').click();
    await compose.cli.waitFor({ state: 'detached' });
    expect(await projectContainers()).toEqual([]);
  });
});
