// Docker contexts as engines, against the docker CLI's own store and a live berthd: a store made
// by the CLI with three contexts (unix to the live berthd, a TLS one, an ssh one) shows as three
// engines with their states, the CLI's current context is the one Berth starts on, a remote that
// never answers costs only its own row, an engine added in Berth is a context `docker context use`
// accepts, and calls that name an engine act on that engine, not the current one.
//
// The TLS and ssh contexts point at closed loopback ports (connection refused) until a TLS berthd
// and an sshd are started here: set TLS_ENGINE / SSH_ENGINE to live addresses and flip `live`.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DOCKER_BIN } from '../../../../engine/test/support/docker-cli.ts';
import { useEngineWithBusybox } from '../../../../engine/test/support/engine-fixture.ts';
import { freePort } from '../../../../engine/test/support/free-port.ts';
import { contextTlsDir, currentContextName, readContext } from '../contexts/context-store.ts';
import { createDesktopBackend } from '../create-desktop-backend.ts';

const fixture = useEngineWithBusybox();
const dir = mkdtempSync(join(process.env.BERTH_TEST_TMP ?? tmpdir(), 'berth-contexts-'));
const config = join(dir, 'docker-config');
const dockerEnv = { DOCKER_CONFIG: config };
let backend: ReturnType<typeof createDesktopBackend>;
let TLS_ENGINE = '';
let SSH_ENGINE = '';
let silent: Server;
const held: Socket[] = [];
const pem: Record<'ca' | 'cert' | 'key', string> = { ca: '', cert: '', key: '' };

/** The docker CLI with this test's store and nothing from the environment choosing a context. */
function cli(args: string[], env: Record<string, string> = {}): { code: number | null; stdout: string; stderr: string } {
  const full: NodeJS.ProcessEnv = { ...process.env, DOCKER_CLI_HINTS: 'false', ...dockerEnv, ...env };
  for (const k of ['DOCKER_HOST', 'DOCKER_CONTEXT', 'DOCKER_TLS_VERIFY', 'DOCKER_CERT_PATH', 'DOCKER_TLS']) if (!(k in env)) delete full[k];
  const r = spawnSync(DOCKER_BIN, args, { env: full, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout.trim(), stderr: r.stderr };
}

function cliOk(args: string[], env: Record<string, string> = {}): string {
  const r = cli(args, env);
  expect(r.code, `docker ${args.join(' ')}: ${r.stderr}`).toBe(0);
  return r.stdout;
}

beforeAll(async () => {
  // A self-signed certificate is enough to be TLS material; nothing here completes a handshake.
  const openssl = spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=berth-test',
    '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { encoding: 'utf8' });
  expect(openssl.status, openssl.stderr).toBe(0);
  writeFileSync(join(dir, 'ca.pem'), readFileSync(join(dir, 'cert.pem')));
  for (const file of ['ca', 'cert', 'key'] as const) pem[file] = readFileSync(join(dir, `${file}.pem`), 'utf8');
  // Free ports that nothing listens on: connection refused, at once.
  TLS_ENGINE = `tcp://127.0.0.1:${await freePort()}`;
  SSH_ENGINE = `ssh://berth@127.0.0.1:${await freePort()}`;
  // A remote that accepts and never answers.
  silent = createServer((socket) => held.push(socket));
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  const silentPort = (silent.address() as { port: number }).port;

  cliOk(['context', 'create', 'live', '--description', 'the test berthd', '--docker', `host=unix://${fixture.engine.socket}`]);
  cliOk(['context', 'create', 'tls-remote', '--docker', `host=${TLS_ENGINE},ca=${join(dir, 'ca.pem')},cert=${join(dir, 'cert.pem')},key=${join(dir, 'key.pem')}`]);
  cliOk(['context', 'create', 'ssh-remote', '--docker', `host=${SSH_ENGINE}`]);
  cliOk(['context', 'create', 'silent', '--docker', `host=tcp://127.0.0.1:${silentPort}`]);
  cliOk(['context', 'use', 'live']);
  backend = createDesktopBackend({
    settingsDir: join(dir, 'settings'), dockerEnv, hostTerminal: false, shell: 'dashboard', engineProbeTimeoutMs: 2000,
  });
});

afterAll(async () => {
  await backend?.dispose();
  for (const socket of held) socket.destroy();
  await new Promise((resolve) => (silent ? silent.close(resolve) : resolve(undefined)));
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

  it('lists the three contexts with their states; a silent remote gets its own timeout and no one else waits for it', async () => {
    const engines = await backend.calls.listEngines();
    const byId = new Map(engines.map((e) => [e.id, e]));
    const live = byId.get('context:live');
    const version = cliOk(['--context', 'live', 'version', '--format', '{{.Server.Version}}']);
    const all = cliOk(['--context', 'live', 'ps', '-aq']).split('\n').filter(Boolean).length;
    const running = cliOk(['--context', 'live', 'ps', '-q']).split('\n').filter(Boolean).length;
    expect(live).toMatchObject({ reachable: true, current: true, version, containers: all, running, label: 'live', url: `unix://${fixture.engine.socket}` });
    expect(live?.arch).toBeTruthy();
    expect(live?.os).toBeTruthy();
    expect(byId.get('context:tls-remote')).toMatchObject({ reachable: false, current: false, url: TLS_ENGINE });
    expect(byId.get('context:tls-remote')?.reason).toMatch(/connection refused/);
    // Until the backend speaks ssh:// the reason says so; with an ssh client it is "connection refused".
    expect(byId.get('context:ssh-remote')).toMatchObject({ reachable: false, current: false });
    expect(byId.get('context:ssh-remote')?.reason).toMatch(/refused|not supported/);
    expect(byId.get('context:silent')).toMatchObject({ reachable: false, reason: 'no answer within 2 s' });
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
      expect(merged.find((m) => m.engine === 'context:tls-remote')?.error).toMatch(/connection refused/);
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
