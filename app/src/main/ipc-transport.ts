// Serves DesktopApi to one window over Electron IPC: an RpcConnection (backend/rpc-server.ts) per
// page load, fed by ipcMain messages that come from that window's own page and no one else
// (Electron security checklist: "Validate the sender of all IPC messages"). Takes the few parts
// of ipcMain and webContents it uses as arguments, so it runs in plain Node under test.
import { RpcConnection } from '../backend/rpc-server.ts';
import type { DesktopBackend } from '../backend/desktop-backend.ts';
import { RPC_CHANNEL, RPC_HELLO_CHANNEL } from '../common/ipc-channels.ts';

export interface IpcEventLike {
  sender: unknown;
  /** The frame that sent the message; null once it navigated away or was destroyed. */
  senderFrame: { url: string } | null;
}

export interface IpcMainLike {
  on(channel: string, listener: (event: IpcEventLike, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: IpcEventLike, ...args: unknown[]) => void): unknown;
}

export interface WebContentsLike {
  send(channel: string, message: unknown): void;
  isDestroyed(): boolean;
}

export interface RpcTransportOptions {
  ipcMain: IpcMainLike;
  webContents: WebContentsLike;
  backend: DesktopBackend;
  /** True for the app's own page (navigation-policy.ts isAppPage). */
  isAppPage(url: string): boolean;
}

export function attachRpcTransport(options: RpcTransportOptions): { dispose(): void } {
  const { ipcMain, webContents, backend } = options;
  let connection: RpcConnection | undefined;

  const trusted = (event: IpcEventLike) =>
    event.sender === webContents && event.senderFrame !== null && options.isAppPage(event.senderFrame.url);

  const fresh = () => {
    connection?.dispose();
    connection = new RpcConnection(backend, {
      // Electron IPC gives no backpressure signal: send always "succeeds", and the log stream's
      // batching (a few messages per frame) keeps the volume in check.
      send: (message) => {
        if (!webContents.isDestroyed()) webContents.send(RPC_CHANNEL, message);
        return true;
      },
      onDrain: (listener) => queueMicrotask(listener),
    });
    return connection;
  };

  // A page (re)load runs the preload again, which says hello first: the old page's streams end
  // and the new page's ids, which restart at 1, cannot meet them.
  const onHello = (event: IpcEventLike) => {
    if (trusted(event)) fresh();
  };
  const onMessage = (event: IpcEventLike, message: unknown) => {
    if (!trusted(event)) return;
    (connection ?? fresh()).handle(message);
  };
  ipcMain.on(RPC_HELLO_CHANNEL, onHello);
  ipcMain.on(RPC_CHANNEL, onMessage);

  return {
    dispose() {
      ipcMain.removeListener(RPC_HELLO_CHANNEL, onHello);
      ipcMain.removeListener(RPC_CHANNEL, onMessage);
      connection?.dispose();
      connection = undefined;
    },
  };
}
