// The dashboard server against a real berthd: who gets in (secret, Host, Origin), what it serves
// (and never serves), and DesktopApi over the WebSocket end to end.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import WebSocket from 'ws';
import { useEngineWithBusybox } from '../../../../engine/test/support/engine-fixture.ts';
import type { DesktopApi } from '../../common/desktop-api.ts';
import type { EngineEvent } from '../../common/docker-types.ts';
import { createRpcClient } from '../../common/rpc-client.ts';
import type { ClientMessage, MessageChannelLike, ServerMessage } from '../../common/rpc-protocol.ts';
import { createDesktopBackend } from '../create-desktop-backend.ts';
import { untilEventsFlow } from '../testing/events-ready.ts';
import { startDashboardServer, type DashboardServer } from './dashboard-server.ts';

const fixture = useEngineWithBusybox();
const dir = mkdtempSync(join(tmpdir(), 'berth-dashboard-'));
const rendererDir = join(dir, 'renderer');
let backend: ReturnType<typeof createDesktopBackend>;
let server: DashboardServer;

beforeAll(async () => {
  mkdirSync(join(rendererDir, 'assets'), { recursive: true });
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Berth</title>');
  writeFileSync(join(rendererDir, 'assets', 'index-abc123.js'), 'console.log("berth")');
  writeFileSync(join(dir, 'outside.txt'), 'must never be served');
  backend = createDesktopBackend({ settingsDir: join(dir, 'settings'), endpoint: `unix://${fixture.engine.socket}`, hostTerminal: false, shell: 'dashboard' });
  server = await startDashboardServer({ backend, rendererDir, port: 0 });
});

afterAll(async () => {
  await server?.close();
  await backend?.dispose();
  rmSync(dir, { recursive: true, force: true });
});

interface Answer { status: number; headers: Record<string, string | string[] | undefined>; body: string }

/** A raw GET, so that the test controls every header (fetch would not let it set Host). */
function get(path: string, headers: Record<string, string> = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: server.port, path, headers: { Host: `127.0.0.1:${server.port}`, ...headers } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => { body += chunk; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

const cookie = () => ({ Cookie: `berth_dashboard_${server.port}=${server.secret}` });
const origin = () => `http://127.0.0.1:${server.port}`;

/** Opens /rpc; resolves the socket once open, or the HTTP status the server refused it with. */
function openSocket(headers: Record<string, string>): Promise<WebSocket | number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/rpc`, { headers });
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      ws.terminate();
    });
    ws.once('error', reject);
  });
}

function rpcOver(ws: WebSocket): DesktopApi {
  const channel: MessageChannelLike<ClientMessage, ServerMessage> = {
    send: (message) => ws.send(JSON.stringify(message)),
    onMessage: (listener) => ws.on('message', (data) => listener(JSON.parse(String(data)) as ServerMessage)),
    onClose: (listener) => ws.on('close', (code, reason) => listener(String(reason) || `closed (${code})`)),
  };
  return createRpcClient(channel);
}

describe('berth dashboard: who gets in', () => {
  test('the printed URL is loopback with the secret', () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/?token=${server.secret}`);
  });

  test('without the secret every page is 401 with a hint where to find it', async () => {
    const answer = await get('/');
    expect(answer.status).toBe(401);
    expect(answer.body).toMatch(/open the URL berth dashboard printed/);
    expect((await get('/assets/index-abc123.js')).status).toBe(401);
    expect((await get('/', { Cookie: `berth_dashboard_${server.port}=not-the-secret` })).status).toBe(401);
  });

  test('a wrong token is 401 and sets no cookie', async () => {
    const answer = await get('/?token=wrong');
    expect(answer.status).toBe(401);
    expect(answer.headers['set-cookie']).toBeUndefined();
  });

  test('the right token redirects to / and moves the secret into an HttpOnly SameSite=Strict cookie', async () => {
    const answer = await get(`/?token=${server.secret}`);
    expect(answer.status).toBe(303);
    expect(answer.headers.location).toBe('/');
    expect(answer.headers['set-cookie']).toEqual([`berth_dashboard_${server.port}=${server.secret}; HttpOnly; SameSite=Strict; Path=/`]);
    // Never to another site, however the path is spelled: a target that is not a plain path is
    // refused outright; the others go to a path on this site.
    expect((await get(`//evil.example/?token=${server.secret}`)).status).toBe(400);
    for (const path of ['/.//evil.example/', '/a/..//evil.example/', '/\\evil.example/', '/%2F/evil.example/']) {
      const answer = await get(`${path}?token=${server.secret}`);
      expect(answer.status, path).toBe(303);
      expect(answer.headers.location, path).toMatch(/^\/(?![/\\])/);
    }
  });

  test('a foreign Host header is 403 even with the secret (DNS rebinding)', async () => {
    for (const host of ['evil.example', `evil.example:${server.port}`, `127.0.0.1:${server.port + 1}`]) {
      expect((await get('/', { ...cookie(), Host: host })).status, host).toBe(403);
    }
    expect((await get('/', { ...cookie(), Host: `localhost:${server.port}` })).status).toBe(200);
  });

  test('the WebSocket needs the cookie and an Origin of this dashboard', async () => {
    expect(await openSocket({ Origin: origin() })).toBe(403);
    expect(await openSocket({ ...cookie(), Origin: 'http://evil.example' })).toBe(403);
    expect(await openSocket({ ...cookie(), Origin: `http://127.0.0.1:${server.port + 1}` })).toBe(403);
    expect(await openSocket({ ...cookie() })).toBe(403);
    const ws = await openSocket({ ...cookie(), Origin: origin() });
    expect(ws).toBeInstanceOf(WebSocket);
    (ws as WebSocket).close();
  });
});

