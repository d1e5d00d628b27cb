// The Compose backend against a real berthd and the Compose CLI the project installs (Debian's
// docker-compose, or the docker compose plugin where the docker CLI has it): a 2-service project
// brought up from its file, its merged log followed across a stop and start, whole-project
// actions and down by labels, the CLI's own words for a broken file, and bad paths refused.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useEngineWithBusybox } from '../../../../engine/test/support/engine-fixture.ts';
import type { ComposeOutput, LogLine } from '../../common/desktop-api.ts';
import { createDesktopBackend } from '../create-desktop-backend.ts';
import { CollectingSink } from '../testing/collecting-sink.ts';
import { composeMemoryPath } from './compose-memory.ts';

const fixture = useEngineWithBusybox();
let scratch: string;
let settingsDir: string;
let backend: ReturnType<typeof createDesktopBackend>;
const project = `bc${process.pid}`;
let composeFile: string;

function serviceYaml(name: string, busybox: string): string {
  // Each run says it started, then ticks; SIGTERM ends it at once.
  return `  ${name}:\n    image: ${busybox}\n    command: ["sh", "-c", "trap 'exit 0' TERM; echo ${name} started; while true; do echo ${name} tick; sleep 0.2; done"]\n`;
}

async function runCompose(files: unknown, command: string): Promise<CollectingSink<ComposeOutput[]>> {
  const sink = new CollectingSink<ComposeOutput[]>();
  await backend.streams.compose([files, command] as never, sink);
  await sink.waitForEnd(180_000);
  return sink;
}

function outputText(sink: CollectingSink<ComposeOutput[]>): string {
  return sink.items.flat().map((item) => ('text' in item ? item.text : `exit ${item.exit}`)).join('\n');
}

async function failure(promise: Promise<unknown>): Promise<{ statusCode?: number; message: string }> {
  try {
    await promise;
  } catch (error) {
    return error as { statusCode?: number; message: string };
  }
  throw new Error('expected a failure');
}

async function states(): Promise<string[]> {
  const all = await backend.calls.listContainers();
  return all.filter((c) => c.Labels?.['com.docker.compose.project'] === project).map((c) => c.State).sort();
}

beforeAll(() => {
  scratch = mkdtempSync(join(process.env.BERTH_TEST_TMP ?? tmpdir(), 'berth-compose-'));
  settingsDir = join(scratch, 'settings');
  const dir = join(scratch, project);
  mkdirSync(dir);
  composeFile = join(dir, 'docker-compose.yml');
  writeFileSync(composeFile, `version: "3.8"\nservices:\n${serviceYaml('one', fixture.busybox)}${serviceYaml('two', fixture.busybox)}`);
  backend = createDesktopBackend({ settingsDir, endpoint: `unix://${fixture.engine.socket}`, hostTerminal: false, shell: 'dashboard' });
});

