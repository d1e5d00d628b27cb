// berthd as a TLS server (-H tcp://127.0.0.1:<port> --tlsverify …) and the clients of it: the
// project's docker CLI with --tlsverify and the test's certificates, and the backend with the same
// files read from a DOCKER_CERT_PATH-style folder. Certificates come from Debian's openssl; a
// second CA provides a client certificate the engine must refuse. The CLIs the backend itself runs
// (docker stack deploy/rm, docker-compose) must reach the engine with the same material.
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect as tlsConnect } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEngine, type EngineHandle } from '../../../../engine/test/support/engine-harness.ts';
import { until } from '../../../../engine/test/support/engine-fixture.ts';
import { docker as dockerCli } from '../../../../engine/test/support/docker-cli.ts';
import { freePort } from '../../../../engine/test/support/free-port.ts';
import { testImage } from '../../../../engine/test/support/fixtures.ts';
import { createDesktopBackend } from '../create-desktop-backend.ts';
import { dockerFor, parseEndpoint } from '../engine-connection.ts';
import { engineJson } from '../engine-request.ts';
import { exerciseBackend } from '../testing/remote-exercise.ts';
import { CollectingSink } from '../testing/collecting-sink.ts';
import type { CliOutputLine, ComposeOutput } from '../../common/desktop-api.ts';
import { issue, makeCa, type CertPair } from '../testing/test-certs.ts';
import { readTlsFolder } from './tls-folder.ts';

let dir: string;
let engine: EngineHandle;
let port: number;
let ca: CertPair;
let client: CertPair;
let foreignClient: CertPair;
/** DOCKER_CERT_PATH layout for the client: ca.pem, cert.pem, key.pem. */
let certPath: string;
const busybox = testImage('busybox').ref;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'berth-tls-'));
  ca = makeCa(join(dir, 'ca'), 'berth test CA');
  const server = issue(ca, join(dir, 'ca'), 'server', 'server');
  client = issue(ca, join(dir, 'ca'), 'client', 'client');
  const otherCa = makeCa(join(dir, 'other'), 'another CA');
  foreignClient = issue(otherCa, join(dir, 'other'), 'client', 'client');
  certPath = join(dir, 'client-certs');
  mkdirSync(certPath);
  copyFileSync(ca.cert, join(certPath, 'ca.pem'));
  copyFileSync(client.cert, join(certPath, 'cert.pem'));
  copyFileSync(client.key, join(certPath, 'key.pem'));
  port = await freePort();
  engine = await startEngine({
    extraArgs: ['-H', `tcp://127.0.0.1:${port}`, '--tlsverify', '--tlscacert', ca.cert, '--tlscert', server.cert, '--tlskey', server.key],
  });
  const pull = await engine.docker(['pull', busybox]);
  expect(pull.code, pull.stderr).toBe(0);
});

