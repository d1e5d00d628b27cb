// `berth dashboard`'s server: the built renderer over HTTP and DesktopApi over a WebSocket at
// /rpc, on a loopback address only, for whoever holds the per-launch secret (access-rules.ts).
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { DesktopBackend } from '../desktop-backend.ts';
import {
  cookieName, cookieValue, hostAllowed, isLoopbackHost, newSecret, originAllowed, secretMatches, urlHost,
} from './access-rules.ts';
import { serveRpcSocket } from './rpc-socket.ts';
import { setSecurityHeaders } from './security-headers.ts';
import { rendererBuilt, serveStatic } from './static-files.ts';

/** Incoming RPC messages are small (calls, keystrokes); anything bigger is a misbehaving client. */
const MAX_MESSAGE_BYTES = 1024 * 1024;

export interface DashboardServerOptions {
  backend: DesktopBackend;
  /** The built renderer: app/dist/renderer. */
  rendererDir: string;
  /** A loopback address; default 127.0.0.1. */
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /** Fixed only by tests; otherwise a fresh one per launch. */
  secret?: string;
}

export interface DashboardServer {
  /** http://127.0.0.1:PORT/?token=SECRET — what the user opens. */
  readonly url: string;
  readonly port: number;
  readonly secret: string;
  close(): Promise<void>;
}

function plain(res: ServerResponse, status: number, text: string): void {
  res.statusCode = status;
  res.setHeader('Content-Type', 'text/plain; charset=utf-8');
  res.setHeader('Cache-Control', 'no-store');
  res.end(`${text}\n`);
}

/** Refuses an upgrade before the WebSocket handshake, with a plain HTTP answer. */
function refuseUpgrade(socket: Duplex, status: number, reason: string): void {
  const body = `${reason}\n`;
  socket.end(
    `HTTP/1.1 ${status} ${status === 403 ? 'Forbidden' : status === 404 ? 'Not Found' : 'Bad Request'}\r\n` +
      `Content-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

export async function startDashboardServer(options: DashboardServerOptions): Promise<DashboardServer> {
  const rawHost = options.host ?? '127.0.0.1';
  if (!isLoopbackHost(rawHost)) {
    throw new Error(`--host ${rawHost} is not a loopback address: the dashboard serves this machine only (use 127.0.0.1, ::1 or localhost)`);
  }
  // "localhost" may resolve to ::1 alone; the printed URL says 127.0.0.1, so bind to that.
  const bare = rawHost.startsWith('[') && rawHost.endsWith(']') ? rawHost.slice(1, -1) : rawHost;
  const host = bare === 'localhost' ? '127.0.0.1' : bare;
  const secret = options.secret ?? newSecret();
  let port = 0;
  const authorised = (req: IncomingMessage, token: string | null) =>
    secretMatches(token ?? undefined, secret) || secretMatches(cookieValue(req.headers.cookie, cookieName(port)), secret);

  async function handleRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const hostOk = hostAllowed(req.headers.host, port, host);
    setSecurityHeaders(res, hostOk ? req.headers.host : `${urlHost(host)}:${port}`);
    if (!hostOk) return plain(res, 403, 'this dashboard answers only to 127.0.0.1, localhost or [::1] on its own port');
    const url = new URL(req.url ?? '/', 'http://dashboard.invalid');
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      return plain(res, 405, 'only GET and HEAD are served here');
    }
    const token = url.searchParams.get('token');
    if (token !== null) {
      if (!secretMatches(token, secret)) return plain(res, 401, 'wrong token: open the URL berth dashboard printed');
      // The secret moves from the address bar (history, screen shares) into an HttpOnly cookie.
      url.searchParams.delete('token');
      res.statusCode = 303;
      res.setHeader('Set-Cookie', `${cookieName(port)}=${secret}; HttpOnly; SameSite=Strict; Path=/`);
      // One leading slash only: "//host" would be a redirect to another site.
      res.setHeader('Location', `/${url.pathname.replace(/^\/+/, '')}${url.search}`);
      res.setHeader('Cache-Control', 'no-store');
      res.end();
      return;
    }
    if (!authorised(req, null)) return plain(res, 401, 'not signed in: open the URL berth dashboard printed (it carries a ?token=)');
    if (!rendererBuilt(options.rendererDir)) {
      return plain(res, 503, `the UI is not built yet (${options.rendererDir} has no index.html): start the dashboard with \`npm run berth -- dashboard\`, which builds it first, or build it in the checkout with \`node node_modules/vite/bin/vite.js build -c app/vite.config.ts\``);
    }
    const outcome = await serveStatic(options.rendererDir, req, res, url.pathname);
    if (outcome === 'not-found') plain(res, 404, 'not found');
    else if (outcome === 'bad-request') plain(res, 400, 'bad path');
  }

  const server = createServer((req, res) => {
    handleRequest(req, res).catch((error: unknown) => {
      if (!res.headersSent) plain(res, 500, `internal error: ${error instanceof Error ? error.message : String(error)}`);
      else res.destroy();
    });
  });
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  wss.on('connection', (ws) => serveRpcSocket(ws, options.backend));

  server.on('upgrade', (req, socket, head) => {
    socket.on('error', () => socket.destroy());
    if (!hostAllowed(req.headers.host, port, host)) return refuseUpgrade(socket, 403, 'wrong Host');
    const url = new URL(req.url ?? '/', 'http://dashboard.invalid');
    if (url.pathname !== '/rpc') return refuseUpgrade(socket, 404, 'no WebSocket here (the API is at /rpc)');
    if (!authorised(req, url.searchParams.get('token'))) return refuseUpgrade(socket, 403, 'not signed in: open the URL berth dashboard printed');
    if (!originAllowed(req.headers.origin, port, host)) return refuseUpgrade(socket, 403, 'the API answers pages of this dashboard only');
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;
  const shownHost = urlHost(host);

  let closing: Promise<void> | undefined;
  return {
    url: `http://${shownHost}:${port}/?token=${secret}`,
    port,
    secret,
    close: () => (closing ??= new Promise<void>((resolve) => {
      for (const client of wss.clients) client.close(1001, 'the dashboard is shutting down');
      wss.close();
      server.close(() => resolve());
      server.closeIdleConnections();
      // Sockets that do not say goodbye within a second are cut.
      setTimeout(() => {
        for (const client of wss.clients) client.terminate();
        server.closeAllConnections();
      }, 1000).unref();
    })),
  };
}