afterAll(async () => {
  if (backend) {
    await Promise.resolve(backend.calls.removeComposeProject(project, { volumes: true })).catch(() => {});
    await backend.dispose();
  }
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

describe('compose', () => {
  it('finds a Compose CLI on this machine', async () => {
    const cli = await backend.calls.composeCli();
    expect(cli.message).toBeUndefined();
    expect(cli.command?.length).toBeGreaterThan(0);
    expect(cli.version).toMatch(/\d+\.\d+/);
  });

  it('brings both services up as one project, streaming the CLI output, and remembers the files', async () => {
    const sink = await runCompose({ files: [composeFile] }, 'up');
    expect(sink.ended, outputText(sink)).toBe('complete');
    expect(sink.items.flat().at(-1)).toEqual({ exit: 0 });
    // The CLI says what it created (v1 "Creating bc…_one_1 … done", v2 "Container bc…-one-1 Started").
    expect(outputText(sink)).toMatch(/one/);
    expect(await states()).toEqual(['running', 'running']);
    const remembered = await backend.calls.rememberedComposeProjects();
    expect(remembered[0]).toMatchObject({ project, workingDir: join(scratch, project), files: [composeFile] });
    expect(JSON.parse(readFileSync(composeMemoryPath(settingsDir), 'utf8')).projects[0].project).toBe(project);
  });

  it('merges every service log with its service as the source, and follows the project across stop and start', async () => {
    const sink = new CollectingSink<LogLine[]>();
    const session = await backend.streams.composeLogs([project, { tail: 100 }], sink);
    try {
      const lines = () => sink.items.flat();
      await sink.waitFor(() => lines().some((l) => l.source === 'one' && l.text === 'one tick') && lines().some((l) => l.source === 'two' && l.text === 'two tick'));
      // Every line carries the service that printed it.
      expect(lines().every((l) => l.text.startsWith(`${l.source} `))).toBe(true);

      await backend.calls.composeProjectAction(project, 'stop');
      expect(await states()).toEqual(['exited', 'exited']);
      await backend.calls.composeProjectAction(project, 'start');
      expect(await states()).toEqual(['running', 'running']);
      // The second run of each service reaches the same, still open, stream.
      const started = (service: string) => lines().filter((l) => l.text === `${service} started`).length;
      await sink.waitFor(() => started('one') >= 2 && started('two') >= 2, 60_000);
      expect(sink.ended).toBeUndefined();
    } finally {
      session.close();
    }
  }, 120_000);

  it('refuses a project action on a project with no containers, and a bad action', async () => {
    expect((await failure(Promise.resolve(backend.calls.composeProjectAction('nosuchproject', 'start')))).statusCode).toBe(404);
    expect((await failure(Promise.resolve().then(() => backend.calls.composeProjectAction(project, 'explode' as never))))).toMatchObject({ statusCode: 400 });
    // Any name a label can hold is a project name here (compose-projects.test.ts acts on one): this one has no containers.
    expect((await failure(Promise.resolve().then(() => backend.calls.composeProjectAction('Bad Name', 'start'))))).toMatchObject({ statusCode: 404 });
  });

  it('takes the project down by its labels: containers and network gone', async () => {
    const removed = await backend.calls.removeComposeProject(project, { volumes: false });
    expect(removed).toMatchObject({ containers: 2, networks: 1, volumes: 0 });
    expect(await states()).toEqual([]);
    const networks = await backend.calls.listNetworks();
    expect(networks.filter((n) => n.Name.startsWith(project))).toEqual([]);
  });

  it('brings it up again from the remembered files and down through the CLI', async () => {
    const [remembered] = await backend.calls.rememberedComposeProjects();
    expect((await runCompose(remembered, 'up')).ended).toBe('complete');
    expect(await states()).toEqual(['running', 'running']);
    const down = await runCompose(remembered, 'down');
    expect(down.ended, outputText(down)).toBe('complete');
    expect(await states()).toEqual([]);
  }, 240_000);

  it("a broken compose file fails with the CLI's own message, which also streamed as output", async () => {
    const dir = join(scratch, 'broken');
    mkdirSync(dir);
    const file = join(dir, 'docker-compose.yml');
    writeFileSync(file, 'version: "3.8"\nservices:\n  one:\n    image: [not, a, string]\n');
    const sink = await runCompose({ files: [file] }, 'up');
    expect(sink.ended).toBe('error');
    const message = (sink.failure as Error).message;
    expect(message).toMatch(/services\.one\.image/);
    expect(message).not.toMatch(/exit code/);
    expect(outputText(sink)).toContain(message.split('\n')[0]);
    expect(sink.items.flat().at(-1)).toEqual({ exit: expect.any(Number) });
    // Nothing remembered for a run that failed.
    expect((await backend.calls.rememberedComposeProjects()).some((p) => p.project === 'broken')).toBe(false);
  }, 60_000);

  it('refuses a missing file, a folder, a relative path and a bad command with a 400 that says which', async () => {
    const open = (files: unknown, command = 'up') => failure(Promise.resolve().then(() => backend.streams.compose([files, command] as never, new CollectingSink())));
    const missing = await open({ files: [join(scratch, 'nope.yml')] });
    expect(missing).toMatchObject({ statusCode: 400 });
    expect(missing.message).toMatch(/does not exist/);
    const folder = await open({ files: [scratch] });
    expect(folder.statusCode).toBe(400);
    expect(folder.message).toMatch(/is a folder, not a compose file/);
    expect((await open({ files: ['docker-compose.yml'] })).message).toMatch(/absolute path/);
    expect((await open({ files: [] })).statusCode).toBe(400);
    expect((await open({ files: [composeFile] }, 'explode')).statusCode).toBe(400);
    expect(existsSync(composeFile)).toBe(true);
  });
});