afterAll(async () => {
  await engine?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const host = () => `tcp://127.0.0.1:${port}`;
const tlsCli = (args: string[], files: string[]) => dockerCli([...files, ...args], { env: { DOCKER_HOST: host() } });
const goodFiles = () => ['--tlsverify', '--tlscacert', ca.cert, '--tlscert', client.cert, '--tlskey', client.key];

/** A raw TLS client: resolves 'ok' once the server answered a ping, else the error it got. */
function handshake(options: { cert?: string; key?: string }): Promise<string> {
  return new Promise((resolve) => {
    const socket = tlsConnect({
      host: '127.0.0.1', port, ca: readFileSync(ca.cert), servername: 'localhost',
      ...(options.cert ? { cert: readFileSync(options.cert), key: readFileSync(options.key!) } : {}),
    }, () => socket.write('GET /_ping HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'));
    let answer = '';
    socket.on('data', (d: Buffer) => { answer += d.toString(); });
    socket.on('error', (error) => resolve(`error: ${error.message}`));
    socket.on('close', () => resolve(answer.startsWith('HTTP/1.1 200') ? 'ok' : `closed: ${answer}`));
  });
}

describe('berthd over TLS, the docker CLI as client', () => {
  it('serves the startup line with TLS and answers the CLI with --tlsverify and the right files', async () => {
    expect(readFileSync(engine.logFile, 'utf8')).toContain(`tcp://127.0.0.1:${port} (TLS, client certificates verified)`);
    const version = await tlsCli(['version', '--format', '{{.Server.APIVersion}}'], goodFiles());
    expect(version.code, version.stderr).toBe(0);
    expect(version.stdout.trim()).toMatch(/^1\.\d+$/);
    const run = await tlsCli(['run', '--rm', busybox, 'echo', 'hello over tls'], goodFiles());
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toBe('hello over tls\n');
    const ps = await tlsCli(['ps', '-a', '--format', '{{.ID}}'], goodFiles());
    expect(ps.code, ps.stderr).toBe(0);
  });

  it('refuses, at the handshake, a client with no certificate', async () => {
    const cli = await tlsCli(['version'], ['--tlsverify', '--tlscacert', ca.cert]);
    expect(cli.code).not.toBe(0);
    expect(cli.stderr).toMatch(/tls|certificate/i);
    expect(await handshake({})).toMatch(/^error: .*certificate/i);
    await until(async () => /TLS handshake error from 127\.0\.0\.1:\d+: .*certificate/i.test(readFileSync(engine.logFile, 'utf8')));
  });

  it('refuses a client certificate signed by another CA', async () => {
    const cli = await tlsCli(['version'], ['--tlsverify', '--tlscacert', ca.cert, '--tlscert', foreignClient.cert, '--tlskey', foreignClient.key]);
    expect(cli.code).not.toBe(0);
    expect(cli.stderr).toMatch(/tls|certificate/i);
    const before = (readFileSync(engine.logFile, 'utf8').match(/TLS handshake error/g) ?? []).length;
    // TLS 1.3 finishes the client's side of the handshake first: the refusal shows as an alert
    // (an error) or as the connection closing before any answer.
    expect(await handshake(foreignClient)).not.toBe('ok');
    await until(async () => (readFileSync(engine.logFile, 'utf8').match(/TLS handshake error/g) ?? []).length > before);
    expect(await handshake(client)).toBe('ok');
  });

  it('speaks only TLS on the tcp port: a plain HTTP client gets no API', async () => {
    const plain = await dockerCli(['version', '--format', '{{.Server.APIVersion}}'], { env: { DOCKER_HOST: host() } });
    expect(plain.code).not.toBe(0);
  });
});

describe('berthd refuses bad server flags at startup, with one message', () => {
  it('plain tcp on an address other than loopback, without --tls=false', async () => {
    const spare = await freePort();
    await expect(startEngine({ extraArgs: ['-H', `tcp://0.0.0.0:${spare}`], timeoutMs: 20_000 }))
      .rejects.toThrow(/berthd: refusing to serve the API on tcp:\/\/0\.0\.0\.0:\d+ without TLS: .*--tls=false/);
  });

  it('a missing certificate file, and a certificate without its key', async () => {
    const spare = await freePort();
    await expect(startEngine({ extraArgs: ['-H', `tcp://127.0.0.1:${spare}`, '--tlsverify', '--tlscacert', join(dir, 'nope.pem'), '--tlscert', client.cert, '--tlskey', client.key] }))
      .rejects.toThrow(/could not read --tlscacert .*nope\.pem: no such file/);
    await expect(startEngine({ extraArgs: ['-H', `tcp://127.0.0.1:${spare}`, '--tlsverify', '--tlscacert', ca.cert, '--tlscert', client.cert] }))
      .rejects.toThrow(/--tlscert needs --tlskey/);
    // A key that is not the certificate's.
    await expect(startEngine({ extraArgs: ['-H', `tcp://127.0.0.1:${spare}`, '--tlsverify', '--tlscacert', ca.cert, '--tlscert', client.cert, '--tlskey', foreignClient.key] }))
      .rejects.toThrow(/cannot use the TLS files/);
  });
});

describe('the backend as a client of a TLS engine', () => {
  it('reads the DOCKER_CERT_PATH layout and talks to the engine with it (dockerFor)', async () => {
    const tls = await readTlsFolder(certPath);
    const version = await engineJson<{ ApiVersion: string }>(dockerFor(parseEndpoint(host(), tls)), { method: 'GET', path: '/version' });
    expect(version.ApiVersion).toMatch(/^1\.\d+$/);
    // Without the client certificate the engine refuses, and the call fails.
    await expect(engineJson(dockerFor(parseEndpoint(host(), { ca: tls.ca, verify: true })), { method: 'GET', path: '/version' })).rejects.toThrow();
  });

  it('lists, runs, follows logs and events, and opens a terminal through its calls and streams', async () => {
    const settingsDir = mkdtempSync(join(dir, 'settings-'));
    const backend = createDesktopBackend({ settingsDir, endpoint: host(), dial: { tls: await readTlsFolder(certPath) }, hostTerminal: false, shell: 'dashboard' });
    try {
      await exerciseBackend(backend, busybox, `tls${process.pid}`, (args) => engine.docker(args));
    } finally {
      await backend.dispose();
    }
  });
});

describe('the CLIs the backend runs (stack deploy and rm, Compose) against a TLS engine', () => {
  let backend: ReturnType<typeof createDesktopBackend>;
  const project = `tlscompose${process.pid}`;
  /** The private folders cli-engine-env.ts writes the certificates to, for this test's runs. */
  const certDirs = () => readdirSync(tmpdir()).filter((name) => name.startsWith('berth-cli-engine-'));
  let before: string[];

  beforeAll(async () => {
    backend = createDesktopBackend({ settingsDir: mkdtempSync(join(dir, 'settings-')), endpoint: host(), dial: { tls: await readTlsFolder(certPath) }, hostTerminal: false, shell: 'dashboard' });
    before = certDirs();
  });

  afterAll(async () => {
    await engine?.docker(['rm', '-f', `${project}-web-1`, `${project}_web_1`]);
    await engine?.docker(['network', 'rm', `${project}_default`]);
    await backend?.dispose();
  });

  it('the docker CLI gets the engine\'s certificates: stack rm and deploy get berthd\'s own not-a-swarm-manager answer', async () => {
    // Without the TLS files the CLI would speak plain HTTP to the TLS port and never hear the engine.
    await expect(backend.calls.removeStack('web')).rejects.toThrow(/not a swarm manager/i);
    const sink = new CollectingSink<CliOutputLine>();
    await backend.streams.stackDeploy(['web', `version: "3.8"\nservices:\n  web:\n    image: ${busybox}\n`] as never, sink);
    await sink.waitForEnd(120_000);
    expect(sink.ended).toBe('error');
    expect(String(sink.failure)).toMatch(/not a swarm manager/i);
    // The key written for the runs is gone once they end.
    expect(certDirs().filter((name) => !before.includes(name))).toEqual([]);
  });

  it('an engine used without verifying its certificate (no CA) is reached by the docker CLI too', async () => {
    const material = await readTlsFolder(certPath);
    const unverified = createDesktopBackend({ settingsDir: mkdtempSync(join(dir, 'settings-')), endpoint: host(), dial: { tls: { cert: material.cert, key: material.key, verify: false } }, hostTerminal: false, shell: 'dashboard' });
    try {
      await expect(unverified.calls.removeStack('web')).rejects.toThrow(/not a swarm manager/i);
    } finally {
      await unverified.dispose();
    }
  });

  it('the Compose CLI brings a project up and down on the TLS engine', async () => {
    const projectDir = join(dir, project);
    mkdirSync(projectDir);
    const file = join(projectDir, 'docker-compose.yml');
    writeFileSync(file, `version: "3.8"\nservices:\n  web:\n    image: ${busybox}\n    command: ["sleep", "600"]\n`);
    const run = async (command: string) => {
      const sink = new CollectingSink<ComposeOutput[]>();
      await backend.streams.compose([{ files: [file] }, command] as never, sink);
      await sink.waitForEnd(180_000);
      const text = sink.items.flat().map((item) => ('text' in item ? item.text : `exit ${item.exit}`)).join('\n');
      return { ended: sink.ended, text: `${text}\n${String(sink.failure ?? '')}` };
    };
    const up = await run('up');
    expect(up.ended, up.text).toBe('complete');
    const ps = await engine.docker(['ps', '--filter', `label=com.docker.compose.project=${project}`, '--format', '{{.State}}']);
    expect(ps.stdout.trim()).toBe('running');
    const down = await run('down');
    expect(down.ended, down.text).toBe('complete');
    const after = await engine.docker(['ps', '-a', '--filter', `label=com.docker.compose.project=${project}`, '--format', '{{.ID}}']);
    expect(after.stdout.trim()).toBe('');
    expect(certDirs().filter((name) => !before.includes(name))).toEqual([]);
  });
});
