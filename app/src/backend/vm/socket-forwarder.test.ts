// The host's Docker socket against the real guest agent (vm-assets/agent/server.ts) on 127.0.0.1,
// with a raw unix-socket server standing in for berthd: what the forwarder must keep is bytes in
// both directions, half-closes (hijacked attach/exec), one fresh agent connection per client, and
// a socket only its owner can open.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAgentServer } from '../../../../vm-assets/agent/server.ts';
import { startSocketForwarder, stopSocketForwarder } from './socket-forwarder.ts';

const SECRET = 'per-boot-secret-for-the-forwarder-test';
const dir = mkdtempSync(join(tmpdir(), 'berth-forwarder-test-'));
const enginePath = join(dir, 'engine.sock');
const socketPath = join(dir, 'run-docker.sock');
let engine: Server;
let agent: Server;
let agentPort: number;
let agentConnections = 0;
const servers: Server[] = [];

const listen = (server: Server, ...args: unknown[]) => new Promise<void>((resolve) => (server.listen as (...a: unknown[]) => void)(...args, resolve));

beforeAll(async () => {
  // The stand-in engine echoes what it reads, and when the client half-closes, says "bye" and ends:
  // the shape of a hijacked `docker run -i` whose stdin reached EOF while output still flows.
  engine = createServer({ allowHalfOpen: true }, (socket) => {
    socket.on('data', (chunk: Buffer) => socket.write(`echo:${chunk.toString()}`));
    socket.on('end', () => socket.end('bye'));
  });
  await listen(engine, enginePath);
  agent = createAgentServer({
    secret: SECRET,
    enginePath,
    preambleTimeoutMs: 60_000,
    actions: { status: async () => ({ engine: { up: true }, uptimeSeconds: 1 }), setClock: async () => {}, powerOff: () => {} },
  });
  agent.on('connection', () => agentConnections++);
  await listen(agent, 0, '127.0.0.1');
  agentPort = (agent.address() as AddressInfo).port;
});

afterAll(async () => {
  for (const server of [...servers, agent, engine]) await new Promise<void>((resolve) => server?.close(() => resolve()) ?? resolve());
  rmSync(dir, { recursive: true, force: true });
});

/** Opens the host socket, writes, half-closes, and collects everything until the other end closes. */
function talk(path: string, text: string): Promise<string> {
  return new Promise((resolve) => {
    const socket: Socket = connect({ path, allowHalfOpen: true });
    let answer = '';
    socket.on('data', (chunk: Buffer) => {
      answer += chunk.toString();
      // Half-close only once the echo is back, so the ordering is the engine's, not a race.
      if (answer === `echo:${text}`) socket.end();
    });
    let error = '';
    // A refused client may see its connection reset rather than ended: either way, not a byte.
    socket.on('error', (e: NodeJS.ErrnoException) => (error = `[${e.code}]`));
    socket.on('close', () => resolve(answer + error));
    // At EOF a client closes its side too, as the docker CLI does.
    socket.on('end', () => socket.end());
    socket.write(text);
  });
}

describe('the host Docker socket forwarder', () => {
  it('is a 0600 socket; pipes both ways through the agent and carries the half-close', async () => {
    const server = await startSocketForwarder(socketPath, { port: agentPort, secret: SECRET });
    servers.push(server);
    expect(statSync(socketPath).mode & 0o777).toBe(0o600);
    expect(await talk(socketPath, 'hello')).toBe('echo:hellobye');
  });

  it('dials the agent fresh for every client connection', async () => {
    const before = agentConnections;
    const answers = await Promise.all([talk(socketPath, 'one'), talk(socketPath, 'two'), talk(socketPath, 'three')]);
    expect(answers).toEqual(['echo:onebye', 'echo:twobye', 'echo:threebye']);
    expect(agentConnections - before).toBe(3);
  });

  it('with a wrong secret the client is closed without a byte', async () => {
    const wrongPath = join(dir, 'wrong.sock');
    const server = await startSocketForwarder(wrongPath, { port: agentPort, secret: 'not-the-secret' });
    servers.push(server);
    expect(await talk(wrongPath, 'hello')).toMatch(/^(\[ECONNRESET\])?$/);
  });

  it('sends the request right behind the preamble, without waiting for the agent\'s OK', async () => {
    // A stand-in agent that answers only once the client's bytes have arrived: a forwarder that
    // held them back until OK would wait here for ever.
    const eager = createServer({ allowHalfOpen: true }, (socket) => {
      let seen = '';
      socket.on('data', (chunk: Buffer) => {
        seen += chunk.toString('latin1');
        if (seen === `BERTH/1 ${SECRET} engine\nearly`) socket.write('OK\necho:early');
      });
      socket.on('end', () => socket.end('bye'));
    });
    await listen(eager, 0, '127.0.0.1');
    servers.push(eager);
    const path = join(dir, 'eager.sock');
    servers.push(await startSocketForwarder(path, { port: (eager.address() as AddressInfo).port, secret: SECRET }));
    expect(await talk(path, 'early')).toBe('echo:earlybye');
  });

  it('stopping removes the socket file', async () => {
    const path = join(dir, 'stop.sock');
    const server = await startSocketForwarder(path, { port: agentPort, secret: SECRET });
    await stopSocketForwarder(server, path);
    expect(() => statSync(path)).toThrow();
  });
});
