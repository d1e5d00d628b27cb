// The backend's build stream against a real berthd: a folder becomes the context (.dockerignore
// honoured), build args and the target stage reach the engine, steps arrive with their Dockerfile
// line, a broken Dockerfile and a failing RUN point at their line, closing the stream cancels the
// build (no container, no image), and every build lands in the recent-builds file, which a new
// backend reads back. The dashboard refuses folders while the engine is remote.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { until, useEngineWithBusybox } from '../../../../engine/test/support/engine-fixture.ts';
import { rawApi } from '../../../../engine/test/support/raw-api.ts';
import type { BuildItem } from '../../common/desktop-api.ts';
import { createDesktopBackend } from '../create-desktop-backend.ts';
import { CollectingSink } from '../testing/collecting-sink.ts';

const fixture = useEngineWithBusybox();
let settingsDir: string;
let work: string;
let backend: ReturnType<typeof createDesktopBackend>;

beforeAll(() => {
  settingsDir = mkdtempSync(join(tmpdir(), 'berth-build-settings-'));
  work = mkdtempSync(join(tmpdir(), 'berth-build-folders-'));
  backend = createDesktopBackend({ settingsDir, endpoint: `unix://${fixture.engine.socket}`, hostTerminal: false, shell: 'dashboard' });
});

afterAll(async () => {
  await backend?.dispose();
  rmSync(settingsDir, { recursive: true, force: true });
  rmSync(work, { recursive: true, force: true });
});

function folder(files: Record<string, string>): string {
  const dir = mkdtempSync(join(work, 'ctx-'));
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), content);
  }
  return dir;
}

async function start(spec: Record<string, unknown>) {
  const sink = new CollectingSink<BuildItem>();
  const session = await backend.streams.build([spec as never], sink);
  return { sink, session };
}
const build = async (spec: Record<string, unknown>) => (await start(spec)).sink;

const json = async <T>(path: string): Promise<T> => JSON.parse((await rawApi(fixture.engine.socket, 'GET', path)).body.toString()) as T;
const lines = (sink: CollectingSink<BuildItem>) => sink.items.flatMap((i) => (i.kind === 'lines' ? i.lines : []));

describe('build stream', () => {
  it('builds a folder with a build arg and a target stage, honours .dockerignore, and reports steps with their lines', async () => {
    const dockerfile = [
      `FROM ${fixture.busybox} AS base`,
      'ARG FLAVOUR=plain',
      'COPY . /ctx/',
      'RUN echo "flavour=$FLAVOUR" > /flavour',
      '',
      'FROM base AS never',
      'RUN exit 1',
    ].join('\n');
    const dir = folder({ Dockerfile: dockerfile, 'keep.txt': 'k', 'secret.txt': 's', '.dockerignore': 'secret.txt\n' });
    const info = await backend.calls.buildFolderInfo(dir);
    expect(info).toEqual({ folder: dir, dockerfiles: ['Dockerfile'], dockerfile: 'Dockerfile', stages: ['base', 'never'], args: [{ name: 'FLAVOUR', default: 'plain' }] });

    const sink = await build({ folder: dir, dockerfile: 'Dockerfile', tags: ['berth-ui-build:one'], buildArgs: { FLAVOUR: 'mint' }, target: 'base', noCache: false });
    await sink.waitForEnd(120_000);
    const steps = sink.items.filter((i) => i.kind === 'step');
    expect(steps.map((s) => [s.step, s.total, s.line])).toEqual([[1, 4, 1], [2, 4, 2], [3, 4, 3], [4, 4, 4]]);
    const done = sink.items.at(-1);
    expect(done?.kind, JSON.stringify(sink.items.at(-1))).toBe('done');
    expect(lines(sink)).toContain('Successfully tagged berth-ui-build:one');
    const run = await fixture.engine.docker(['run', '--rm', '--network=none', 'berth-ui-build:one', 'sh', '-c', 'cat /flavour; ls /ctx']);
    expect(run.stdout).toBe('flavour=mint\nDockerfile\nkeep.txt\n');
    const [record] = await backend.calls.recentBuilds();
    expect(record).toMatchObject({ folder: dir, tags: ['berth-ui-build:one'], target: 'base', outcome: 'succeeded', imageId: done?.kind === 'done' ? done.imageId : 'none' });
  });

  it('points a Dockerfile that does not parse, and a failing RUN, at their line', async () => {
    const broken = await build({ folder: folder({ Dockerfile: `FROM ${fixture.busybox}\nBOGUS thing\n` }), dockerfile: 'Dockerfile', tags: [], buildArgs: {}, noCache: false });
    await broken.waitForEnd(60_000);
    expect(broken.items.at(-1)).toMatchObject({ kind: 'failed', line: 2, lineText: 'BOGUS thing' });
    const failing = await build({ folder: folder({ Dockerfile: `FROM ${fixture.busybox}\nRUN true\nRUN \\\n  exit 3\n` }), dockerfile: 'Dockerfile', tags: [], buildArgs: {}, noCache: true });
    await failing.waitForEnd(60_000);
    expect(failing.items.at(-1)).toMatchObject({ kind: 'failed', line: 3, lineText: 'RUN \\', message: expect.stringMatching(/non-zero code: 3/) });
    expect((await backend.calls.recentBuilds()).slice(0, 2).map((r) => r.outcome)).toEqual(['failed', 'failed']);
  });

  it('closing the stream during a RUN cancels the build: no container, no image, recorded as cancelled', async () => {
    const imagesBefore = (await json<Array<{ Id: string }>>('/images/json?all=1')).map((i) => i.Id).sort();
    const dir = folder({ Dockerfile: `FROM ${fixture.busybox}\nRUN echo long-run-started; sleep 600\n` });
    const { sink, session } = await start({ folder: dir, dockerfile: 'Dockerfile', tags: ['berth-ui-cancelled:one'], buildArgs: {}, noCache: true });
    await until(async () => lines(sink).includes('long-run-started'), 60_000);
    expect(await json<unknown[]>('/containers/json?all=1')).toHaveLength(1);
    session.close();
    await until(async () => (await json<unknown[]>('/containers/json?all=1')).length === 0, 30_000);
    expect((await json<Array<{ Id: string }>>('/images/json?all=1')).map((i) => i.Id).sort()).toEqual(imagesBefore);
    expect((await backend.calls.recentBuilds())[0]).toMatchObject({ folder: dir, outcome: 'cancelled' });
  });

  it('keeps recent builds across backends (a new launch reads builds.json back)', async () => {
    const again = createDesktopBackend({ settingsDir, endpoint: `unix://${fixture.engine.socket}`, hostTerminal: false, shell: 'dashboard' });
    try {
      expect((await again.calls.recentBuilds()).map((r) => r.outcome)).toEqual(['cancelled', 'failed', 'failed', 'succeeded']);
    } finally {
      await again.dispose();
    }
  });

  it('the dashboard refuses a folder while the engine is remote, and has no folder dialog', async () => {
    const remote = createDesktopBackend({ settingsDir: mkdtempSync(join(work, 'remote-')), endpoint: 'tcp://192.0.2.10:2375', hostTerminal: false, shell: 'dashboard' });
    try {
      await expect(remote.calls.buildFolderInfo(work)).rejects.toMatchObject({ statusCode: 400, message: expect.stringMatching(/engine's machine only.*remote/) });
      await expect(Promise.resolve().then(() => remote.calls.pickBuildFolder())).rejects.toMatchObject({ statusCode: 400, message: expect.stringMatching(/no folder dialog/) });
    } finally {
      await remote.dispose();
    }
  });
});
