// Many engines at once, against two real berthds (each with its own root, socket and bridge): the
// Engines view lists both with their state, an engine added in the UI becomes a docker context,
// "Use" moves the Containers view to the other engine, a stopped engine (and one that never
// answers) shows its reason while the page stays usable, and the merged Containers list acts on
// the engine of the row, checked through that engine's own API. A third berthd serves only mutual
// TLS on tcp://127.0.0.1: added in the form with its PEM text and saved as a docker context, it is
// reachable, can be made current and lists its containers, and the docker CLI reaches it through
// that context (`docker context use`, then `docker ps`). The same berthd behind an sshd started
// here, added in the form as ssh://user@127.0.0.1:<port>, is reachable and lists its containers too
// (the dashboard and the CLI find an `ssh` on PATH that adds the test's ssh_config).
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { issue, makeCa } from '../app/src/backend/testing/test-certs.ts';
import { startTestSshd, type TestSshd } from '../app/src/backend/testing/test-sshd.ts';
import { DOCKER_BIN } from '../engine/test/support/docker-cli.ts';
import { startEngine, type EngineHandle } from '../engine/test/support/engine-harness.ts';
import { freePort } from '../engine/test/support/free-port.ts';
import { ContainersPage } from './pages/containers-page.ts';
import { EnginesPage } from './pages/engines-page.ts';
import { markPage, pageMarker } from './support/page-marker.ts';
import { captureScreen } from './support/screenshots.ts';
import { useDashboardSession } from './support/session.ts';

/** sshd's files, and a folder on the dashboard's and the CLI's PATH with an `ssh` that adds the
 * test's ssh_config (ssh reads no other way to be told; the wrapper is written once sshd runs). */
const sshRoot = mkdtempSync(join(process.env.BERTH_TEST_TMP ?? tmpdir(), 'berth-e2e-ssh-'));
const sshBin = join(sshRoot, 'bin');
const withSsh = () => ({ PATH: `${sshBin}:${process.env.PATH}` });
const s = useDashboardSession('engines', { dashboardEnv: withSsh });
const IDLE = 'trap "exit 0" TERM; while :; do sleep 0.2; done';
const ONE = `e2e-one-${process.pid}`;
const TWO = `e2e-two-${process.pid}`;
const THREE = `e2e-three-${process.pid}`;
const SECOND = 'second';
const TLS_NAME = 'tls-server';
const SSH_NAME = 'ssh-server';
let sshd: TestSshd;
let second: EngineHandle;
/** A berthd reached only over mutual TLS (its socket is for the test's own checks). */
let tlsEngine: EngineHandle;
let tlsUrl: string;
/** The client's PEM text: the CA that signed the server's certificate, a client certificate and its key. */
const tlsPem: Record<'ca' | 'cert' | 'key', string> = { ca: '', cert: '', key: '' };
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

async function tlsOk(args: string[]): Promise<string> {
  const r = await tlsEngine.docker(args);
  expect(r.code, `docker ${args.join(' ')} (TLS engine, by its socket)\n${r.stderr}`).toBe(0);
  return r.stdout.trim();
}

/** The project's docker CLI as a user runs it: the dashboard's DOCKER_CONFIG (its context store),
 * nothing in the environment choosing an engine. */
function cliWithContexts(args: string[]): Promise<string> {
  const env: NodeJS.ProcessEnv = { ...process.env, DOCKER_CONFIG: s.dashboard.dockerConfig, DOCKER_CLI_HINTS: 'false', ...withSsh() };
  for (const k of ['DOCKER_HOST', 'DOCKER_CONTEXT', 'DOCKER_TLS_VERIFY', 'DOCKER_CERT_PATH', 'DOCKER_TLS']) delete env[k];
  return new Promise((resolve, reject) => {
    execFile(DOCKER_BIN, args, { env, timeout: 60_000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`docker ${args.join(' ')}: ${stderr || error.message}`));
      else resolve(stdout.trim());
    });
  });
}

