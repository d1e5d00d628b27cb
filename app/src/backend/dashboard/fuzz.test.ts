// Fuzzes `berth dashboard` (a real child process, as a user runs it) with thousands of generated
// HTTP requests and WebSocket upgrades, with and without the secret cookie, and with generated
// RPC frames over an authorised socket. Any web page can send such requests to 127.0.0.1, so the
// dashboard must stay up, answer in HTTP with JSON errors, and never 5xx for bad input.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startEngine, type EngineHandle } from '../../../../engine/test/support/engine-harness.ts';
import { methodArb, requestTarget } from '../../../../engine/test/support/fuzz-requests.ts';
import { fuzz, fuzzSettings } from '../../../../engine/test/support/fuzz-run.ts';
import { rawSend } from '../../../../engine/test/support/raw-http.ts';

const CLI = join(dirname(fileURLToPath(import.meta.url)), '..', 'cli', 'berth.ts');
const home = mkdtempSync(join(tmpdir(), 'berth-dash-fuzz-'));
const httpSettings = fuzzSettings(4000);
const rpcSettings = fuzzSettings(3000);
let engine: EngineHandle;
let child: ChildProcess;
let port = 0;
let secret = '';
let stderr = '';
let httpSent = 0;
let framesSent = 0;

beforeAll(async () => {
  engine = await startEngine();
  child = spawn(process.execPath, ['--disable-warning=ExperimentalWarning', CLI, 'dashboard', '--engine', `unix://${engine.socket}`, '--port', '0', '--settings-dir', join(home, 'settings')], {
    env: { ...process.env, XDG_CONFIG_HOME: home },
    stdio: ['ignore', 'pipe', 'pipe'],
    cwd: tmpdir(),
  });
  child.stderr!.on('data', (d: Buffer) => { stderr = (stderr + d.toString()).slice(-8000); });
  const url = new URL(await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`berth dashboard exited ${code}:\n${stderr}`)));
  }));
  port = Number(url.port);
  secret = url.searchParams.get('token')!;
});

afterAll(async () => {
  console.log(`dashboard fuzz: ${httpSent} generated HTTP requests and ${framesSent} RPC frames sent (seed ${httpSettings.seed})`);
  if (child && child.exitCode === null) {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
  }
  await engine?.stop();
  rmSync(home, { recursive: true, force: true });
});

const alive = () => expect(child.exitCode, `berth dashboard died:\n${stderr}`).toBeNull();
const cookie = () => `berth_dashboard_${port}=${secret}`;

interface DashRequest { bytes: Buffer; method: string; label: string; upgrade: boolean; mayUpgrade: boolean }

