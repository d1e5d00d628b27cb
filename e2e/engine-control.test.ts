// Engine view with an engine the dashboard supervises (`berth dashboard --manage-engine`): Stop
// engine stops berthd (the CLI gets no answer) and Start engine brings it back with its containers;
// Restart engine replaces the process. And switching endpoints: Connect to another engine's socket
// shows that engine's lists, choosing the first one again shows its own.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startEngine, type EngineHandle } from '../engine/test/support/engine-harness.ts';
import { EnginePage } from './pages/engine-page.ts';
import { VolumesPage } from './pages/volumes-page.ts';
import { managedEnginePid, useDashboardSession } from './support/session.ts';

const s = useDashboardSession('engine-control', { managedEngine: true });
let engine: EnginePage;
let other: EngineHandle | undefined;

beforeAll(() => {
  engine = new EnginePage(s.page);
});
afterAll(async () => {
  await other?.stop();
});

async function stateText(): Promise<string> {
  return (await engine.status.innerText().catch(() => '')).replace(/\s+/g, ' ');
}

async function pingCode(): Promise<number> {
  return (await s.engine.docker(['version', '--format', '{{.Server.Version}}'])).code;
}

describe('Engine view: a supervised engine', () => {
  test('Stop engine stops berthd and Start engine brings it back, with its containers', async () => {
    // The dashboard starts its engine once its URL is out: Running shows when it answers.
    await s.app.goTo('Engine');
    await expect.poll(stateText, { timeout: 30_000 }).toMatch(/\bRunning\b/);
    await s.dockerOk(['create', '--name', 'survivor', s.busybox, 'true']);
    const pid = managedEnginePid(s.engine);
    expect(pid).toBeDefined();

    await engine.control('Stop engine').click();
    await expect.poll(stateText, { timeout: 30_000 }).toMatch(/\bStopped\b/);
    expect(await pingCode()).not.toBe(0);
    expect(managedEnginePid(s.engine)).toBeUndefined();
    await expect.poll(() => engine.control('Start engine').isEnabled()).toBe(true);
    expect(await engine.control('Stop engine').isDisabled()).toBe(true);

    await engine.control('Start engine').click();
    await expect.poll(stateText, { timeout: 30_000 }).toMatch(/\bRunning\b/);
    expect(await pingCode()).toBe(0);
    expect(await s.dockerOk(['ps', '-a', '--format', '{{.Names}}'])).toContain('survivor');
  });

  test('Restart engine replaces the berthd process and comes back Running', async () => {
    await s.app.goTo('Engine');
    await expect.poll(stateText, { timeout: 20_000 }).toMatch(/\bRunning\b/);
    const before = managedEnginePid(s.engine);
    expect(before).toBeDefined();
    await engine.control('Restart engine').click();
    await expect.poll(() => managedEnginePid(s.engine), { timeout: 30_000 }).toSatisfy((pid) => pid !== undefined && pid !== before);
    await expect.poll(stateText, { timeout: 30_000 }).toMatch(/\bRunning\b/);
    expect(await pingCode()).toBe(0);
  });
});

describe('The banner of a stopped engine', () => {
  test('on another view it says the engine is stopped, and its Start engine starts it', async () => {
    await s.app.goTo('Engine');
    await expect.poll(stateText, { timeout: 20_000 }).toMatch(/\bRunning\b/);
    await engine.control('Stop engine').click();
    await expect.poll(stateText, { timeout: 30_000 }).toMatch(/\bStopped\b/);
    await s.app.goTo('Containers');
    const banner = s.page.getByRole('status').filter({ hasText: 'The engine is stopped' });
    await banner.waitFor({ state: 'visible' });
    await banner.getByRole('button', { name: 'Start engine', exact: true }).click();
    // "stopped", then "starting…", then no banner at all once it runs.
    await s.page.getByRole('status').filter({ hasText: /The engine is (stopped|starting)/ }).waitFor({ state: 'detached', timeout: 30_000 });
    expect(await pingCode()).toBe(0);
    await s.page.getByRole('table', { name: 'Containers' }).getByRole('row', { name: 'survivor', exact: true }).waitFor({ state: 'visible' });
  });
});

describe('Engine view: switching endpoints', () => {
  test('Connect to another engine\'s socket shows its lists; choosing the first again shows the first\'s', async () => {
    other = await startEngine();
    const r = await other.docker(['volume', 'create', 'only-on-other']);
    expect(r.code, r.stderr).toBe(0);
    await s.dockerOk(['volume', 'create', 'only-on-first']);
    const volumes = new VolumesPage(s.page);

    await s.app.goTo('Engine');
    await engine.otherEndpoint.fill(`unix://${other.socket}`);
    await engine.connect.click();
    await expect.poll(stateText, { timeout: 20_000 }).toContain(`export DOCKER_HOST=unix://${other.socket}`);
    await s.app.goTo('Volumes');
    await volumes.row('only-on-other').waitFor({ state: 'visible' });
    expect(await volumes.row('only-on-first').count()).toBe(0);

    await s.app.goTo('Engine');
    const first = await engine.endpoint.locator('option', { hasText: s.engine.socket }).getAttribute('value');
    expect(first).toBe(`unix://${s.engine.socket}`);
    await engine.endpoint.selectOption(first!);
    await engine.connect.click();
    await expect.poll(stateText, { timeout: 20_000 }).toContain(`export DOCKER_HOST=unix://${s.engine.socket}`);
    await s.app.goTo('Volumes');
    await volumes.row('only-on-first').waitFor({ state: 'visible' });
    expect(await volumes.row('only-on-other').count()).toBe(0);
  });
});
