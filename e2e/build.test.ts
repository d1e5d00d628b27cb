// Build view against a real berthd through `berth dashboard`: a folder with a build arg and a
// target stage builds, its steps stream with the counter and the current step marked, and the
// result runs from the view; a broken Dockerfile shows its line; Cancel during a long RUN leaves
// no container and no image. Screenshots: build (a finished build), build-error.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { until } from '../engine/test/support/engine-fixture.ts';
import { BuildPage } from './pages/build-page.ts';
import { RunDialog } from './pages/images-page.ts';
import { captureScreen } from './support/screenshots.ts';
import { useDashboardSession } from './support/session.ts';

const s = useDashboardSession('build');
let work: string;
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'berth-e2e-build-'));
});
afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

function folder(name: string, files: Record<string, string>): string {
  const dir = join(work, name);
  mkdirSync(dir, { recursive: true });
  for (const [file, content] of Object.entries(files)) writeFileSync(join(dir, file), content);
  return dir;
}

const containerCount = async () => (await s.dockerOk(['ps', '-aq'])).split('\n').filter(Boolean).length;

describe('Build view', () => {
  test('builds a folder with a build arg and a target stage, streams its steps, and runs the result', async () => {
    const dir = folder('app', {
      Dockerfile: [
        `FROM ${s.busybox} AS base`,
        'ARG GREETING=unset',
        'RUN for i in 1 2 3; do echo "counting $i"; done',
        'RUN echo "$GREETING" > /greeting',
        'CMD ["cat", "/greeting"]',
        '',
        'FROM base AS broken',
        'RUN exit 7',
      ].join('\n'),
    });
    const build = new BuildPage(s.page);
    await s.app.goTo('Build');
    await build.fill({ folder: dir, tags: 'berth-e2e-built:1', buildArgs: 'GREETING=hello-from-the-build-view', target: 'base' });
    await build.build();
    await build.logLine('counting 3').waitFor({ state: 'visible', timeout: 60_000 });
    await build.outcome(/Built berth-e2e-built:1/).waitFor({ state: 'visible', timeout: 60_000 });
    // Only the target's steps ran (the broken stage's RUN exit 7 was never reached).
    await build.logLine(`Step 1/5 : FROM ${s.busybox} AS base`).waitFor({ state: 'visible' });
    await build.logLine('Step 5/5 : CMD ["cat", "/greeting"]').waitFor({ state: 'visible' });
    expect(await build.page.getByText(/^Step 5\/5$/).count()).toBe(1);
    await build.recentRow('berth-e2e-built:1 (target base)').getByText('Succeeded', { exact: true }).waitFor({ state: 'visible' });
    await captureScreen(s.page, 'build');

    await build.outcome(/Built berth-e2e-built:1/).getByRole('button', { name: 'Run', exact: true }).click();
    const dialog = new RunDialog(s.page, 'berth-e2e-built:1');
    await dialog.dialog.waitFor({ state: 'visible' });
    await dialog.fill({ name: 'from-the-build-view' });
    await dialog.run();
    await until(async () => (await s.engine.docker(['logs', 'from-the-build-view'])).stdout === 'hello-from-the-build-view\n', 30_000);
    await s.app.goTo('Images');
    await s.page.getByRole('table', { name: 'Images' }).getByRole('row', { name: 'berth-e2e-built:1', exact: true }).waitFor({ state: 'visible' });
    await s.dockerOk(['rm', '-f', 'from-the-build-view']);
  });

  test('marks the step being run, and a broken Dockerfile shows its line', async () => {
    const build = new BuildPage(s.page);
    await s.app.goTo('Build');
    const slow = folder('slow-step', { Dockerfile: `FROM ${s.busybox}\nRUN echo step-two-running; sleep 600\n` });
    await build.fill({ folder: slow, noCache: true });
    await build.build();
    await build.logLine('step-two-running').waitFor({ state: 'visible', timeout: 60_000 });
    await s.page.getByText(/^Step 2\/2$/).waitFor({ state: 'visible' });
    expect(await build.currentStepRow().innerText()).toBe('Step 2/2 : RUN echo step-two-running; sleep 600');
    await build.cancelButton().click();
    await build.outcome('Build cancelled').waitFor({ state: 'visible' });

    const broken = folder('broken', { Dockerfile: `FROM ${s.busybox}\nRUN true\nCOPYY a /b\n` });
    await build.fill({ folder: broken });
    await build.build();
    const failure = build.failure();
    await failure.waitFor({ state: 'visible', timeout: 60_000 });
    expect(await failure.innerText()).toMatch(/unknown instruction: COPYY[\s\S]*Dockerfile line 3: COPYY a \/b/);
    await captureScreen(s.page, 'build-error');
  });

  test('Cancel during a long RUN leaves no container and no image', async () => {
    await until(async () => (await containerCount()) === 0, 30_000);
    const imagesBefore = await s.dockerOk(['image', 'ls', '-aq', '--no-trunc']);
    const dir = folder('long-run', { Dockerfile: `FROM ${s.busybox}\nRUN echo long-run-started; sleep 600\n` });
    const build = new BuildPage(s.page);
    await s.app.goTo('Build');
    await build.fill({ folder: dir, tags: 'berth-e2e-cancelled:1', noCache: true });
    await build.build();
    await build.logLine('long-run-started').waitFor({ state: 'visible', timeout: 60_000 });
    expect(await containerCount()).toBe(1);
    await build.cancelButton().click();
    await build.outcome('Build cancelled').waitFor({ state: 'visible' });
    await until(async () => (await containerCount()) === 0, 30_000);
    expect(await s.dockerOk(['image', 'ls', '-aq', '--no-trunc'])).toBe(imagesBefore);
    expect((await s.engine.docker(['image', 'inspect', 'berth-e2e-cancelled:1'])).code).not.toBe(0);
    await build.recentRow('berth-e2e-cancelled:1').getByText('Cancelled', { exact: true }).waitFor({ state: 'visible' });
  });
});
