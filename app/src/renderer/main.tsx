// Renderer entry: finds the DesktopApi (Electron's preload puts one on window.berth; in a browser
// it is the dashboard's WebSocket) and mounts the app.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import type { DesktopApi } from '../common/desktop-api.ts';
import { createRpcClient } from '../common/rpc-client.ts';
import { connectWebSocketChannel } from './api/ws-channel.ts';
import { App } from './App.tsx';
import { useConnection } from './store/connection-store.ts';

declare global {
  interface Window { berth?: DesktopApi }
}

async function desktopApi(): Promise<DesktopApi> {
  if (window.berth) return window.berth;
  const url = new URL('rpc', window.location.href);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  url.hash = '';
  url.search = '';
  const channel = await connectWebSocketChannel(url.href);
  // The shell shows a banner when the dashboard goes away (calls and streams fail from then on).
  channel.onClose((reason) => useConnection.getState().setLost(reason));
  return createRpcClient(channel);
}

const root = createRoot(document.getElementById('root')!);
desktopApi().then(
  (api) => root.render(<StrictMode><App api={api} /></StrictMode>),
  (error: unknown) => root.render(<p role="alert">{error instanceof Error ? error.message : String(error)}</p>),
);
