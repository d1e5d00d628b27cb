// The Docker Engine API over HTTP/1.1 on Unix sockets: version prefixes, routing, hijacking, and
// the single mapping from engine errors to HTTP statuses (DESIGN.md rule 2). No request can take
// the daemon down: whatever a request makes throw, in routing, parsing, a handler or a stream
// writer, ends as a 500 JSON for that request alone, logged with its stack.
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Socket } from 'node:net';
import FindMyWay from 'find-my-way';
import { EngineError } from '../core/errors.ts';
import { statusOf, type ErrorReporter } from './error-reply.ts';
import { API_VERSION, commonHeaders, HttpContext, MIN_API_VERSION } from './http-context.ts';
import { parseRequestTarget } from './request-target.ts';

// node:http through getBuiltinModule, not an ESM import: building the ESM namespace reads every
// export, and http's WebSocket/CloseEvent/MessageEvent getters load undici (~12 MiB RSS, unused).
const { createServer } = process.getBuiltinModule('node:http');

export type Handler = (ctx: HttpContext) => Promise<void> | void;
export interface RouteTable {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'HEAD';
  path: string;
  handler: Handler;
}

const VERSIONED = /^\/v(\d+\.\d+)(\/.*)$/;

function compareVersions(a: string, b: string): number {
  const [am, an] = a.split('.').map(Number);
  const [bm, bn] = b.split('.').map(Number);
  return am - bm || an - bn;
}

export interface ApiServerOptions {
  routes: RouteTable[];
  log: (message: string) => void;
  /** Logs every request with its duration (--log-level debug). */
  debug?: boolean;
  /** Host directories that 500 messages must not reveal (--data-root, --exec-root). */
  hostPaths?: readonly string[];
}

/** Go's http.DefaultMaxHeaderBytes (1 MiB), which dockerd serves with; Node's default is 16 KiB,
 * less than clients send with a big X-Registry-Auth or X-Registry-Config. */
export const MAX_HEADER_BYTES = 1024 * 1024;

const PARSE_ERRORS: Record<string, [number, string]> = {
  // llhttp knows a fixed list of methods; dockerd routes any token and 404s what it does not know.
  HPE_INVALID_METHOD: [404, 'page not found'],
  HPE_HEADER_OVERFLOW: [431, 'request header fields too large'],
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'request timeout'],
};

/** A reply written straight onto a socket whose HTTP parser gave up: the connection ends with it. */
function rawReply(socket: Duplex, status: number, message: string): void {
  const body = `${JSON.stringify({ message })}\n`;
  const reason = { 400: 'Bad Request', 404: 'Not Found', 408: 'Request Timeout', 431: 'Request Header Fields Too Large' }[status] ?? 'Error';
  const headers = { ...commonHeaders(), 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(body)), Connection: 'close' };
  socket.end(`HTTP/1.1 ${status} ${reason}\r\n${Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n${body}`);
}

