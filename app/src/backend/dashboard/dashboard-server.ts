// `berth dashboard`'s server: the built renderer over HTTP and DesktopApi over a WebSocket at
// /rpc, on a loopback address only, for whoever holds the per-launch secret (access-rules.ts).
// Any web page can send requests here, so nothing a request carries may take the server down:
// every path (HTTP, WebSocket upgrade, RPC frames) is contained, and errors are JSON {"message"}.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { DesktopBackend } from '../desktop-backend.ts';
import {
  cookieName, cookieValue, hostAllowed, isLoopbackHost, newSecret, originAllowed, secretMatches, urlHost,
} from './access-rules.ts';
import { parseDashboardTarget } from './request-target.ts';
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
  /** Where unexpected errors go with their stack; default stderr. */
  log?: (message: string) => void;
}

export interface DashboardServer {
  /** http://127.0.0.1:PORT/?token=SECRET — what the user opens. */
  readonly url: string;
  readonly port: number;
  readonly secret: string;
  close(): Promise<void>;
}

/** An error answer: JSON {"message"}, as the engine's, so that every refusal reads the same. */
function plain(res: ServerResponse, status: number, text: string): void {
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json');
  res.setHeader('Cache-Control', 'no-store');
  res.end(`${JSON.stringify({ message: text })}\n`);
}

const REASONS: Record<number, string> = { 400: 'Bad Request', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed', 500: 'Internal Server Error' };

/** Refuses an upgrade before the WebSocket handshake, with an HTTP answer that closes the socket. */
function refuseUpgrade(socket: Duplex, status: number, reason: string): void {
  const body = `${JSON.stringify({ message: reason })}\n`;
  socket.end(
    `HTTP/1.1 ${status} ${REASONS[status] ?? 'Error'}\r\n` +
      `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

/** Go's path.Clean on a URL path: what a browser makes of "/a/..//b" when it follows a redirect. */
function cleanPath(path: string): string {
  const segments: string[] = [];
  for (const segment of path.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(segment);
  }
  return `/${segments.join('/')}`;
}

/** %-escapes what a header may not carry and what a browser would read as a separator ("\\"). */
function escapeForLocation(text: string): string {
  let out = '';
  for (const ch of text) {
    const code = ch.charCodeAt(0);
    out += code > 0x20 && code < 0x7f && !'"<>\\^`{|}'.includes(ch) ? ch : `%${(code & 0xff).toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
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
  const log = options.log ?? ((message: string) => void process.stderr.write(`berth dashboard: ${message}\n`));
  let port = 0;
  const authorised = (req: IncomingMessage, token: string | null) =>
    secretMatches(token ?? undefined, secret) || secretMatches(cookieValue(req.headers.cookie, cookieName(port)), secret);

  async function handleRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const hostOk = hostAllowed(req.headers.host, port, host);
    setSecurityHeaders(res, hostOk ? req.headers.host : `${urlHost(host)}:${port}`);
    if (!hostOk) return plain(res, 403, 'this dashboard answers only to 127.0.0.1, localhost or [::1] on its own port');
    const url = parseDashboardTarget(req.url);
    if (!url) return plain(res, 400, 'bad request target: only a path with one leading slash is served here');
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      return plain(res, 405, 'only GET and HEAD are served here');
    }
    const token = url.searchParams.get('token');
    if (token !== null) {
      if (!secretMatches(token, secret)) return plain(res, 401, 'wrong token: open the URL berth dashboard printed');
      // The secret moves from the address bar (history, screen shares) into an HttpOnly cookie.
      url.searchParams.delete('token');
      const search = url.searchParams.toString();
      res.statusCode = 303;
      res.setHeader('Set-Cookie', `${cookieName(port)}=${secret}; HttpOnly; SameSite=Strict; Path=/`);
      // One leading slash only ("//host" would be a redirect to another site), and only
      // characters a header may carry.
      res.setHeader('Location', escapeForLocation(cleanPath(url.pathname)) + (search ? `?${search}` : ''));
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

  // requireHostHeader off: a request without Host gets our own 403 (JSON), not Node's bare 400.
  const server = createServer({ requireHostHeader: false }, (req, res) => {
    // Streams without an 'error' listener would turn a reset connection into an uncaught exception.
    req.on('error', () => undefined);
    res.on('error', () => undefined);
    handleRequest(req, res).catch((error: unknown) => {
      log(`${req.method} ${req.url}: ${error instanceof Error ? error.stack : String(error)}`);
      if (!res.headersSent) plain(res, 500, 'internal error in the dashboard; its log has the details');
      else res.destroy();
    });
  });
  // Node answers CONNECT only when asked to, and otherwise drops the connection without a word.
  server.on('connect', (_req: IncomingMessage, socket: Duplex) => {
    socket.on('error', () => undefined);
    refuseUpgrade(socket, 405, 'only GET and HEAD are served here');
  });
  server.on('clientError', (_error, socket) => {
    socket.on('error', () => undefined);
    if (socket.writable) refuseUpgrade(socket, 400, 'malformed HTTP request');
    else socket.destroy();
  });
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  wss.on('connection', (ws) => {
    try {
      serveRpcSocket(ws, options.backend, log);
    } catch (error) {
      log(`RPC connection: ${error instanceof Error ? error.stack : String(error)}`);
      ws.terminate();
    }
  });

  function upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    if (!hostAllowed(req.headers.host, port, host)) return refuseUpgrade(socket, 403, 'wrong Host');
    const url = parseDashboardTarget(req.url);
    if (!url) return refuseUpgrade(socket, 400, 'bad request target');
    if (url.pathname !== '/rpc') return refuseUpgrade(socket, 404, 'no WebSocket here (the API is at /rpc)');
    if (!authorised(req, url.searchParams.get('token'))) return refuseUpgrade(socket, 403, 'not signed in: open the URL berth dashboard printed');
    if (!originAllowed(req.headers.origin, port, host)) return refuseUpgrade(socket, 403, 'the API answers pages of this dashboard only');
    // What ws would refuse with its own plain-text answer, refused here in JSON like the rest.
    if (req.method !== 'GET') return refuseUpgrade(socket, 405, 'a WebSocket handshake is a GET');
    if (String(req.headers.upgrade).toLowerCase() !== 'websocket' || req.headers['sec-websocket-version'] !== '13' || !/^[+/0-9A-Za-z]{22}==$/.test(String(req.headers['sec-websocket-key']))) {
      return refuseUpgrade(socket, 400, 'not a WebSocket handshake (RFC 6455 §4.2.1)');
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  }

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    try {
      upgrade(req, socket, head);
    } catch (error) {
      log(`upgrade ${req.url}: ${error instanceof Error ? error.stack : String(error)}`);
      if (socket.writable) refuseUpgrade(socket, 500, 'internal error in the dashboard; its log has the details');
      else socket.destroy();
    }
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
