// Docker contexts as engines, against the docker CLI's own store and live engines: a store made by
// the CLI with three contexts (unix to the test's berthd, TLS to a second berthd serving
// tcp://127.0.0.1 with mutual TLS, ssh to an sshd in front of the first berthd) shows as three
// reachable engines whose version, OS/arch and container counts are what the docker CLI reports
// through the same context; a dead context and one that never answers show their reasons and cost
// only their own rows; the CLI's current context is the one Berth starts on; an engine added in
// Berth is a context `docker context use` accepts; calls that name an engine act on that engine;
// and a TLS or ssh context made current through the Engines machinery carries logs, events and
// terminals.
//
// ssh options: the backend takes them as DialOptions.ssh (createDesktopBackend's `dial`), and every
// engine it dials gets them, a context's ssh:// engine included (EngineRegistry.docker and
// EngineTarget.switchTo both pass target.dial). The docker CLI has no such flag: an `ssh` wrapper
// earlier on its PATH adds `-F <the test's ssh_config>`.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DOCKER_BIN } from '../../../../engine/test/support/docker-cli.ts';
import { useEngineWithBusybox } from '../../../../engine/test/support/engine-fixture.ts';
import { startEngine, type EngineHandle } from '../../../../engine/test/support/engine-harness.ts';
import { freePort } from '../../../../engine/test/support/free-port.ts';
import { contextTlsDir, currentContextName, readContext } from '../contexts/context-store.ts';
import { createDesktopBackend } from '../create-desktop-backend.ts';
import type { TerminalOutput } from '../../common/desktop-api.ts';
import { CollectingSink } from '../testing/collecting-sink.ts';
import { exerciseBackend } from '../testing/remote-exercise.ts';
import { issue, makeCa } from '../testing/test-certs.ts';
import { startTestSshd, type TestSshd } from '../testing/test-sshd.ts';

const fixture = useEngineWithBusybox();
/** Per-engine probe timeout: long enough for a cold ssh login and dial-stdio on a busy machine;
 * the silent context's row waits this long, the others' never do. */
const PROBE_MS = 10_000;
const dir = mkdtempSync(join(process.env.BERTH_TEST_TMP ?? tmpdir(), 'berth-contexts-'));
const config = join(dir, 'docker-config');
const dockerEnv = { DOCKER_CONFIG: config };
/** Where the CLI finds the `ssh` wrapper that adds the test's ssh_config. */
const sshBin = join(dir, 'bin');
let backend: ReturnType<typeof createDesktopBackend>;
let tlsEngine: EngineHandle;
let sshd: TestSshd;
let TLS_ENGINE = '';
let SSH_ENGINE = '';
let DEAD_ENGINE = '';
let silent: Server;
const held: Socket[] = [];
/** The client's TLS material (DOCKER_CERT_PATH names): the CA that signed the TLS berthd's certificate, and a client certificate it accepts. */
const pem: Record<'ca' | 'cert' | 'key', string> = { ca: '', cert: '', key: '' };
/** A container that exists only on the TLS berthd, so its row's counts differ from the others'. */
let tlsOnly = '';