describe('berth dashboard: hostile request targets', () => {
  /** A raw request, so that the request target goes out exactly as written. */
  function raw(text: string): Promise<string> {
    return new Promise((resolve, reject) => {
      const socket = connect(server.port, '127.0.0.1');
      let reply = '';
      socket.on('data', (chunk: Buffer) => { reply += chunk.toString('latin1'); });
      socket.on('end', () => resolve(reply));
      socket.on('error', reject);
      socket.end(text);
    });
  }

  test('a WebSocket upgrade to //a:99999/rpc, unauthenticated, gets a 400 and the dashboard stays up', async () => {
    const host = `Host: 127.0.0.1:${server.port}`;
    for (const target of ['//a:99999/rpc', '//[', '//x%zz/rpc', '//u:p@[::1/rpc']) {
      const reply = await raw(`GET ${target} HTTP/1.1\r\n${host}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n`);
      expect(reply, target).toMatch(/^HTTP\/1\.1 400 /);
      expect(reply, target).toMatch(/\{"message":"bad request target"\}/);
    }
    expect((await get('/', cookie())).status).toBe(200);
  });

  test('a plain GET of such a target is a 400 in JSON, not a 500', async () => {
    const reply = await raw(`GET //a:99999/rpc HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nCookie: berth_dashboard_${server.port}=${server.secret}\r\nConnection: close\r\n\r\n`);
    expect(reply).toMatch(/^HTTP\/1\.1 400 /);
    expect(reply).toMatch(/Content-Type: application\/json/i);
  });
});

