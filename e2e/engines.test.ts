// Many engines at once, against two real berthds (each with its own root, socket and bridge): the
// Engines view lists both with their state, an engine added in the UI becomes a docker context,
// "Use" moves the Containers view to the other engine, a stopped engine (and one that never
// answers) shows its reason while the page stays usable, and the merged Containers list acts on
// the engine of the row, checked through that engine's own API.
import { existsSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startEngine, type EngineHandle } from '../engine/test/support/engine-harness.ts';
import { ContainersPage } from './pages/containers-page.ts';
import { EnginesPage } from './pages/engines-page.ts';
import { markPage, pageMarker } from './support/page-marker.ts';
import { captureScreen } from './support/screenshots.ts';
import { useDashboardSession } from './support/session.ts';

const s = useDashboardSession('engines');
const IDLE = 'trap "exit 0" TERM; while :; do sleep 0.2; done';
const ONE = `e2e-one-${process.pid}`;
const TWO = `e2e-two-${process.pid}`;
const SECOND = 'second';
let second: EngineHandle;
let silent: Server;
const held: Socket[] = [];
let engines: EnginesPage;
let containers: ContainersPage;
let firstLabel: string;

async function secondOk(args: string[]): Promise<string> {
  const r = await second.docker(args);
  expect(r.code, `docker ${args.join(' ')} (second engine)\n${r.stderr}`).toBe(0);
  return r.stdout.trim();
}

beforeAll(async () => {
  second = await startEngine();
  await secondOk(['pull', '-q', s.busybox]);
  await s.dockerOk(['run', '-d', '--name', ONE, s.busybox, 'sh', '-c', IDLE]);
  await secondOk(['run', '-d', '--name', TWO, s.busybox, 'sh', '-c', IDLE]);
  silent = createServer((socket) => held.push(socket));
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  engines = new EnginesPage(s.page);
  containers = new ContainersPage(s.page);
  firstLabel = `Socket ${s.engine.socket}`;
});

afterAll(async () => {
  for (const socket of held) socket.destroy();
  await new Promise((resolve) => (silent ? silent.close(resolve) : resolve(undefined)));
  await second?.stop();
});

describe('Engines view', () => {
  test('an engine added in the UI is saved as a docker context, and both engines show reachable with version and containers', async () => {
    await engines.open();
    await engines.name.fill(SECOND);
    await engines.url.fill(`unix://${second.socket}`);
    expect(await engines.saveAsContext.isChecked()).toBe(true);
    await engines.add.click();
    await engines.row(SECOND).waitFor({ state: 'visible' });
    // The context the docker CLI would read: contexts/meta/<sha256 of the name>/meta.json.
    const id = createHash('sha256').update(SECOND).digest('hex');
    expect(existsSync(join(s.dashboard.dockerConfig, 'contexts', 'meta', id, 'meta.json'))).toBe(true);

    const version = await secondOk(['version', '--format', '{{.Server.Version}}']);
    await expect.poll(() => engines.row(SECOND).innerText(), { timeout: 20_000 }).toMatch(/Reachable/);
    const row2 = await engines.row(SECOND).innerText();
    expect(row2).toContain(version);
    expect(row2).toMatch(/1 \/ 1/);
    const row1 = await engines.row(firstLabel).innerText();
    expect(row1).toMatch(/Reachable/);
    expect(row1).toMatch(/Current/);
    expect(await engines.sidebarLink.innerText()).toContain(firstLabel);
    await captureScreen(s.page, 'engines');
  });

  test('Use switches the current engine: the sidebar names it and the Containers view lists its containers', async () => {
    await engines.open();
    await engines.use(SECOND).click();
    await expect.poll(() => engines.sidebarLink.innerText(), { timeout: 15_000 }).toContain(SECOND);
    await s.app.goTo('Containers');
    await containers.row(TWO).waitFor({ state: 'visible', timeout: 15_000 });
    expect(await containers.row(ONE).count()).toBe(0);

    await engines.open();
    await engines.use(firstLabel).click();
    await expect.poll(() => engines.sidebarLink.innerText(), { timeout: 15_000 }).toContain(firstLabel);
    await s.app.goTo('Containers');
    await containers.row(ONE).waitFor({ state: 'visible', timeout: 15_000 });
    expect(await containers.row(TWO).count()).toBe(0);
  });

  test('a stopped engine and one that never answers show their reasons; the page stays usable meanwhile', async () => {
    const marker = await markPage(s.page);
    await engines.open();
    await engines.name.fill('silent');
    await engines.saveAsContext.uncheck();
    await engines.url.fill(`tcp://127.0.0.1:${(silent.address() as { port: number }).port}`);
    await engines.add.click();
    await second.terminate();
    try {
      await expect.poll(() => engines.row(SECOND).innerText(), { timeout: 30_000 }).toMatch(/Not reachable: (connection refused|its socket does not exist)/);
      await expect.poll(() => engines.row('silent').innerText(), { timeout: 30_000 }).toMatch(/Not reachable: no answer within 3 s/);
      expect(await engines.row(firstLabel).innerText()).toMatch(/Reachable/);
      // Other views answer while both probes are pending or failed.
      await s.app.goTo('Containers');
      await containers.row(ONE).waitFor({ state: 'visible', timeout: 10_000 });
      expect(await pageMarker(s.page)).toBe(marker);
    } finally {
      await second.restart();
    }
  });

  test('the merged list shows every engine with an Engine column and filter, and Stop acts on the row\'s engine', async () => {
    await s.app.goTo('Containers');
    await s.page.getByRole('checkbox', { name: 'All engines', exact: true }).check();
    await containers.row(TWO).waitFor({ state: 'visible', timeout: 20_000 });
    await containers.row(ONE).waitFor({ state: 'visible' });
    expect(await containers.row(TWO).innerText()).toContain(SECOND);
    expect(await containers.row(ONE).innerText()).toContain(firstLabel);
    const filter = s.page.getByRole('combobox', { name: 'Engine filter', exact: true });
    await filter.selectOption({ label: SECOND });
    await expect.poll(() => containers.row(ONE).count()).toBe(0);
    await filter.selectOption({ label: 'Every engine' });
    await containers.row(ONE).waitFor({ state: 'visible' });

    // The second engine's container may have stopped with its engine in the test before.
    if ((await secondOk(['inspect', '-f', '{{.State.Status}}', TWO])) !== 'running') await secondOk(['start', TWO]);
    await expect.poll(() => containers.rowText(TWO), { timeout: 20_000 }).toMatch(/Running/);
    await containers.action(TWO, 'Stop').click();
    await expect.poll(() => secondOk(['inspect', '-f', '{{.State.Status}}', TWO]), { timeout: 30_000 }).toBe('exited');
    // The current engine's container of the merged list is untouched.
    expect(await s.dockerOk(['inspect', '-f', '{{.State.Status}}', ONE])).toBe('running');
    await expect.poll(() => containers.rowText(TWO), { timeout: 20_000 }).toMatch(/Exited/);
  });
});
