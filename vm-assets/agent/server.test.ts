// The agent as a real TCP server on 127.0.0.1, with a real HTTP server on a unix socket standing
// in for berthd's socket (the pipe does not care what speaks at either end).
import { mkdtempSync, rmSync } from 'node:fs';
import { createSocket } from 'node:dgram';
import { createServer as createHttpServer, request } from 'node:http';
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialAgent } from '../test/agent-client.ts';
import { createAgentServer } from './server.ts';
import { encodeFrame, FrameDecoder } from './udp-frames.ts';

const SECRET = 'per-boot-secret-0123456789';
const dir = mkdtempSync(join(tmpdir(), 'berth-agent-test-'));
const enginePath = join(dir, 'engine.sock');
const calls: string[] = [];
let agent: Server;
let engine: ReturnType<typeof createHttpServer>;
let port: number;

const listen = (server: Server, ...args: unknown[]) => new Promise<void>((resolve) => (server.listen as (...a: unknown[]) => void)(...args, resolve));
const close = (server: { close(cb: () => void): unknown }) => new Promise<void>((resolve) => server.close(() => resolve()));

beforeAll(async () => {
  engine = createHttpServer((req, res) => res.end(`engine saw ${req.method} ${req.url}`));
  await listen(engine, enginePath);
  agent = createAgentServer({
    secret: SECRET,
    enginePath,
    preambleTimeoutMs: 60_000,
    actions: {
      status: async () => ({ engine: { up: true }, uptimeSeconds: 1 }),
      setClock: async (ms) => void calls.push(`clock ${ms}`),
      powerOff: () => void calls.push('poweroff'),
    },
  });
  await listen(agent, 0, '127.0.0.1');
  port = (agent.address() as AddressInfo).port;
});

afterAll(async () => {
  await close(agent);
  await close(engine);
  rmSync(dir, { recursive: true, force: true });
});

/** Sends raw bytes and collects everything the agent sends back until it closes. */
function exchange(bytes: string | Buffer, endAfter = false): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    const chunks: Buffer[] = [];
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('close', () => resolve(Buffer.concat(chunks).toString()));
    socket.on('error', reject);
    socket.write(bytes);
    if (endAfter) socket.end();
  });
}

