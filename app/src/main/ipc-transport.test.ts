// The IPC transport with the real backend and the real RPC client: ipcMain is an EventEmitter (as
// Electron's is) and the window's webContents a recorder of what main sends it, since neither
// exists outside Electron. The backend points at a socket where no engine runs.
import { EventEmitter } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { until } from '../../../engine/test/support/engine-fixture.ts';
import { createDesktopBackend } from '../backend/create-desktop-backend.ts';
import type { DesktopBackend } from '../backend/desktop-backend.ts';
import type { EngineStatus } from '../common/desktop-api.ts';
import { RPC_CHANNEL, RPC_HELLO_CHANNEL } from '../common/ipc-channels.ts';
import { createRpcClient } from '../common/rpc-client.ts';
import type { ServerMessage } from '../common/rpc-protocol.ts';
import { attachRpcTransport, type IpcEventLike } from './ipc-transport.ts';
import { isAppPage } from './navigation-policy.ts';

const dir = mkdtempSync(join(tmpdir(), 'berth-ipc-'));
const realBackend = createDesktopBackend({ settingsDir: dir, endpoint: `unix://${join(dir, 'none.sock')}`, hostTerminal: false, shell: 'electron' });
/** The real backend, counting how many `engine` streams were closed. */
let engineStreamsClosed = 0;
const backend: DesktopBackend = {
  calls: realBackend.calls,
  streams: {
    ...realBackend.streams,
    engine: async (args, sink) => {
      const session = await realBackend.streams.engine(args, sink);
      return { close: () => { engineStreamsClosed++; session.close(); } };
    },
  },
};
const page = 'file:///app/dist/renderer/index.html';
afterAll(async () => {
  await realBackend.dispose();
  rmSync(dir, { recursive: true, force: true });
});

function setUp() {
  const ipcMain = new EventEmitter();
  const listeners = new Set<(message: ServerMessage) => void>();
  const sent: ServerMessage[] = [];
  const webContents = {
    destroyed: false,
    send(channel: string, message: unknown) {
      expect(channel).toBe(RPC_CHANNEL);
      sent.push(message as ServerMessage);
      for (const l of listeners) l(structuredClone(message) as ServerMessage);
    },
    isDestroyed() { return this.destroyed; },
  };
  const transport = attachRpcTransport({ ipcMain, webContents, backend, isAppPage: (url) => isAppPage(url, page) });
  const from = (sender: unknown, url: string | null): IpcEventLike => ({ sender, senderFrame: url === null ? null : { url } });
  const ownEvent = from(webContents, `${page}#/engine`);
  const client = () => {
    ipcMain.emit(RPC_HELLO_CHANNEL, ownEvent);
    return createRpcClient({
      send: (message) => ipcMain.emit(RPC_CHANNEL, ownEvent, structuredClone(message)),
      onMessage: (listener) => { listeners.add(listener); },
      onClose: () => {},
    });
  };
  return { ipcMain, webContents, transport, sent, from, client, listeners };
}

describe('IPC transport', () => {
  test('serves calls and streams to the window page through the real RPC client', async () => {
    const { client, transport } = setUp();
    const api = client();
    const status = await api.engineStatus();
    expect(status).toMatchObject({ state: 'stopped', endpoint: `unix://${join(dir, 'none.sock')}` });
    await expect(api.inspectContainer('')).rejects.toThrow();
    const first = await new Promise<EngineStatus>((resolve) => {
      const handle = api.open('engine', [], { next: (item) => { handle.close(); resolve(item); } });
    });
    expect(first.state).toBe('stopped');
    transport.dispose();
  });

  test('ignores messages from other senders, other pages, and frames that are gone', async () => {
    const { ipcMain, webContents, sent, from, transport } = setUp();
    const call = { t: 'call', id: 1, name: 'engineStatus', args: [] };
    ipcMain.emit(RPC_CHANNEL, from({}, page), call);
    ipcMain.emit(RPC_CHANNEL, from(webContents, 'https://example.com/'), call);
    ipcMain.emit(RPC_CHANNEL, from(webContents, 'file:///tmp/evil.html'), call);
    ipcMain.emit(RPC_CHANNEL, from(webContents, null), call);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(sent).toEqual([]);
    ipcMain.emit(RPC_CHANNEL, from(webContents, page), call);
    await until(async () => sent.length > 0);
    expect(sent.map((m) => m.t)).toEqual(['result']);
    transport.dispose();
  });

  test('a reload starts a new connection and closes the old page streams; closing the window closes the rest', async () => {
    const { client, sent, transport } = setUp();
    client().open('engine', [], { next: () => {} });
    await until(async () => sent.some((m) => m.t === 'item'));
    const closedBefore = engineStreamsClosed;
    client().open('engine', [], { next: () => {} }); // the reloaded page says hello, then opens its own
    await until(async () => engineStreamsClosed === closedBefore + 1);
    await until(async () => sent.filter((m) => m.t === 'item').length === 2);
    transport.dispose();
    expect(engineStreamsClosed).toBe(closedBefore + 2);
  });
});
