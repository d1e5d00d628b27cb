// Containers view against a real berthd: run from the dialog, lifecycle per row and in bulk,
// containers made outside the UI, compose grouping, and the engine's errors as alerts. Every
// state change must show without a reload (the engine's event stream drives the list).
import { beforeAll, describe, expect, test } from 'vitest';
import { ContainersPage, STATE_TEXT } from './pages/containers-page.ts';
import { ImagesPage } from './pages/images-page.ts';
import { freePort } from './support/free-port.ts';
import { markPage, pageMarker } from './support/page-marker.ts';
import { captureScreen } from './support/screenshots.ts';
import { useDashboardSession } from './support/session.ts';

const s = useDashboardSession('containers');
// Exits on SIGTERM at once (a shell as PID 1 would otherwise sit out docker stop's 10 s).
const LOOP = `trap "exit 0" TERM; echo started; i=0; while :; do echo line $i; i=$((i+1)); sleep 0.2; done`;
const IDLE = 'trap "exit 0" TERM; while :; do sleep 0.2; done';
let containers: ContainersPage;
let marker: string;

async function stateOf(name: string): Promise<string> {
  return containers.rowText(name);
}

beforeAll(async () => {
  containers = new ContainersPage(s.page);
  marker = await markPage(s.page);
});

describe('Containers view', () => {
  test('a container run from the Run dialog shows Running with its port, and gets the name, env and command typed', async () => {
    const hostPort = await freePort();
    const images = new ImagesPage(s.page);
    await s.app.goTo('Images');
    const dialog = await images.openRunDialog(s.busybox);
    await dialog.fill({ name: 'web', ports: `${hostPort}:80`, env: 'GREETING=hello world\nMODE=e2e', command: `sh -c '${LOOP}'` });
    await captureScreen(s.page, 'run-dialog');
    await dialog.run();
    await dialog.dialog.waitFor({ state: 'hidden' });

    await s.app.goTo('Containers');
    await containers.row('web').waitFor({ state: 'visible' });
    await expect.poll(() => stateOf('web'), { timeout: 15_000 }).toMatch(STATE_TEXT.running);
    await containers.portLink('web', hostPort, 80).waitFor({ state: 'visible' });

    const inspect = JSON.parse(await s.dockerOk(['inspect', 'web']))[0];
    expect(inspect.Config.Cmd).toEqual(['sh', '-c', LOOP]);
    expect(inspect.Config.Env).toEqual(expect.arrayContaining(['GREETING=hello world', 'MODE=e2e']));
    expect(inspect.HostConfig.PortBindings['80/tcp']).toEqual([expect.objectContaining({ HostPort: String(hostPort) })]);
    expect(inspect.State.Running).toBe(true);
  });

  test('Stop turns the row exited and Start turns it running, without a reload', async () => {
    await containers.action('web', 'Stop').click();
    await expect.poll(() => stateOf('web'), { timeout: 20_000 }).toMatch(STATE_TEXT.exited);
    expect(await s.dockerOk(['inspect', '--format', '{{.State.Status}}', 'web'])).toBe('exited');
    await containers.action('web', 'Start').click();
    await expect.poll(() => stateOf('web'), { timeout: 15_000 }).toMatch(STATE_TEXT.running);
    expect(await s.dockerOk(['inspect', '--format', '{{.State.Status}}', 'web'])).toBe('running');
    expect(await pageMarker(s.page)).toBe(marker);
  });

  test('Pause shows the row paused and Resume shows it running again', async () => {
    await containers.action('web', 'Pause').click();
    await expect.poll(() => stateOf('web'), { timeout: 15_000 }).toMatch(STATE_TEXT.paused);
    expect(await s.dockerOk(['inspect', '--format', '{{.State.Status}}', 'web'])).toBe('paused');
    await containers.action('web', 'Resume').click();
    await expect.poll(() => stateOf('web'), { timeout: 15_000 }).toMatch(STATE_TEXT.running);
    expect(await s.dockerOk(['inspect', '--format', '{{.State.Status}}', 'web'])).toBe('running');
  });

  test('Restart starts the running container again: a new start time, Running throughout the list', async () => {
    const before = await s.dockerOk(['inspect', '--format', '{{.State.StartedAt}}', 'web']);
    const starts = async () => (await s.engine.docker(['logs', 'web'])).stdout.split('\n').filter((line) => line === 'started').length;
    const startsBefore = await starts();
    await containers.action('web', 'Restart').click();
    await expect.poll(() => s.dockerOk(['inspect', '--format', '{{.State.StartedAt}}', 'web']), { timeout: 20_000 }).not.toBe(before);
    expect(await s.dockerOk(['inspect', '--format', '{{.State.Status}}', 'web'])).toBe('running');
    await expect.poll(() => stateOf('web'), { timeout: 15_000 }).toMatch(STATE_TEXT.running);
    // The program ran again from the top: its first line is in the log once more.
    await expect.poll(starts, { timeout: 10_000 }).toBe(startsBefore + 1);
  });

  test('containers started with the docker CLI appear, and their state follows the engine, without a reload', async () => {
    await s.dockerOk(['run', '-d', '--name', 'outside', s.busybox, 'sh', '-c', IDLE]);
    await containers.row('outside').waitFor({ state: 'visible', timeout: 5_000 });
    await expect.poll(() => stateOf('outside'), { timeout: 5_000 }).toMatch(STATE_TEXT.running);
    await s.dockerOk(['stop', 'outside']);
    await expect.poll(() => stateOf('outside'), { timeout: 5_000 }).toMatch(STATE_TEXT.exited);
    await s.dockerOk(['rm', 'outside']);
    await containers.row('outside').waitFor({ state: 'detached', timeout: 5_000 });
    expect(await pageMarker(s.page)).toBe(marker);
  });

  test('two selected containers stop together from the Selection toolbar', async () => {
    for (const name of ['bulk-a', 'bulk-b']) await s.dockerOk(['run', '-d', '--name', name, s.busybox, 'sh', '-c', IDLE]);
    for (const name of ['bulk-a', 'bulk-b']) {
      await expect.poll(() => stateOf(name), { timeout: 10_000 }).toMatch(STATE_TEXT.running);
      await containers.select(name).check();
    }
    await containers.bulk('Stop').click();
    for (const name of ['bulk-a', 'bulk-b']) {
      await expect.poll(() => stateOf(name), { timeout: 20_000 }).toMatch(STATE_TEXT.exited);
      expect(await s.dockerOk(['inspect', '--format', '{{.State.Status}}', name])).toBe('exited');
    }
    // The container not selected kept running.
    expect(await s.dockerOk(['inspect', '--format', '{{.State.Status}}', 'web'])).toBe('running');
  });

  test('the Selection toolbar pauses, resumes, restarts, stops, starts and deletes what is selected; Clear selection empties it', async () => {
    const names = ['bulk-c', 'bulk-d'];
    const inspectAll = async (format: string) => Promise.all(names.map((name) => s.dockerOk(['inspect', '--format', format, name])));
    for (const name of names) await s.dockerOk(['run', '-d', '--name', name, s.busybox, 'sh', '-c', IDLE]);
    for (const name of names) await expect.poll(() => stateOf(name), { timeout: 10_000 }).toMatch(STATE_TEXT.running);
    // Whatever an earlier test left selected goes, and so do these two.
    for (const name of names) await containers.select(name).check();
    await containers.selection.getByRole('button', { name: 'Clear selection', exact: true }).click();
    for (const name of ['bulk-a', 'bulk-b', ...names]) expect(await containers.select(name).isChecked(), name).toBe(false);
    await containers.selection.waitFor({ state: 'hidden' });
    for (const name of names) await containers.select(name).check();

    const statusBecomes = (status: string) => expect.poll(() => inspectAll('{{.State.Status}}'), { timeout: 20_000 }).toEqual([status, status]);
    await containers.bulk('Pause').click();
    await statusBecomes('paused');
    await containers.bulk('Resume').click();
    await statusBecomes('running');
    const startedBefore = await inspectAll('{{.State.StartedAt}}');
    await containers.bulk('Restart').click();
    await expect.poll(async () => (await inspectAll('{{.State.StartedAt}}')).every((at, i) => at !== startedBefore[i]), { timeout: 20_000 }).toBe(true);
    await statusBecomes('running');
    await containers.bulk('Stop').click();
    await statusBecomes('exited');
    await containers.bulk('Start').click();
    await statusBecomes('running');
    for (const name of names) await expect.poll(() => stateOf(name), { timeout: 10_000 }).toMatch(STATE_TEXT.running);

    await containers.bulk('Delete').click();
    await s.app.confirm('Delete 2 containers?', 'Delete');
    for (const name of names) await containers.row(name).waitFor({ state: 'detached', timeout: 20_000 });
    const left = (await s.dockerOk(['ps', '-a', '--format', '{{.Names}}'])).split('\n');
    for (const name of names) expect(left).not.toContain(name);
    // Not selected, not touched.
    expect(await s.dockerOk(['inspect', '--format', '{{.State.Status}}', 'web'])).toBe('running');
  });

  test('a compose project\'s containers are grouped under the project name', async () => {
    for (const service of ['frontend', 'db']) {
      await s.dockerOk([
        'run', '-d', '--name', `shop-${service}-1`,
        '--label', 'com.docker.compose.project=shop', '--label', `com.docker.compose.service=${service}`,
        s.busybox, 'sh', '-c', IDLE,
      ]);
    }
    const group = containers.group('shop');
    await group.waitFor({ state: 'visible' });
    for (const service of ['frontend', 'db']) {
      await group.getByRole('row', { name: `shop-${service}-1`, exact: true }).waitFor({ state: 'visible' });
    }
    // Outside the group: containers of no project.
    expect(await group.getByRole('row', { name: 'web', exact: true }).count()).toBe(0);
    await captureScreen(s.page, 'containers');
  });

  test('starting a container whose command does not exist shows the engine\'s error in an alert', async () => {
    await s.dockerOk(['create', '--name', 'badcmd', s.busybox, '/no/such/command']);
    const cli = await s.engine.docker(['start', 'badcmd']);
    expect(cli.code).not.toBe(0);
    const engineMessage = /Error response from daemon: (.*)/.exec(cli.stderr)?.[1]?.trim() ?? '';
    expect(engineMessage, cli.stderr).toContain('/no/such/command');

    await containers.row('badcmd').waitFor({ state: 'visible' });
    await containers.action('badcmd', 'Start').click();
    const alert = s.app.alert('/no/such/command');
    await alert.waitFor({ state: 'visible' });
    expect((await alert.innerText()).replace(/\s+/g, ' ')).toContain(engineMessage.replace(/\s+/g, ' '));
    await s.app.dismissAlerts();
    await expect.poll(() => s.page.getByRole('alert').count()).toBe(0);
  });

  test('Delete removes the row', async () => {
    await containers.action('bulk-a', 'Delete').click();
    await s.app.confirm('Delete bulk-a?', 'Delete');
    await containers.row('bulk-a').waitFor({ state: 'detached', timeout: 10_000 });
    const left = await s.dockerOk(['ps', '-a', '--format', '{{.Names}}']);
    expect(left.split('\n')).not.toContain('bulk-a');
    expect(left.split('\n')).toContain('bulk-b');
    expect(await pageMarker(s.page)).toBe(marker);
  });
});