describe('guest agent', () => {
  it('closes at once, saying nothing, without the right secret', async () => {
    expect(await exchange(`BERTH/1 wrong-secret engine\n`)).toBe('');
    expect(await exchange(`BERTH/1 ${SECRET.slice(0, -1)} engine\n`)).toBe('');
    expect(await exchange(`BERTH/1  engine\n`)).toBe('');
    expect(await exchange(`GET /_ping HTTP/1.1\r\nHost: x\r\n\r\n`)).toBe('');
    // A preamble that never ends is cut off at the size limit, not buffered forever.
    expect(await exchange(Buffer.alloc(4096, 0x41))).toBe('');
    await expect(dialAgent(port, 'nope', { kind: 'engine' })).rejects.toThrow(/without an answer/);
    expect(calls).toEqual([]);
  });

  it('answers a bad request with the right secret with ERR', async () => {
    expect(await exchange(`BERTH/1 ${SECRET} reboot\n`)).toBe('ERR unknown request reboot\n');
  });

  it('pipes HTTP to the engine socket, bytes after the preamble included', async () => {
    const socket = await dialAgent(port, SECRET, { kind: 'engine' });
    const reply = await new Promise<string>((resolve) => {
      const chunks: Buffer[] = [];
      socket.on('data', (c: Buffer) => chunks.push(c));
      socket.on('end', () => resolve(Buffer.concat(chunks).toString()));
      socket.resume();
      socket.end('GET /_ping HTTP/1.1\r\nHost: berth\r\nConnection: close\r\n\r\n');
    });
    expect(reply).toMatch(/^HTTP\/1.1 200 OK/);
    expect(reply).toContain('engine saw GET /_ping');
    // The preamble and the request in one write: the agent must not lose the request bytes.
    const both = await exchange(`BERTH/1 ${SECRET} engine\nGET /x HTTP/1.1\r\nHost: b\r\nConnection: close\r\n\r\n`);
    expect(both).toMatch(/^OK\nHTTP\/1.1 200 OK[\s\S]*engine saw GET \/x$/);
  });

  it('forwards an HTTP client through a host socket as the docker CLI would use it', async () => {
    const hostSock = join(dir, 'host.sock');
    const { forwardEngineSocket } = await import('../test/agent-client.ts');
    const forwarder = await forwardEngineSocket(hostSock, port, SECRET);
    try {
      const body = await new Promise<string>((resolve, reject) => {
        request({ socketPath: hostSock, path: '/v1.47/version', agent: false }, (res) => {
          let text = '';
          res.on('data', (c) => (text += c));
          res.on('end', () => resolve(text));
        }).on('error', reject).end();
      });
      expect(body).toBe('engine saw GET /v1.47/version');
    } finally {
      await close(forwarder);
    }
  });

  it('pipes TCP inside the guest and carries a half-close through', async () => {
    const echo = createServer({ allowHalfOpen: true }, (s: Socket) => {
      const chunks: Buffer[] = [];
      s.on('data', (c: Buffer) => chunks.push(c));
      // Answers only after the client's end: proves the client's half-close reached it and
      // the other direction stayed open.
      s.on('end', () => s.end(`got ${Buffer.concat(chunks).toString()}`));
    });
    await listen(echo, 0, '127.0.0.1');
    try {
      const socket = await dialAgent(port, SECRET, { kind: 'tcp', host: '127.0.0.1', port: (echo.address() as AddressInfo).port });
      const reply = await new Promise<string>((resolve) => {
        let text = '';
        socket.on('data', (c) => (text += c));
        socket.on('end', () => resolve(text));
        socket.resume();
        socket.end('hello');
      });
      expect(reply).toBe('got hello');
    } finally {
      await close(echo);
    }
  });

  it('says ERR when the TCP target refuses', async () => {
    const spare = createServer();
    await listen(spare, 0, '127.0.0.1');
    const freePort = (spare.address() as AddressInfo).port;
    await close(spare);
    await expect(dialAgent(port, SECRET, { kind: 'tcp', host: '127.0.0.1', port: freePort })).rejects.toThrow(/ERR .*ECONNREFUSED/);
  });

  it('relays UDP datagrams both ways in frames', async () => {
    const udp = createSocket('udp4');
    udp.on('message', (msg, from) => udp.send(Buffer.concat([Buffer.from('echo:'), msg]), from.port, from.address));
    await new Promise<void>((resolve) => udp.bind(0, '127.0.0.1', resolve));
    try {
      const socket = await dialAgent(port, SECRET, { kind: 'udp', host: '127.0.0.1', port: udp.address().port });
      const decoder = new FrameDecoder();
      const replies: string[] = [];
      const done = new Promise<void>((resolve) => {
        socket.on('data', (c: Buffer) => {
          replies.push(...decoder.push(c).map(String));
          if (replies.length === 2) resolve();
        });
      });
      socket.resume();
      socket.write(Buffer.concat([encodeFrame(Buffer.from('a')), encodeFrame(Buffer.from('bc'))]));
      await done;
      expect(replies.sort()).toEqual(['echo:a', 'echo:bc']);
      socket.destroy();
    } finally {
      udp.close();
    }
  });

  it('answers status, sets the clock and powers off on request', async () => {
    expect(JSON.parse(await exchange(`BERTH/1 ${SECRET} status\n`))).toEqual({ engine: { up: true }, uptimeSeconds: 1 });
    expect(JSON.parse(await exchange(`BERTH/1 ${SECRET} set-clock 1760000000123\n`))).toMatchObject({ ok: true });
    expect(await exchange(`BERTH/1 ${SECRET} poweroff\n`)).toBe('OK\n');
    expect(calls).toEqual(['clock 1760000000123', 'poweroff']);
  });
});