export function createApiServer(options: ApiServerOptions): Server {
  const router = FindMyWay({ ignoreTrailingSlash: true, caseSensitive: true, maxParamLength: 4096 });
  for (const route of options.routes) {
    router.on(route.method, route.path, () => undefined, { handler: route.handler });
    if (route.method === 'GET' && !options.routes.some((r) => r.method === 'HEAD' && r.path === route.path)) {
      router.on('HEAD', route.path, () => undefined, { handler: route.handler });
    }
  }
  const reporter: ErrorReporter = { log: options.log, hostPaths: options.hostPaths ?? [] };

  async function route(ctx: HttpContext): Promise<void> {
    const target = parseRequestTarget(ctx.req.url ?? '/');
    if (target.kind === 'redirect') return ctx.send(301, '', { Location: target.location });
    if (target.kind === 'invalid') throw new EngineError('invalid', target.message);
    let path = target.path;
    let version = API_VERSION;
    const versioned = VERSIONED.exec(path);
    if (versioned) {
      version = versioned[1];
      path = versioned[2];
    }
    ctx.setTarget(path, target.query, version);
    if (compareVersions(version, MIN_API_VERSION) < 0) {
      throw new EngineError('invalid', `client version ${version} is too old. Minimum supported API version is ${MIN_API_VERSION}, please upgrade your client to a newer version`);
    }
    if (compareVersions(version, API_VERSION) > 0) {
      throw new EngineError('invalid', `client version ${version} is too new. Maximum supported API version is ${API_VERSION}`);
    }
    const found = router.find(ctx.method as 'GET', path);
    if (!found) return ctx.sendJson(404, { message: 'page not found' });
    ctx.params = found.params;
    await (found.store as { handler: Handler }).handler(ctx);
    if (!ctx.responded) ctx.send(204);
  }

  async function dispatch(req: IncomingMessage, res: ServerResponse | undefined, upgrade?: { socket: Socket; head: Buffer }) {
    const ctx = new HttpContext({ req, res, upgrade, reporter });
    const started = options.debug ? performance.now() : 0;
    try {
      await route(ctx);
    } catch (error) {
      const status = statusOf(error);
      if (!ctx.responded) {
        if (status === 304) ctx.send(304);
        else ctx.sendJson(status, { message: ctx.publicMessage(error) });
      } else {
        ctx.publicMessage(error);
        // The response already started: all that is left is to end it so the client sees EOF.
        res?.end();
        upgrade?.socket.end();
      }
    } finally {
      if (res) closeIfBodyUnread(ctx, res);
      if (options.debug) options.log(`${req.method} ${req.url} handled in ${(performance.now() - started).toFixed(1)} ms (from ${started.toFixed(1)})`);
    }
  }

  /** A handler that answered without reading the whole body (an upload refused early, a load
   * that failed half-way) leaves the rest of it on the wire, and a client that writes its whole
   * body before it reads would wait forever on a server that stopped reading. The rest is read
   * and dropped: to its end when it is small enough (the connection then carries on), else until
   * the reply is out, and then the connection closes (the reply said Connection: close). */
  function closeIfBodyUnread(ctx: HttpContext, res: ServerResponse): void {
    if (!ctx.bodyUnread) return;
    const socket = ctx.req.socket;
    // A body stream the handler left unread (ctx.bodyStream) would hold the request paused.
    ctx.req.unpipe();
    ctx.req.resume();
    if (ctx.bodyDrainable) return;
    const close = () => socket.destroySoon();
    if (res.writableFinished) close();
    else res.once('finish', close).once('close', close);
  }

  /** The last line of defence: dispatch itself failed (an error while reporting an error). */
  function contained(work: Promise<void>, req: IncomingMessage, res?: ServerResponse, socket?: Duplex): void {
    work.catch((error: unknown) => {
      options.log(`${req.method} ${req.url}: while answering: ${error instanceof Error ? error.stack : String(error)}`);
      try {
        if (res && !res.headersSent) {
          res.writeHead(500, { ...commonHeaders(), 'Content-Type': 'application/json', Connection: 'close' });
          res.end(JSON.stringify({ message: 'internal error in the engine; its log has the details' }));
        } else {
          res?.destroy();
          socket?.destroy();
        }
      } catch {
        res?.destroy();
        socket?.destroy();
      }
    });
  }

  const server = createServer({ keepAlive: true, requireHostHeader: false, maxHeaderSize: MAX_HEADER_BYTES }, (req, res) => {
    // A stream with no 'error' listener turns its error into an uncaught exception: a client
    // that resets mid-body, a write after a stream writer ended the response.
    req.on('error', () => undefined);
    res.on('error', () => undefined);
    contained(dispatch(req, res), req, res);
  });
  server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
    socket.on('error', () => undefined);
    contained(dispatch(req, undefined, { socket, head }), req, undefined, socket);
  });
  // CONNECT targets a host, not a path: dockerd has no route for it.
  server.on('connect', (_req: IncomingMessage, socket: Duplex) => {
    socket.on('error', () => undefined);
    rawReply(socket, 404, 'page not found');
  });
  server.on('checkExpectation', (req: IncomingMessage, res: ServerResponse) => {
    req.on('error', () => undefined);
    res.on('error', () => undefined);
    res.writeHead(417, { ...commonHeaders(), 'Content-Type': 'application/json', Connection: 'close' });
    res.end(JSON.stringify({ message: `unsupported Expect header: ${JSON.stringify(String(req.headers.expect).slice(0, 100))}` }));
  });
  server.on('clientError', (error: Error & { code?: string }, socket: Duplex) => {
    socket.on('error', () => undefined);
    // A request already in flight owns the socket: a parse error in its body (a broken chunk)
    // can only cut the connection; its handler sees the body fail.
    const inFlight = (socket as Duplex & { _httpMessage?: ServerResponse })._httpMessage;
    if (!socket.writable || error.code === 'ECONNRESET' || inFlight?.headersSent) {
      socket.destroy();
      return;
    }
    const [status, message] = PARSE_ERRORS[error.code ?? ''] ?? [400, `malformed HTTP request: ${(error as { reason?: string }).reason ?? error.code ?? 'parse error'}`];
    rawReply(socket, status, message);
  });
  // Streams (logs -f, events, wait) stay open for as long as the client wants.
  server.requestTimeout = 0;
  server.headersTimeout = 60_000;
  server.keepAliveTimeout = 60_000;
  return server;
}
