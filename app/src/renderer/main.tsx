// Renderer entry: finds the DesktopApi (Electron's preload puts one on window.berth; in a browser
// it is the dashboard's WebSocket) and mounts the app.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import type { DesktopApi } from '../common/desktop-api.ts';
import { createRpcClient } from '../common/rpc-client.ts';
import { connectWebSocketChannel } from './api/ws-channel.ts';
import { App } from './App.tsx';

declare global {
  interface Window { berth?: DesktopApi }
}

async function desktopApi(): Promise<DesktopApi> {
  if (window.berth) return window.berth;
  const url = new URL('rpc', window.location.href);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  url.hash = '';
  url.search = '';
  return createRpcClient(await connectWebSocketChannel(url.href));
}

const root = createRoot(document.getElementById('root')!);
desktopApi().then(
  (api) => root.render(<StrictMode><App api={api} /></StrictMode>),
  (error: unknown) => root.render(<p role="alert">{error instanceof Error ? error.message : String(error)}</p>),
);