function dashRequest(): fc.Arbitrary<DashRequest> {
  const targets = ['/', '/rpc', '/index.html', '/assets/index.js', '/?token=SECRET', '/rpc?token=SECRET', '/?token=wrong', '/rpc?token=', '/favicon.ico'];
  return fc
    .record({
      method: fc.oneof({ weight: 4, arbitrary: fc.constant('GET') }, { weight: 2, arbitrary: methodArb }),
      target: requestTarget(targets),
      host: fc.constantFrom('own', 'localhost', 'evil', 'none', 'other-port'),
      withCookie: fc.boolean(),
      upgrade: fc.boolean(),
      origin: fc.constantFrom('own', 'evil', 'none', 'null'),
      body: fc.oneof(fc.constant(''), fc.string({ maxLength: 100 })),
    })
    .map(({ method, target, host, withCookie, upgrade, origin, body }) => {
      const t = target.replaceAll('SECRET', secret);
      const lines = [`${method} ${t} HTTP/1.1`];
      const hostValue = { own: `127.0.0.1:${port}`, localhost: `localhost:${port}`, evil: 'evil.example', none: '', 'other-port': `127.0.0.1:${port + 1}` }[host];
      if (hostValue) lines.push(`Host: ${hostValue}`);
      if (withCookie) lines.push(`Cookie: a=b; ${cookie()}`);
      if (upgrade) lines.push('Connection: Upgrade', 'Upgrade: websocket', 'Sec-WebSocket-Version: 13', 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==');
      const originValue = { own: `http://127.0.0.1:${port}`, evil: 'http://evil.example', none: '', null: 'null' }[origin];
      if (originValue) lines.push(`Origin: ${originValue}`);
      if (body) lines.push(`Content-Length: ${Buffer.byteLength(body)}`);
      const bytes = Buffer.concat([Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1'), Buffer.from(body)]);
      const label = `${method} ${t.slice(0, 100)} host=${host} cookie=${withCookie} upgrade=${upgrade} origin=${origin}`;
      // Who may open the socket: the secret (cookie or token), our own Host, our own Origin.
      const mayUpgrade = upgrade && (withCookie || t.includes(`token=${secret}`)) && (host === 'own' || host === 'localhost') && origin === 'own';
      return { bytes, method, label, upgrade, mayUpgrade, [fc.toStringMethod]: () => label };
    });
}

/** Calls and streams that only read: the fuzz must not drive the engine or open a host shell. */
const SAFE_CALLS = ['capabilities', 'engineStatus', 'listEndpoints', 'diskUsage', 'appSettings', 'listContainers', 'inspectContainer', 'listContainerFiles', 'readContainerFile', 'listImages', 'inspectImage', 'imageHistory', 'listVolumes', 'listVolumeFiles', 'readVolumeFile', 'listNetworks', 'inspectNetwork'];
const SAFE_STREAMS = ['events', 'logs', 'stats'];

type Frame = { text: string | Buffer; awaitId?: number; label: string };

function rpcFrame(): fc.Arbitrary<Frame> {
  const id = fc.oneof(fc.integer({ min: 1, max: 1_000_000 }), fc.constantFrom(0, -1, 2 ** 53, 1.5, Number.MAX_SAFE_INTEGER));
  const args = fc.array(fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.constantFrom('', '..', '/', '/etc/passwd', 'nope', '../../../etc')), { maxLength: 4 });
  const call = fc.record({ id: fc.integer({ min: 1, max: 1_000_000 }), name: fc.oneof(fc.constantFrom(...SAFE_CALLS), fc.constantFrom('nope', '__proto__', 'constructor', 'toString', 'terminal', 'hasOwnProperty')), args })
    .map(({ id: callId, name, args: a }) => ({ text: JSON.stringify({ t: 'call', id: callId, name, args: a }), awaitId: callId, label: `call ${name} ${JSON.stringify(a).slice(0, 100)}` }));
  const open = fc.record({ id, name: fc.oneof(fc.constantFrom(...SAFE_STREAMS), fc.constant('nope')), args })
    .map(({ id: streamId, name, args: a }) => ({ text: `${JSON.stringify({ t: 'open', id: streamId, name, args: a })}\n${JSON.stringify({ t: 'close', id: streamId })}`, label: `open+close ${name}` }));
  const garbage = fc.oneof(
    fc.jsonValue({ maxDepth: 4 }).map((v) => ({ text: JSON.stringify(v), label: 'json value' })),
    fc.record({ t: fc.constantFrom('call', 'open', 'input', 'close', 'result', 'x'), id, name: fc.jsonValue({ maxDepth: 1 }), args: fc.jsonValue({ maxDepth: 2 }), input: fc.jsonValue({ maxDepth: 2 }) })
      .map((m) => ({ text: JSON.stringify(m), label: `shaped ${JSON.stringify(m).slice(0, 100)}` })),
    fc.string({ unit: 'binary', maxLength: 200 }).map((s) => ({ text: s, label: 'text' })),
    fc.uint8Array({ maxLength: 200 }).map((b) => ({ text: Buffer.from(b), label: 'binary' })),
    fc.integer({ min: 1, max: 5000 }).map((depth) => ({ text: `${'['.repeat(depth)}${']'.repeat(depth)}`, label: `nested ${depth}` })),
  );
  // Streams are opened and closed in one frame pair; a frame is one WebSocket message each.
  return fc.oneof({ weight: 4, arbitrary: call }, { weight: 1, arbitrary: open.map((f) => ({ ...f, text: (f.text as string).split('\n')[0] })) }, { weight: 3, arbitrary: garbage })
    .map((frame) => ({ ...frame, [fc.toStringMethod]: () => frame.label }));
}

describe('berth dashboard under generated hostile requests', () => {
  it('stays up and answers every HTTP request and upgrade in HTTP, errors as JSON, never 5xx', async () => {
    await fuzz('dashboard http', httpSettings, dashRequest(), async (request) => {
      const reply = await rawSend({ host: '127.0.0.1', port }, request.bytes, { head: request.method === 'HEAD', timeoutMs: 30_000 }).catch((error: unknown) => {
        throw new Error(`no answer (${String(error)}); dashboard stderr:\n${stderr}`);
      });
      httpSent++;
      const where = `${request.label}\nreply: ${JSON.stringify(reply.bytes.subarray(0, 300).toString('latin1'))}`;
      expect(reply.response, `no HTTP reply to ${where}`).toBeDefined();
      const { status, headers, body } = reply.response!;
      // 503 is the honest answer of a dashboard whose UI is not built in this checkout.
      expect(status < 500 || status === 503, `5xx for ${where}`).toBe(true);
      if (status === 101) expect(request.mayUpgrade, `upgrade let through: ${where}`).toBe(true);
      if (status >= 400 && request.method !== 'HEAD') {
        expect(headers['content-type'], `error without JSON: ${where}`).toBe('application/json');
        expect(typeof (JSON.parse(body.toString('utf8')) as { message?: unknown }).message).toBe('string');
      }
      if (httpSent % 200 === 0) alive();
    });
    alive();
  }, 600_000);

  it('answers or shrugs off every RPC frame over an authorised socket, and stays up', async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/rpc`, { headers: { Cookie: cookie(), Origin: `http://127.0.0.1:${port}` } });
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    const waiting = new Map<number, () => void>();
    ws.on('message', (data) => {
      const message = JSON.parse(String(data)) as { id?: number };
      waiting.get(message.id ?? -1)?.();
    });
    const closed = new Promise<string>((resolve) => ws.once('close', (code, reason) => resolve(`${code} ${String(reason)}`)));
    try {
      await fuzz('dashboard rpc', rpcSettings, rpcFrame(), async (frame) => {
        const answered = frame.awaitId === undefined ? undefined : new Promise<void>((resolve) => waiting.set(frame.awaitId!, resolve));
        ws.send(frame.text);
        framesSent++;
        if (answered) {
          const outcome = await Promise.race([answered.then(() => 'answered'), closed, new Promise<string>((resolve) => setTimeout(() => resolve('no answer within 30 s'), 30_000).unref())]);
          expect(outcome, `${frame.label}; dashboard stderr:\n${stderr}`).toBe('answered');
          waiting.delete(frame.awaitId!);
        }
        if (framesSent % 200 === 0) alive();
      });
      // The socket still works after all of it.
      const last = new Promise<void>((resolve) => waiting.set(424242, resolve));
      ws.send(JSON.stringify({ t: 'call', id: 424242, name: 'capabilities', args: [] }));
      await last;
    } finally {
      ws.close();
    }
    alive();
  }, 600_000);
});
