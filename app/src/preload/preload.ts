// The preload (sandboxed, context-isolated): carries DesktopApi's RPC messages over Electron IPC and
// hands the page that channel as `window.berthChannel` (DESIGN.md rules 6, 7).
// Imports only electron and common/, and is bundled into one CommonJS file, because a sandboxed
// preload can require nothing but 'electron' and a few built-ins.
import { contextBridge, ipcRenderer } from 'electron';
import { isAppRoute, NAVIGATE_CHANNEL, RPC_CHANNEL, RPC_HELLO_CHANNEL } from '../common/ipc-channels.ts';
import type { ClientMessage, MessageChannelLike, ServerMessage } from '../common/rpc-protocol.ts';

// The isolated world shares the frame's location with the page (no DOM lib in this build).
declare const location: { hash: string };

let connected = false;

/** Opens the one IPC channel this page gets; main starts a fresh RPC connection on the hello.
 * The page builds its DesktopApi on it (renderer/main.tsx): objects crossing the context bridge
 * are copied and errors keep only their message, so the RPC client lives on the page's side. */
function connect(): MessageChannelLike<ClientMessage, ServerMessage> {
  if (connected) throw new Error('the Berth backend is already connected on this page');
  connected = true;
  ipcRenderer.send(RPC_HELLO_CHANNEL);
  return {
    send: (message) => ipcRenderer.send(RPC_CHANNEL, message),
    onMessage: (listener) => {
      ipcRenderer.on(RPC_CHANNEL, (_event, message: ServerMessage) => listener(message));
    },
    // The main process outlives the page, so the channel never closes under it.
    onClose: () => {},
  };
}

contextBridge.exposeInMainWorld('berthChannel', { connect });

ipcRenderer.on(NAVIGATE_CHANNEL, (_event, route: unknown) => {
  if (isAppRoute(route)) location.hash = route;
});
