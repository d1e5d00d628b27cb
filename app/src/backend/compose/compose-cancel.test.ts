// Cancelling a running `compose up` (closing its stream) against a real berthd: the `up` hangs on
// a pull from a registry on 127.0.0.1 that accepts connections and never answers. The Compose
// CLI is reached through a wrapper script that runs it as a child, as the docker CLI runs the
// compose plugin: closing must stop both, leave no container of the project, and remember nothing.
// Also: the CLI's stderr is kept in bounded memory however much it prints.
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { until, useEngineWithBusybox } from '../../../../engine/test/support/engine-fixture.ts';
import type { ComposeOutput } from '../../common/desktop-api.ts';
import { createDesktopBackend } from '../create-desktop-backend.ts';
import { CollectingSink } from '../testing/collecting-sink.ts';
import { findOnPath } from '../executables.ts';
import { failureMessage, StderrKeeper } from './compose-run.ts';

const fixture = useEngineWithBusybox();
const project = `cancel${process.pid}`;
let scratch: string;
let backend: ReturnType<typeof createDesktopBackend>;
let silent: Server;
const sockets = new Set<Socket>();
const savedPath = process.env.PATH;

/** Processes whose command line names the project (the wrapper and the CLI both carry `-p <project>`). */
function projectProcesses(): string[] {
  const found: string[] = [];
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      if (argv.includes(project)) found.push(`${pid} ${argv.join(' ')}`);
    } catch {
      // exited meanwhile
    }
  }
  return found;
}

beforeAll(async () => {
  scratch = mkdtempSync(join(process.env.BERTH_TEST_TMP ?? tmpdir(), 'berth-compose-cancel-'));
  const real = findOnPath('docker-compose');
  if (!real) throw new Error('docker-compose is not installed (scripts/bootstrap.mjs installs it)');
  // A parent that stays (not exec) while the CLI runs as its child; first on the PATH, so the
  // backend's CLI search finds it as "docker-compose".
  const bin = join(scratch, 'bin');
  mkdirSync(bin);
  writeFileSync(join(bin, 'docker-compose'), `#!/bin/sh\n${real} "$@"\nstatus=$?\nexit $status\n`);
  chmodSync(join(bin, 'docker-compose'), 0o755);
  process.env.PATH = `${bin}${delimiter}${savedPath}`;

  silent = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  const port = (silent.address() as { port: number }).port;
  mkdirSync(join(scratch, project));
  writeFileSync(join(scratch, project, 'docker-compose.yml'), `version: "3.8"\nservices:\n  one:\n    image: 127.0.0.1:${port}/never/answers:latest\n`);
  backend = createDesktopBackend({ settingsDir: join(scratch, 'settings'), endpoint: `unix://${fixture.engine.socket}`, hostTerminal: false, shell: 'dashboard' });
});

afterAll(async () => {
  process.env.PATH = savedPath;
  await backend?.dispose();
  for (const socket of sockets) socket.destroy();
  await new Promise((resolve) => silent?.close(resolve));
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

describe('cancelling compose up', () => {
  it('closing the stream stops the CLI and its children, and leaves no container of the project', async () => {
    const sink = new CollectingSink<ComposeOutput[]>();
    const session = await backend.streams.compose([{ files: [join(scratch, project, 'docker-compose.yml')] }, 'up'], sink);
    // The CLI is pulling (and will wait for ever): cancel now.
    await sink.waitFor((batch) => batch.some((item) => 'text' in item && /Pulling one/.test(item.text)), 120_000);
    expect(projectProcesses().length).toBeGreaterThanOrEqual(2);
    session.close();
    await until(async () => projectProcesses().length === 0, 30_000).catch(() => {
      throw new Error(`still running after cancel:\n${projectProcesses().join('\n')}`);
    });
    const containers = await backend.calls.listContainers();
    expect(containers.filter((c) => c.Labels?.['com.docker.compose.project'] === project)).toEqual([]);
    expect((await backend.calls.rememberedComposeProjects()).map((p) => p.project)).not.toContain(project);
  }, 180_000);

  it('keeps the CLI\'s error lines and its last lines in bounded memory, however much it prints', () => {
    const keeper = new StderrKeeper();
    for (let i = 0; i < 50_000; i++) keeper.push(`Pulling layer ${i}`);
    expect(keeper.lines()).toHaveLength(20);
    expect(keeper.lines().at(-1)).toBe('Pulling layer 49999');
    keeper.push('ERROR: manifest for x:latest not found');
    for (let i = 0; i < 50_000; i++) keeper.push(`more ${i}`);
    const message = failureMessage(keeper.lines(), 'up', 1);
    expect(message.split('\n')[0]).toBe('ERROR: manifest for x:latest not found');
    expect(message.split('\n')).toHaveLength(20);
  });
});