describe('berth dashboard: what it serves', () => {
  test('index.html is never cached; hashed assets are immutable; both with their content types', async () => {
    const index = await get('/', cookie());
    expect(index.status).toBe(200);
    expect(index.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(index.headers['cache-control']).toBe('no-store');
    const asset = await get('/assets/index-abc123.js', cookie());
    expect(asset.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(asset.headers['cache-control']).toContain('immutable');
    expect(asset.body).toBe('console.log("berth")');
  });

  test('every answer carries the security headers, refusals included', async () => {
    for (const answer of [await get('/', cookie()), await get('/'), await get('/nope', cookie())]) {
      const csp = String(answer.headers['content-security-policy']);
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain(`connect-src 'self' ws://127.0.0.1:${server.port}`);
      expect(csp).toContain("style-src 'self' 'unsafe-inline'");
      expect(csp).toContain("img-src 'self' data: blob:");
      expect(answer.headers['x-content-type-options']).toBe('nosniff');
      expect(answer.headers['referrer-policy']).toBe('no-referrer');
      expect(answer.headers['x-frame-options']).toBe('DENY');
    }
  });

  test('no path reaches a file outside the renderer directory', async () => {
    for (const path of ['/../outside.txt', '/%2e%2e/outside.txt', '/assets/%2e%2e/%2e%2e/outside.txt', '/..%2foutside.txt', '/../../etc/passwd', '/%2e%2e/%2e%2e/%2e%2e/etc/passwd', '/..%5coutside.txt']) {
      const answer = await get(path, cookie());
      expect([400, 404], path).toContain(answer.status);
      expect(answer.body, path).not.toContain('must never be served');
      expect(answer.body, path).not.toContain('root:');
    }
  });

  test('without a built renderer the page is 503 saying how to build it', async () => {
    const bare = await startDashboardServer({ backend, rendererDir: join(dir, 'missing'), port: 0, secret: server.secret });
    try {
      const answer = await new Promise<Answer>((resolve, reject) => {
        request({ host: '127.0.0.1', port: bare.port, path: '/', headers: { Cookie: `berth_dashboard_${bare.port}=${bare.secret}` } }, (res) => {
          let body = '';
          res.on('data', (chunk) => { body += chunk; });
          res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
        }).on('error', reject).end();
      });
      expect(answer.status).toBe(503);
      expect(answer.body).toMatch(/vite\.js build -c app\/vite\.config\.ts/);
    } finally {
      await bare.close();
    }
  });

  test('a non-loopback --host is refused before anything listens', async () => {
    await expect(startDashboardServer({ backend, rendererDir, host: '0.0.0.0', port: 0 })).rejects.toThrow(/not a loopback address/);
  });
});

describe('berth dashboard: DesktopApi over the WebSocket', () => {
  let ws: WebSocket;
  let api: DesktopApi;
  beforeAll(async () => {
    ws = (await openSocket({ ...cookie(), Origin: origin() })) as WebSocket;
    api = rpcOver(ws);
  });
  afterAll(() => ws?.close());

  test('a call reaches the engine: listContainers shows a container created with the docker CLI', async () => {
    const name = `dash-list-${Date.now()}`;
    const created = await fixture.engine.docker(['create', '--name', name, fixture.busybox, 'true']);
    expect(created.code, created.stderr).toBe(0);
    try {
      const containers = await api.listContainers();
      expect(containers.map((c) => c.Names?.[0])).toContain(`/${name}`);
    } finally {
      await fixture.engine.docker(['rm', '-f', name]);
    }
  });

  test('the events stream delivers the start of a container run with the docker CLI', async () => {
    const name = `dash-events-${Date.now()}`;
    const events: EngineEvent[] = [];
    let opened = false;
    const handle = api.open('events', [], { next: (event) => { opened = true; events.push(event); } });
    try {
      await untilEventsFlow(() => events, (args) => fixture.engine.docker(args));
      const run = await fixture.engine.docker(['run', '--rm', '--name', name, fixture.busybox, 'true']);
      expect(run.code, run.stderr).toBe(0);
      const deadline = Date.now() + 10_000;
      while (!events.some((e) => e.Type === 'container' && e.Action === 'start' && e.Actor.Attributes.name === name) && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(opened).toBe(true);
      expect(events.filter((e) => e.Actor.Attributes.name === name).map((e) => e.Action)).toContain('start');
    } finally {
      handle.close();
    }
  });

  test('a frame that is not JSON gets an error back and the connection keeps working', async () => {
    const reply = new Promise<ServerMessage>((resolve) => ws.once('message', (data) => resolve(JSON.parse(String(data)) as ServerMessage)));
    ws.send('{not json');
    expect(await reply).toEqual({ t: 'error', id: 0, error: { message: 'bad message: not JSON', status: 400 } });
    expect((await api.capabilities()).shell).toBe('dashboard');
  });
});
