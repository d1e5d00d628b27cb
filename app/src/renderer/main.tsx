// Renderer entry: finds the DesktopApi and mounts the app. In Electron the preload offers a raw IPC
// message channel (window.berthChannel), and the RPC client is built here, on the page's side of
// the context bridge, so errors keep their status (the bridge would keep only the message); in a
// browser the channel is the dashboard's WebSocket.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import type { DesktopApi } from '../common/desktop-api.ts';
import { createRpcClient } from '../common/rpc-client.ts';
import type { ClientMessage, MessageChannelLike, ServerMessage } from '../common/rpc-protocol.ts';
import { connectWebSocketChannel } from './api/ws-channel.ts';
import { App } from './App.tsx';
import { applyTheme } from './components/use-theme.ts';
import { useConnection } from './store/connection-store.ts';

declare global {
  interface Window {
    berthChannel?: { connect(): MessageChannelLike<ClientMessage, ServerMessage> };
  }
}

async function desktopApi(): Promise<DesktopApi> {
  if (window.berthChannel) return createRpcClient(window.berthChannel.connect());
  const url = new URL('rpc', window.location.href);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  url.hash = '';
  url.search = '';
  const channel = await connectWebSocketChannel(url.href);
  // The shell shows a banner when the dashboard goes away (calls and streams fail from then on).
  channel.onClose((reason) => useConnection.getState().setLost(reason));
  return createRpcClient(channel);
}

// The system's scheme until the saved setting arrives, so a dark desktop gets no white flash.
applyTheme('system');
const root = createRoot(document.getElementById('root')!);
desktopApi().then(
  (api) => root.render(<StrictMode><App api={api} /></StrictMode>),
  (error: unknown) => root.render(<p role="alert">{error instanceof Error ? error.message : String(error)}</p>),
);