/** The docker CLI with this test's store and nothing from the environment choosing a context. */
function cli(args: string[], env: Record<string, string> = {}): { code: number | null; stdout: string; stderr: string } {
  const full: NodeJS.ProcessEnv = { ...process.env, DOCKER_CLI_HINTS: 'false', ...dockerEnv, PATH: `${sshBin}:${process.env.PATH}`, ...env };
  for (const k of ['DOCKER_HOST', 'DOCKER_CONTEXT', 'DOCKER_TLS_VERIFY', 'DOCKER_CERT_PATH', 'DOCKER_TLS']) if (!(k in env)) delete full[k];
  const r = spawnSync(DOCKER_BIN, args, { env: full, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout.trim(), stderr: r.stderr };
}

function cliOk(args: string[], env: Record<string, string> = {}): string {
  const r = cli(args, env);
  expect(r.code, `docker ${args.join(' ')}: ${r.stderr}`).toBe(0);
  return r.stdout;
}

/** How many containers the TLS berthd has, by its own socket. */
function tlsEngineCount(): number {
  return cliOk(['ps', '-aq'], { DOCKER_HOST: `unix://${tlsEngine.socket}` }).split('\n').filter(Boolean).length;
}

/** The CLI through one context, as an async runner (what exerciseBackend's event probe wants). */
const viaContext = (name: string) => async (args: string[]) => cliOk(['--context', name, ...args]);

beforeAll(async () => {
  // Certificates as "Protect the Docker daemon socket" makes them: one CA, a server and a client.
  const ca = makeCa(join(dir, 'ca'), 'berth contexts test CA');
  const server = issue(ca, join(dir, 'ca'), 'server', 'server');
  const client = issue(ca, join(dir, 'ca'), 'client', 'client');
  for (const [file, path] of [['ca', ca.cert], ['cert', client.cert], ['key', client.key]] as const) {
    pem[file] = readFileSync(path, 'utf8');
    writeFileSync(join(dir, `${file}.pem`), pem[file], { mode: 0o600 });
  }
  const tlsPort = await freePort();
  TLS_ENGINE = `tcp://127.0.0.1:${tlsPort}`;
  tlsEngine = await startEngine({ extraArgs: ['-H', TLS_ENGINE, '--tlsverify', '--tlscacert', ca.cert, '--tlscert', server.cert, '--tlskey', server.key] });
  const pull = await tlsEngine.docker(['pull', '-q', fixture.busybox]);
  expect(pull.code, pull.stderr).toBe(0);
  const created = await tlsEngine.docker(['create', fixture.busybox, 'true']);
  expect(created.code, created.stderr).toBe(0);
  tlsOnly = created.stdout.trim();

  // sshd in front of the test's berthd: the remote session's `docker system dial-stdio` reaches it.
  sshd = await startTestSshd({
    dir: join(dir, 'sshd'),
    remoteEnv: { PATH: `${dirname(DOCKER_BIN)}:/usr/sbin:/usr/bin:/sbin:/bin`, DOCKER_HOST: `unix://${fixture.engine.socket}`, DOCKER_CONFIG: join(dir, 'remote-docker-config') },
  });
  SSH_ENGINE = sshd.url;
  mkdirSync(sshBin);
  writeFileSync(join(sshBin, 'ssh'), `#!/bin/sh\nexec /usr/bin/ssh -F ${sshd.clientConfig} "$@"\n`, { mode: 0o755 });

  // A free port that nothing listens on: connection refused, at once.
  DEAD_ENGINE = `tcp://127.0.0.1:${await freePort()}`;
  // A remote that accepts and never answers.
  silent = createServer((socket) => held.push(socket));
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  const silentPort = (silent.address() as { port: number }).port;

  cliOk(['context', 'create', 'live', '--description', 'the test berthd', '--docker', `host=unix://${fixture.engine.socket}`]);
  cliOk(['context', 'create', 'tls-remote', '--docker', `host=${TLS_ENGINE},ca=${join(dir, 'ca.pem')},cert=${join(dir, 'cert.pem')},key=${join(dir, 'key.pem')}`]);
  cliOk(['context', 'create', 'ssh-remote', '--docker', `host=${SSH_ENGINE}`]);
  cliOk(['context', 'create', 'dead', '--docker', `host=${DEAD_ENGINE}`]);
  cliOk(['context', 'create', 'silent', '--docker', `host=tcp://127.0.0.1:${silentPort}`]);
  cliOk(['context', 'use', 'live']);
  backend = createDesktopBackend({
    settingsDir: join(dir, 'settings'), dockerEnv, hostTerminal: false, shell: 'dashboard', engineProbeTimeoutMs: PROBE_MS,
    dial: { ssh: { extraArgs: ['-F', sshd.clientConfig] } },
  });
});

afterAll(async () => {
  await backend?.dispose();
  for (const socket of held) socket.destroy();
  await new Promise((resolve) => (silent ? silent.close(resolve) : resolve(undefined)));
  await sshd?.stop();
  await tlsEngine?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('the context store as the docker CLI keeps it', () => {
  it('resolves the current context as the CLI does: DOCKER_HOST, then DOCKER_CONTEXT, then config.json', () => {
    const cases: Record<string, string>[] = [{}, { DOCKER_CONTEXT: 'tls-remote' }, { DOCKER_HOST: 'unix:///nowhere.sock' }, { DOCKER_HOST: 'unix:///nowhere.sock', DOCKER_CONTEXT: 'tls-remote' }];
    for (const env of cases) {
      const starred = cliOk(['context', 'ls', '--format', '{{.Name}} {{.Current}}'], env).split('\n').find((line) => line.endsWith(' true'))?.split(' ')[0];
      expect(currentContextName({ ...dockerEnv, ...env }), JSON.stringify(env)).toBe(starred);
    }
  });

  it("reads a context's endpoint and its TLS files (PEM text) from contexts/tls/<id>/docker", () => {
    const context = readContext('tls-remote', dockerEnv);
    expect(context).toEqual({ name: 'tls-remote', description: '', host: TLS_ENGINE, tls: { ca: pem.ca, cert: pem.cert, key: pem.key, verify: true } });
    expect(readContext('live', dockerEnv)).toEqual({ name: 'live', description: 'the test berthd', host: `unix://${fixture.engine.socket}` });
  });
});

describe('every context is an engine', () => {
  it('starts on the docker CLI current context, and marks it', async () => {
    const list = await backend.calls.listEndpoints();
    expect(list.currentId).toBe('context:live');
    expect(list.current).toBe(`unix://${fixture.engine.socket}`);
    expect(list.endpoints.find((e) => e.id === 'context:live')?.dockerCurrent).toBe(true);
    expect((await backend.calls.engineStatus()).state).toBe('running');
  });

  it('lists the unix, TLS and ssh contexts as reachable, with what the docker CLI reports through each; a dead and a silent one show their reasons', async () => {
    const engines = await backend.calls.listEngines();
    const byId = new Map(engines.map((e) => [e.id, e]));
    for (const [name, url] of [['live', `unix://${fixture.engine.socket}`], ['tls-remote', TLS_ENGINE], ['ssh-remote', SSH_ENGINE]] as const) {
      const [version, os, arch] = cliOk(['--context', name, 'info', '--format', '{{.ServerVersion}}|{{.OperatingSystem}}|{{.Architecture}}']).split('|');
      const all = cliOk(['--context', name, 'ps', '-aq']).split('\n').filter(Boolean).length;
      const running = cliOk(['--context', name, 'ps', '-q']).split('\n').filter(Boolean).length;
      const row = byId.get(`context:${name}`);
      expect(row, `${name}: ${row?.reason}`).toMatchObject({ reachable: true, current: name === 'live', version, os, arch, containers: all, running, label: name, url });
    }
    // The TLS berthd is another engine than the one behind unix:// and ssh://: its own count.
    expect(byId.get('context:tls-remote')?.containers).toBe((byId.get('context:live')?.containers ?? 0) + 1);
    expect(byId.get('context:ssh-remote')?.containers).toBe(byId.get('context:live')?.containers);
    expect(byId.get('context:dead')).toMatchObject({ reachable: false, current: false, url: DEAD_ENGINE, reason: 'connection refused' });
    expect(byId.get('context:silent')).toMatchObject({ reachable: false, reason: `no answer within ${PROBE_MS / 1000} s` });
    expect(engines.filter((e) => e.current).map((e) => e.id)).toEqual(['context:live']);
    // `default` is a context too (DOCKER_HOST, else dockerd's socket), as `docker context ls` lists it.
    expect(byId.has('context:default')).toBe(true);
  });
});

describe('the engine a backend was started on', () => {
  it('stays listed after switching away, though `--engine URL` is not saved', async () => {
    const forced = `unix://${join(dir, 'no-engine-here.sock')}`;
    const other = createDesktopBackend({ settingsDir: join(dir, 'settings-forced'), dockerEnv, endpoint: forced, hostTerminal: false, shell: 'dashboard' });
    try {
      await other.calls.selectEndpoint('context:live');
      const list = await other.calls.listEndpoints();
      expect(list.currentId).toBe('context:live');
      expect(list.endpoints.map((e) => e.id)).toContain(forced);
      expect((await other.calls.selectEndpoint(forced)).endpoint).toBe(forced);
    } finally {
      await other.dispose();
    }
  });
});

describe("Berth's own engine", () => {
  it('is kept as the `berth` docker context, and listed once (the context is that engine)', async () => {
    const own = join(dir, 'own-config');
    const endpoint = `unix://${fixture.engine.socket}`;
    const localEngine = {
      kind: 'local' as const, startedByUs: false, endpoint, transition: null,
      details: async () => undefined, onTransition: () => () => true, start: async () => {}, stop: async () => {},
    };
    const local = createDesktopBackend({ settingsDir: join(dir, 'settings-own'), dockerEnv: { DOCKER_CONFIG: own }, localEngine, berthContext: true, hostTerminal: false, shell: 'electron' });
    try {
      expect(cliOk(['context', 'inspect', 'berth', '--format', '{{.Endpoints.docker.Host}}'], { DOCKER_CONFIG: own })).toBe(endpoint);
      const rows = (await local.calls.listEndpoints()).endpoints.filter((e) => e.url === endpoint);
      expect(rows).toEqual([{ id: endpoint, url: endpoint, label: "Berth's engine", builtin: true, context: 'berth' }]);
    } finally {
      await local.dispose();
    }
  });
});

describe('adding an engine', () => {
  it('saved as a context with TLS material: meta.json and 0600 PEM files that `docker context use` accepts', async () => {
    const added = await backend.calls.addEngine({ name: 'added-tls', url: TLS_ENGINE, tls: { ...pem, verify: true }, saveAsContext: true });
    expect(added).toMatchObject({ id: 'context:added-tls', context: 'added-tls', url: TLS_ENGINE });
    expect(cliOk(['context', 'use', 'added-tls'])).toBe('added-tls');
    const inspected = JSON.parse(cliOk(['context', 'inspect', 'added-tls'])) as { Endpoints: { docker: { Host: string; SkipTLSVerify: boolean } }; TLSMaterial: { docker: string[] } }[];
    expect(inspected[0].Endpoints.docker).toEqual({ Host: TLS_ENGINE, SkipTLSVerify: false });
    expect([...inspected[0].TLSMaterial.docker].sort()).toEqual(['ca.pem', 'cert.pem', 'key.pem']);
    expect(statSync(join(contextTlsDir('added-tls', dockerEnv), 'key.pem')).mode & 0o777).toBe(0o600);
    // The CLI reaches the TLS berthd through it, as the backend does.
    expect(cliOk(['ps', '-aq', '--no-trunc'])).toContain(tlsOnly);
    const row = (await backend.calls.listEngines()).find((e) => e.id === 'context:added-tls');
    expect(row, row?.reason).toMatchObject({ reachable: true, containers: tlsEngineCount() });
    cliOk(['context', 'use', 'live']);
    expect((await backend.calls.listEndpoints()).endpoints.some((e) => e.id === 'context:added-tls')).toBe(true);
  });

  it('saved as a context for a socket: the docker CLI reaches the engine through it', async () => {
    const added = await backend.calls.addEngine({ name: 'added-live', url: `unix://${fixture.engine.socket}`, saveAsContext: true });
    expect(added.id).toBe('context:added-live');
    const version = cliOk(['--context', 'added-live', 'version', '--format', '{{.Server.Version}}']);
    expect(version).toBe(cliOk(['--context', 'live', 'version', '--format', '{{.Server.Version}}']));
  });

  it('refuses TLS material outside a context and a context name the CLI would refuse', async () => {
    await expect(backend.calls.addEngine({ name: 'x', url: TLS_ENGINE, tls: { ...pem, verify: true }, saveAsContext: false })).rejects.toMatchObject({ statusCode: 400 });
    await expect(backend.calls.addEngine({ name: 'default', url: TLS_ENGINE, saveAsContext: true })).rejects.toMatchObject({ statusCode: 400 });
    await expect(backend.calls.addEngine({ name: '../x', url: TLS_ENGINE, saveAsContext: true })).rejects.toMatchObject({ statusCode: 400 });
  });
});

describe('calls that name their engine', () => {
  it('the merged list holds every engine (errors per engine), and stop acts on the named engine while another is current', async () => {
    const id = cliOk(['--context', 'live', 'run', '-d', fixture.busybox, 'sleep', '300']);
    try {
      await backend.calls.selectEndpoint('context:tls-remote');
      expect((await backend.calls.listEndpoints()).currentId).toBe('context:tls-remote');
      const merged = await backend.calls.listAllContainers();
      const live = merged.find((m) => m.engine === 'context:live');
      expect(live?.current).toBe(false);
      expect(live?.containers?.map((c) => c.Id)).toContain(id);
      expect(merged.find((m) => m.engine === 'context:tls-remote')?.containers?.map((c) => c.Id)).toContain(tlsOnly);
      expect(merged.find((m) => m.engine === 'context:dead')?.error).toMatch(/connection refused/);
      await backend.calls.containerAction(id, 'stop', 'context:live');
      expect(cliOk(['--context', 'live', 'inspect', '--format', '{{.State.Status}}', id])).toBe('exited');
      await backend.calls.removeContainer(id, { force: true, volumes: false }, 'context:live');
      expect(cli(['--context', 'live', 'inspect', id]).code).not.toBe(0);
    } finally {
      cli(['--context', 'live', 'rm', '-f', id]);
      await backend.calls.selectEndpoint('context:live');
    }
  });
});

describe('a remote context made current through the Engines machinery', () => {
  it('TLS, then ssh: runs a container, follows its logs and events, and opens a terminal on the engine chosen by id', async () => {
    try {
      for (const [name, engine] of [['tls-remote', tlsEngine], ['ssh-remote', fixture.engine]] as const) {
        const chosen = await backend.calls.selectEndpoint(`context:${name}`);
        expect(chosen.endpoint).toBe(name === 'tls-remote' ? TLS_ENGINE : SSH_ENGINE);
        expect((await backend.calls.listEngines()).filter((e) => e.current).map((e) => e.id)).toEqual([`context:${name}`]);
        const before = (await engine.docker(['ps', '-aq'])).stdout;
        // Every call and stream goes to the current target. The CLI, through the same context,
        // makes the probe events the backend's stream must show, and the stream must then show
        // the start of the container the backend ran: both are on the context's engine.
        await exerciseBackend(backend, fixture.busybox, `${name}-${process.pid}`, viaContext(name));
        expect((await engine.docker(['ps', '-aq'])).stdout).toBe(before);
      }
    } finally {
      await backend.calls.selectEndpoint('context:live');
    }
  });
});

describe('the docker CLI beside the UI follows a context made current', () => {
  it("the host terminal's docker and the Engine view's export line reach a TLS context's engine (DOCKER_HOST alone cannot carry its files)", async () => {
    const host = createDesktopBackend({ settingsDir: join(dir, 'settings-host'), dockerEnv, hostTerminal: true, shell: 'dashboard', dial: { ssh: { extraArgs: ['-F', sshd.clientConfig] } } });
    try {
      await host.calls.selectEndpoint('context:tls-remote');
      const line = (await host.calls.engineStatus()).dockerHostLine;
      expect(line).toBe('export DOCKER_CONTEXT=tls-remote');
      const [name, value] = line.replace(/^export /, '').split('=');
      expect(cliOk(['ps', '-aq', '--no-trunc'], { [name]: value })).toContain(tlsOnly);

      const term = new CollectingSink<TerminalOutput>();
      const session = await host.streams.terminal([{ kind: 'host' }, { cols: 200, rows: 24 }], term);
      const output = () => term.items.map((item) => ('data' in item ? item.data : '')).join('');
      // The project's CLI by its path: a login shell's profile may set its own PATH.
      session.input?.({ data: `${DOCKER_BIN} ps -aq --no-trunc; echo "r""c=$?"\r` });
      for (const deadline = Date.now() + 30_000; !/\brc=\d+/.test(output());) {
        if (Date.now() > deadline) throw new Error(`no rc= line from the host terminal:\n${output()}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(output()).toMatch(/\brc=0\b/);
      expect(output()).toContain(tlsOnly);
      session.input?.({ data: 'exit\r' });
      await term.waitForEnd(20_000);
    } finally {
      await host.dispose();
    }
  });
});
