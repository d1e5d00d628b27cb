// common/rpc-client.ts and rpc-server.ts end to end over an in-memory channel pair (every message
// goes through JSON, as on the wire), serving the real backend pointed at an engine socket that
// does not exist: the answers then come from the backend itself, not from an engine.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRpcClient } from '../common/rpc-client.ts';
import type { ClientMessage, MessageChannelLike, ServerMessage } from '../common/rpc-protocol.ts';
import { DesktopApiError, type DesktopApi, type EngineStatus } from '../common/desktop-api.ts';
import { createDesktopBackend } from './create-desktop-backend.ts';
import { RpcConnection } from './rpc-server.ts';

let dir: string;
let backend: ReturnType<typeof createDesktopBackend>;
let api: DesktopApi;
let connection: RpcConnection;
let sendRaw: (message: unknown) => void;
const serverSent: ServerMessage[] = [];
let closeChannel: (reason: string) => void;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'berth-rpc-'));
  backend = createDesktopBackend({ settingsDir: dir, endpoint: `unix://${join(dir, 'absent.sock')}`, hostTerminal: false, shell: 'electron' });
  const toClient: ((m: ServerMessage) => void)[] = [];
  const onClose: ((reason: string) => void)[] = [];
  connection = new RpcConnection(backend, {
    send(message) {
      const copy = JSON.parse(JSON.stringify(message)) as ServerMessage;
      serverSent.push(copy);
      queueMicrotask(() => toClient.forEach((l) => l(copy)));
      return true;
    },
    onDrain() {},
  });
  sendRaw = (message) => {
    const copy = JSON.parse(JSON.stringify(message)) as unknown;
    queueMicrotask(() => connection.handle(copy));
  };
  const channel: MessageChannelLike<ClientMessage, ServerMessage> = {
    send: (message) => sendRaw(message),
    onMessage: (listener) => { toClient.push(listener); },
    onClose: (listener) => { onClose.push(listener); },
  };
  closeChannel = (reason) => {
    connection.dispose();
    onClose.forEach((l) => l(reason));
  };
  api = createRpcClient(channel);
});

afterAll(async () => {
  await backend?.dispose();
  rmSync(dir, { recursive: true, force: true });
});

async function rejection(promise: Promise<unknown>): Promise<DesktopApiError> {
  try {
    await promise;
  } catch (error) {
    return error as DesktopApiError;
  }
  throw new Error('expected a rejection');
}

describe('rpc over an in-memory channel', () => {
  it('answers calls', async () => {
    expect(await api.capabilities()).toEqual({ hostTerminal: false, platform: process.platform, shell: 'electron' });
    const status = await api.engineStatus();
    expect(status.state).toBe('stopped');
    expect(status.message).toMatch(/does not exist/);
  });

  it('carries errors with their status', async () => {
    const bad = await rejection(api.selectEndpoint('ftp://nowhere'));
    expect(bad).toBeInstanceOf(DesktopApiError);
    expect(bad.status).toBe(400);
    expect(bad.message).toMatch(/not supported/);
    const unreachable = await rejection(api.listContainers());
    expect(unreachable.status).toBe(503);
    expect(unreachable.message).toMatch(/not reachable/);
  });

  it('turns wrongly typed arguments into 400s, not crashes', async () => {
    const call = api as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
    expect((await rejection(call.inspectContainer(42))).status).toBe(400);
    expect((await rejection(call.runContainer(null))).status).toBe(400);
    expect((await rejection(call.engineControl({}))).status).toBe(400);
    expect((await rejection(call.listContainerFiles('x', ['/']))).status).toBe(400);
    // The backend still answers afterwards.
    expect((await api.capabilities()).shell).toBe('electron');
  });

  it('refuses unknown names and malformed messages on their id', async () => {
    serverSent.length = 0;
    sendRaw({ t: 'call', id: 9001, name: 'rmrf', args: [] });
    sendRaw({ t: 'open', id: 9002, name: 'nope', args: [] });
    sendRaw({ t: 'call', id: 'x' });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(serverSent).toEqual(expect.arrayContaining([
      { t: 'error', id: 9001, error: { message: 'unknown call rmrf', status: 404 } },
      { t: 'error', id: 9002, error: { message: 'unknown stream nope', status: 404 } },
      { t: 'error', id: 0, error: { message: 'bad message: message id must be an integer', status: 400 } },
    ]));
  });

  it('streams items until the client closes, and fails a stream whose arguments are bad', async () => {
    const statuses: EngineStatus[] = [];
    const handle = api.open('engine', [], { next: (s) => statuses.push(s) });
    const deadline = Date.now() + 5000;
    while (statuses.length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(statuses[0]?.state).toBe('stopped');
    handle.close();

    const failed = await new Promise<DesktopApiError>((resolve) => {
      api.open('logs', ['x', { follow: 'maybe' } as never], { next() {}, error: resolve });
    });
    expect(failed.status).toBe(400);
    const host = await new Promise<DesktopApiError>((resolve) => {
      api.open('terminal', [{ kind: 'host' }, { cols: 80, rows: 24 }], { next() {}, error: resolve });
    });
    expect(host).toMatchObject({ status: 403, message: 'the host terminal is only offered to a local UI' });
  });

  it('fails pending calls and open streams when the channel closes', async () => {
    let streamError: DesktopApiError | undefined;
    api.open('events', [], { next() {}, error: (e) => { streamError = e; } });
    const pending = api.engineStatus();
    closeChannel('test over');
    expect((await rejection(pending)).message).toMatch(/closed: test over/);
    expect(streamError?.message).toMatch(/closed: test over/);
    expect((await rejection(api.capabilities())).message).toMatch(/closed/);
  });
});
