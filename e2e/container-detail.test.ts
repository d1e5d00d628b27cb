// Container detail against a real berthd: logs with search highlights, a TTY terminal that runs
// what is typed and follows the viewport's size, the inspect tree, live stats and the file browser.
import { readFile } from 'node:fs/promises';
import { beforeAll, describe, expect, test } from 'vitest';
import { ContainerDetailPage } from './pages/container-detail-page.ts';
import { ContainersPage } from './pages/containers-page.ts';
import { VIEWPORT } from './support/browser.ts';
import { captureScreen } from './support/screenshots.ts';
import { useDashboardSession } from './support/session.ts';

const s = useDashboardSession('container-detail');
const NAME = 'talker';
const LOOP = 'trap "exit 0" TERM; echo started; i=0; while :; do echo line $i; i=$((i+1)); sleep 0.2; done';
let detail: ContainerDetailPage;
let containerId: string;

/** The last "size=ROWS COLS" the terminal printed. */
function lastSize(text: string): string | undefined {
  return [...text.matchAll(/size=(\d+ \d+)/g)].at(-1)?.[1];
}

beforeAll(async () => {
  containerId = await s.dockerOk(['run', '-d', '--name', NAME, s.busybox, 'sh', '-c', LOOP]);
  detail = new ContainerDetailPage(s.page);
  const containers = new ContainersPage(s.page);
  await s.app.goTo('Containers');
  await containers.row(NAME).waitFor({ state: 'visible' });
  await containers.openDetail(NAME);
  await detail.heading(NAME).waitFor({ state: 'visible' });
});