beforeAll(async () => {
  second = await startEngine();
  await secondOk(['pull', '-q', s.busybox]);
  await s.dockerOk(['run', '-d', '--name', ONE, s.busybox, 'sh', '-c', IDLE]);
  await secondOk(['run', '-d', '--name', TWO, s.busybox, 'sh', '-c', IDLE]);
  silent = createServer((socket) => held.push(socket));
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  const certs = join(second.dir, 'tls-certs');
  const ca = makeCa(certs, 'berth e2e CA');
  const server = issue(ca, certs, 'server', 'server');
  const client = issue(ca, certs, 'client', 'client');
  for (const [file, path] of [['ca', ca.cert], ['cert', client.cert], ['key', client.key]] as const) tlsPem[file] = readFileSync(path, 'utf8');
  tlsUrl = `tcp://127.0.0.1:${await freePort()}`;
  tlsEngine = await startEngine({ extraArgs: ['-H', tlsUrl, '--tlsverify', '--tlscacert', ca.cert, '--tlscert', server.cert, '--tlskey', server.key] });
  await tlsOk(['pull', '-q', s.busybox]);
  await tlsOk(['run', '-d', '--name', THREE, s.busybox, 'sh', '-c', IDLE]);
  sshd = await startTestSshd({
    dir: join(sshRoot, 'sshd'),
    remoteEnv: { PATH: `${dirname(DOCKER_BIN)}:/usr/sbin:/usr/bin:/sbin:/bin`, DOCKER_HOST: `unix://${tlsEngine.socket}`, DOCKER_CONFIG: join(sshRoot, 'remote-docker-config') },
  });
  mkdirSync(sshBin);
  writeFileSync(join(sshBin, 'ssh'), `#!/bin/sh\nexec /usr/bin/ssh -F ${sshd.clientConfig} "$@"\n`, { mode: 0o755 });
  engines = new EnginesPage(s.page);
  containers = new ContainersPage(s.page);
  firstLabel = `Socket ${s.engine.socket}`;
});

afterAll(async () => {
  for (const socket of held) socket.destroy();
  await new Promise((resolve) => (silent ? silent.close(resolve) : resolve(undefined)));
  await second?.stop();
  await sshd?.stop();
  await tlsEngine?.stop();
  rmSync(sshRoot, { recursive: true, force: true });
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

  test('an engine reached over TLS, added with its PEM text as a docker context: reachable, made current, lists its containers; the docker CLI reaches it through the context', async () => {
    await engines.open();
    await engines.name.fill(TLS_NAME);
    await engines.url.fill(tlsUrl);
    await engines.tls.check();
    for (const file of ['ca', 'cert', 'key'] as const) await engines.pem(file).fill(tlsPem[file]);
    expect(await engines.saveAsContext.isChecked()).toBe(true);
    await engines.add.click();
    await engines.row(TLS_NAME).waitFor({ state: 'visible' });
    await expect.poll(() => engines.row(TLS_NAME).innerText(), { timeout: 20_000 }).toMatch(/Reachable/);
    const row = await engines.row(TLS_NAME).innerText();
    expect(row).toContain(await tlsOk(['version', '--format', '{{.Server.Version}}']));
    expect(row).toMatch(/1 \/ 1/);

    try {
      await engines.use(TLS_NAME).click();
      await expect.poll(() => engines.sidebarLink.innerText(), { timeout: 15_000 }).toContain(TLS_NAME);
      await s.app.goTo('Containers');
      await containers.row(THREE).waitFor({ state: 'visible', timeout: 15_000 });
      expect(await containers.row(ONE).count()).toBe(0);
      expect(await containers.row(TWO).count()).toBe(0);

      // The context the form wrote is one the docker CLI uses, TLS files and all.
      expect(await cliWithContexts(['context', 'use', TLS_NAME])).toBe(TLS_NAME);
      expect((await cliWithContexts(['ps', '--format', '{{.Names}}'])).split('\n')).toEqual([THREE]);
    } finally {
      await cliWithContexts(['context', 'use', 'default']);
      await engines.open();
      await engines.use(firstLabel).click();
      await expect.poll(() => engines.sidebarLink.innerText(), { timeout: 15_000 }).toContain(firstLabel);
    }
  });

  test('an engine reached over ssh, added with its ssh:// URL as a docker context: reachable, made current, lists its containers; the docker CLI reaches it too', async () => {
    await engines.open();
    await engines.name.fill(SSH_NAME);
    await engines.url.fill(sshd.url);
    await engines.tls.uncheck();
    expect(await engines.saveAsContext.isChecked()).toBe(true);
    await engines.add.click();
    await engines.row(SSH_NAME).waitFor({ state: 'visible' });
    await expect.poll(() => engines.row(SSH_NAME).innerText(), { timeout: 30_000 }).toMatch(/Reachable/);
    expect(await engines.row(SSH_NAME).innerText()).toContain(await tlsOk(['version', '--format', '{{.Server.Version}}']));

    try {
      await engines.use(SSH_NAME).click();
      await expect.poll(() => engines.sidebarLink.innerText(), { timeout: 15_000 }).toContain(SSH_NAME);
      await s.app.goTo('Containers');
      await containers.row(THREE).waitFor({ state: 'visible', timeout: 30_000 });
      expect(await containers.row(ONE).count()).toBe(0);
      expect((await cliWithContexts(['--context', SSH_NAME, 'ps', '--format', '{{.Names}}'])).split('\n')).toEqual([THREE]);
    } finally {
      await engines.open();
      await engines.use(firstLabel).click();
      await expect.poll(() => engines.sidebarLink.innerText(), { timeout: 15_000 }).toContain(firstLabel);
    }
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
