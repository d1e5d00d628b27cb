// Whole-project actions against a real berthd on containers labelled as each Compose CLI labels
// them (made here with the docker CLI, so no Compose CLI is needed): compose v2's depends_on
// label, docker-compose 1.29's links (its only trace of an order), one-off `compose run`
// containers, and a project name no Compose CLI would make but a label can hold.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useEngineWithBusybox } from '../../../../engine/test/support/engine-fixture.ts';
import type { LogLine } from '../../common/desktop-api.ts';
import { timestampNs } from './compose-logs.ts';
import { createDesktopBackend } from '../create-desktop-backend.ts';
import { CollectingSink } from '../testing/collecting-sink.ts';

const fixture = useEngineWithBusybox();
let backend: ReturnType<typeof createDesktopBackend>;
const tag = `o${process.pid}`;
// Each run prints its start; SIGTERM ends it at once.
const COMMAND = ['sh', '-c', "trap 'exit 0' TERM; echo up; while true; do sleep 0.2; done"];

async function docker(args: string[]): Promise<string> {
  const result = await fixture.engine.docker(args);
  expect(result.code, result.stderr).toBe(0);
  return result.stdout.trim();
}

/** A container as a Compose CLI leaves it: its labels, and links where the file had them. */
async function composeContainer(project: string, service: string, extra: { labels?: Record<string, string>; links?: string[]; oneoff?: boolean } = {}): Promise<string> {
  const labels: Record<string, string> = {
    'com.docker.compose.project': project,
    'com.docker.compose.service': service,
    'com.docker.compose.oneoff': extra.oneoff ? 'True' : 'False',
    'com.docker.compose.container-number': '1',
    ...extra.labels,
  };
  const name = `${project.replace(/[^a-zA-Z0-9_.-]/g, '')}_${service}_${extra.oneoff ? 'run' : '1'}`;
  const args = ['create', '--name', name, ...Object.entries(labels).flatMap(([k, v]) => ['--label', `${k}=${v}`])];
  for (const link of extra.links ?? []) args.push('--link', link);
  return docker([...args, fixture.busybox, ...COMMAND]);
}

interface Times { started: bigint; finished: bigint; running: boolean }

async function times(id: string): Promise<Times> {
  const [state] = JSON.parse(await docker(['inspect', id])) as { State: { StartedAt: string; FinishedAt: string; Running: boolean } }[];
  // As strings they would compare wrongly (trailing zeros are trimmed): nanoseconds as bigint.
  const ns = (t: string) => timestampNs(t) ?? 0n;
  return { started: ns(state.State.StartedAt), finished: ns(state.State.FinishedAt), running: state.State.Running };
}

beforeAll(() => {
  backend = createDesktopBackend({ settingsDir: `${fixture.engine.dir}/settings`, endpoint: `unix://${fixture.engine.socket}`, hostTerminal: false, shell: 'dashboard' });
});

afterAll(async () => {
  for (const project of [`${tag}v2`, `${tag}v1`, `My.App+${tag}`]) {
    await Promise.resolve(backend?.calls.removeComposeProject(project, { volumes: false })).catch(() => {});
  }
  await backend?.dispose();
});

describe('whole-project actions', () => {
  it('starts a compose v2 project in depends_on order and stops it in reverse; a one-off container is left alone', async () => {
    const project = `${tag}v2`;
    // Created as Compose creates them, dependencies first: the engine lists the newest first, so
    // starting everything in listing order would start web before what it depends on.
    const db = await composeContainer(project, 'db', { labels: { 'com.docker.compose.depends_on': '' } });
    const api = await composeContainer(project, 'api', { labels: { 'com.docker.compose.depends_on': 'db:service_healthy:false' } });
    const web = await composeContainer(project, 'web', { labels: { 'com.docker.compose.depends_on': 'api:service_started:false,db:service_started:true' } });
    const run = await composeContainer(project, 'web', { oneoff: true, labels: { 'com.docker.compose.depends_on': 'api:service_started:false' } });

    await backend.calls.composeProjectAction(project, 'start');
    const [tDb, tApi, tWeb, tRun] = await Promise.all([db, api, web, run].map(times));
    expect([tDb.running, tApi.running, tWeb.running]).toEqual([true, true, true]);
    expect(tDb.started < tApi.started).toBe(true);
    expect(tApi.started < tWeb.started).toBe(true);
    expect(tRun.running).toBe(false);

    await docker(['start', run]);
    await backend.calls.composeProjectAction(project, 'stop');
    const [sDb, sApi, sWeb, sRun] = await Promise.all([db, api, web, run].map(times));
    expect([sDb.running, sApi.running, sWeb.running]).toEqual([false, false, false]);
    expect(sWeb.finished < sApi.finished).toBe(true);
    expect(sApi.finished < sDb.finished).toBe(true);
    // `compose run`'s container belongs to whoever ran it, not to the project's Stop.
    expect(sRun.running).toBe(true);
  }, 120_000);

  it('starts a docker-compose 1.29 project (no depends_on label) in the order its links give', async () => {
    const project = `${tag}v1`;
    const db = await composeContainer(project, 'db');
    const web = await composeContainer(project, 'web', { links: [`${project}_db_1:db`] });
    await backend.calls.composeProjectAction(project, 'start');
    const [tDb, tWeb] = await Promise.all([db, web].map(times));
    expect(tDb.running && tWeb.running).toBe(true);
    expect(tDb.started < tWeb.started).toBe(true);
  }, 60_000);

  it('acts on, follows and deletes a project whose label name no Compose CLI would accept', async () => {
    const project = `My.App+${tag}`;
    const one = await composeContainer(project, 'one');
    await docker(['start', await composeContainer(project, 'one', { oneoff: true })]);
    await backend.calls.composeProjectAction(project, 'start');
    expect((await times(one)).running).toBe(true);

    // The merged log has the service's lines and none of the one-off container's.
    const sink = new CollectingSink<LogLine[]>();
    const session = await backend.streams.composeLogs([project, { tail: 100 }], sink);
    try {
      await sink.waitFor((batch) => batch.some((l) => l.source === 'one' && l.text === 'up'));
      const lines = sink.items.flat();
      // Both print "up" under service "one": only one line of it, the service's own.
      expect(lines.filter((l) => l.text === 'up')).toHaveLength(1);
      // Timestamps travel with the lines, for the view's Timestamps toggle.
      expect(lines[0].timestamp).toMatch(/^\d{4}-\d\d-\d\dT/);
    } finally {
      session.close();
    }

    expect(await backend.calls.removeComposeProject(project, { volumes: false })).toMatchObject({ containers: 2 });
  }, 60_000);

  it('refuses a project with only one-off containers, and control characters in a name', async () => {
    const project = `${tag}runonly`;
    await composeContainer(project, 'tool', { oneoff: true });
    await expect(Promise.resolve().then(() => backend.calls.composeProjectAction(project, 'start'))).rejects.toMatchObject({ statusCode: 404 });
    await expect(Promise.resolve().then(() => backend.calls.composeProjectAction('a\nb', 'start'))).rejects.toMatchObject({ statusCode: 400 });
    await backend.calls.removeComposeProject(project, { volumes: false });
  }, 60_000);
});