describe('Container detail', () => {
  test('Logs show the container\'s output as it comes, and a search highlights the hits', async () => {
    await detail.openTab('Logs');
    await expect.poll(() => detail.log.innerText(), { timeout: 15_000 }).toContain('started');
    await expect.poll(() => detail.log.innerText(), { timeout: 15_000 }).toMatch(/line 5\b/);
    await captureScreen(s.page, 'container-logs');
    await detail.logSearch.fill('line 3');
    await detail.highlights('line 3').first().waitFor({ state: 'visible' });
    await detail.logSearch.fill('');
  });

  test('Next and Previous match move the current hit; Copy logs and Download logs carry the output', async () => {
    await detail.openTab('Logs');
    await s.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: s.dashboard.origin });
    await expect.poll(() => detail.log.innerText(), { timeout: 15_000 }).toMatch(/line 12\b/);
    await detail.logSearch.fill('line 1');
    await detail.highlights('line 1').first().waitFor({ state: 'visible' });
    const currentLine = async () => (await detail.log.locator('mark[aria-current="true"]').first().locator('xpath=..').innerText().catch(() => '')).trim();
    const next = s.page.getByRole('button', { name: 'Next match', exact: true });
    const previous = s.page.getByRole('button', { name: 'Previous match', exact: true });
    await next.click();
    await expect.poll(currentLine).toMatch(/^line 1\d*$/);
    const first = await currentLine();
    await next.click();
    await expect.poll(currentLine).not.toBe(first);
    expect(await currentLine()).toMatch(/^line 1\d*$/);
    await previous.click();
    await expect.poll(currentLine).toBe(first);
    await detail.logSearch.fill('');

    await s.page.getByRole('button', { name: 'Copy logs', exact: true }).click();
    const copied = String(await s.page.evaluate('navigator.clipboard.readText()'));
    expect(copied.split('\n').slice(0, 3)).toEqual(['started', 'line 0', 'line 1']);

    const [download] = await Promise.all([
      s.page.waitForEvent('download'),
      s.page.getByRole('button', { name: 'Download logs', exact: true }).click(),
    ]);
    const saved = await readFile((await download.path())!, 'utf8');
    expect(saved.split('\n').slice(0, 3)).toEqual(['started', 'line 0', 'line 1']);
  });

  test('Inspect shows the container\'s Id in the tree', async () => {
    await detail.openTab('Inspect');
    await detail.inspectTree.waitFor({ state: 'visible' });
    await expect.poll(() => detail.inspectTree.innerText()).toContain(containerId);
    await captureScreen(s.page, 'container-inspect');
  });

  test('Expand all opens nested objects, Collapse all closes them, Copy JSON copies the whole document', async () => {
    // The command is deep inside Config.Cmd: shown only with everything expanded.
    const deep = detail.inspectTree.getByText('while :; do echo line', { exact: false });
    await s.page.getByRole('button', { name: 'Expand all', exact: true }).click();
    await deep.first().waitFor({ state: 'visible' });
    await s.page.getByRole('button', { name: 'Collapse all', exact: true }).click();
    await deep.first().waitFor({ state: 'detached' });
    await s.page.getByRole('button', { name: 'Copy JSON', exact: true }).click();
    await s.page.getByRole('status').filter({ hasText: 'Copied the inspect JSON' }).waitFor({ state: 'visible' });
    const copied = JSON.parse(String(await s.page.evaluate('navigator.clipboard.readText()')));
    expect(copied.Id).toBe(containerId);
    expect(copied.Config.Cmd).toEqual(['sh', '-c', LOOP]);
  });

  test('Stats figures show current CPU, memory, network and disk values', async () => {
    await detail.openTab('Stats');
    for (const name of ['CPU', 'Memory', 'Network', 'Disk'] as const) {
      await expect.poll(() => detail.statsFigure(name).innerText(), { timeout: 15_000 }).toMatch(/\d/);
    }
    await s.page.waitForTimeout(5_000); // a few samples, so the screenshot shows lines, not points
    await captureScreen(s.page, 'container-stats');
  });

  test('Terminal runs what is typed in the container and prints its output', async () => {
    await detail.openTab('Terminal');
    await detail.terminalStatus('Connected').waitFor({ state: 'visible' });
    await detail.terminalInput.focus();
    await s.page.keyboard.type('echo hello-$((1+1))');
    await s.page.keyboard.press('Enter');
    await expect.poll(() => detail.terminalText(), { timeout: 10_000 }).toMatch(/^hello-2\s*$/m);
    await captureScreen(s.page, 'container-terminal');
  });

  test('after the shell exits, Reconnect opens a new one that runs commands', async () => {
    await detail.terminalInput.focus();
    await s.page.keyboard.type('exit');
    await s.page.keyboard.press('Enter');
    await detail.terminalStatus('Disconnected').waitFor({ state: 'visible' });
    await detail.reconnect.click();
    await detail.terminalStatus('Connected').waitFor({ state: 'visible' });
    await detail.terminalInput.focus();
    await s.page.keyboard.type('echo again-$((2+3))');
    await s.page.keyboard.press('Enter');
    await expect.poll(() => detail.terminalText(), { timeout: 10_000 }).toMatch(/^again-5\s*$/m);
  });

  test('resizing the viewport resizes the container\'s TTY', async () => {
    await detail.terminalInput.focus();
    await s.page.keyboard.type('echo size=$(stty size)');
    await s.page.keyboard.press('Enter');
    await expect.poll(async () => lastSize(await detail.terminalText()), { timeout: 10_000 }).toBeDefined();
    const before = lastSize(await detail.terminalText());
    await s.page.setViewportSize({ width: 900, height: 560 });
    try {
      // Let the terminal refit before asking again.
      await s.page.waitForTimeout(500);
      await detail.terminalInput.focus();
      await s.page.keyboard.type('echo size=$(stty size)');
      await s.page.keyboard.press('Enter');
      await expect.poll(async () => lastSize(await detail.terminalText()), { timeout: 10_000 }).not.toBe(before);
      const [rows, cols] = lastSize(await detail.terminalText())!.split(' ').map(Number);
      const [rowsBefore, colsBefore] = before!.split(' ').map(Number);
      expect(cols).toBeLessThan(colsBefore);
      expect(rows).toBeLessThan(rowsBefore);
    } finally {
      await s.page.setViewportSize(VIEWPORT);
    }
  });

  test('Files lists /etc and downloads a file with its exact content', async () => {
    await detail.openTab('Files');
    await detail.files.table.waitFor({ state: 'visible' });
    await detail.files.openDirectory('etc');
    await detail.files.row('passwd').waitFor({ state: 'visible' });
    await captureScreen(s.page, 'container-files');
    const download = await detail.files.download('passwd');
    expect(download.suggestedFilename()).toBe('passwd');
    const saved = await download.path();
    const expected = (await s.engine.docker(['exec', NAME, 'cat', '/etc/passwd'])).stdout;
    expect(await readFile(saved, 'utf8')).toBe(expected);
  });

  test('Files: the Path breadcrumbs go back up; a folder gone since it was listed says so, with a link back to its parent', async () => {
    await s.dockerOk(['exec', NAME, 'mkdir', '-p', '/tmp/gone']);
    await detail.openTab('Files');
    await detail.files.breadcrumbs.getByRole('link', { name: '/', exact: true }).click();
    await detail.files.row('tmp').waitFor({ state: 'visible' });
    await detail.files.openDirectory('tmp');
    await detail.files.row('gone').waitFor({ state: 'visible' });
    await s.dockerOk(['exec', NAME, 'rmdir', '/tmp/gone']);
    await detail.files.openDirectory('gone');
    const problem = s.page.getByRole('tabpanel').getByRole('alert');
    await problem.waitFor({ state: 'visible' });
    expect(await problem.innerText()).toMatch(/\/tmp\/gone does not exist/);
    await s.page.getByRole('link', { name: 'Back to the parent directory', exact: true }).click();
    await detail.files.breadcrumbs.locator('[aria-current="page"]').filter({ hasText: /^tmp$/ }).waitFor({ state: 'visible' });
    await detail.files.table.waitFor({ state: 'visible' });
  });

  test('scrolling up in the logs stops following; Jump to latest follows again and shows the newest line', async () => {
    // 300 lines at once (more than the log's height), then one a fifth of a second.
    const chatty = 'chatty';
    await s.dockerOk(['run', '-d', '--name', chatty, s.busybox, 'sh', '-c',
      'trap "exit 0" TERM; i=0; while [ $i -lt 300 ]; do echo burst $i; i=$((i+1)); done; j=0; while :; do echo tick $j; j=$((j+1)); sleep 0.2; done']);
    const containers = new ContainersPage(s.page);
    await s.app.goTo('Containers');
    await containers.row(chatty).waitFor({ state: 'visible' });
    await containers.openDetail(chatty);
    await detail.heading(chatty).waitFor({ state: 'visible' });
    await detail.openTab('Logs');
    await expect.poll(() => detail.log.innerText(), { timeout: 15_000 }).toMatch(/tick \d+/);
    expect(await detail.follow.isChecked()).toBe(true);
    const jump = s.page.getByRole('button', { name: 'Jump to latest', exact: true });
    expect(await jump.count()).toBe(0);

    await detail.log.hover();
    await s.page.mouse.wheel(0, -4000);
    await jump.waitFor({ state: 'visible' });
    expect(await detail.follow.isChecked()).toBe(false);
    const lastTick = (text: string) => Math.max(-1, ...[...text.matchAll(/tick (\d+)/g)].map((m) => Number(m[1])));
    // Scrolled back into the burst, and held there while ticks keep coming.
    await expect.poll(() => detail.log.innerText()).toMatch(/burst \d+/);
    const heldAt = await detail.log.innerText();

    await jump.click();
    await jump.waitFor({ state: 'detached' });
    expect(await detail.follow.isChecked()).toBe(true);
    await expect.poll(async () => lastTick(await detail.log.innerText()), { timeout: 15_000 }).toBeGreaterThan(lastTick(heldAt));
    const logsDockerSaw = (await s.engine.docker(['logs', chatty])).stdout;
    expect(lastTick(logsDockerSaw)).toBeGreaterThanOrEqual(lastTick(await detail.log.innerText()));
  });
});
