// The Docker Engine API over HTTP/1.1 on Unix sockets: version prefixes, routing, hijacking, and
// the single mapping from engine errors to HTTP statuses (DESIGN.md rule 2).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import FindMyWay from 'find-my-way';
import { EngineError, errorMessage } from '../core/errors.ts';
import { API_VERSION, HttpContext, MIN_API_VERSION } from './http-context.ts';

export type Handler = (ctx: HttpContext) => Promise<void> | void;
export interface RouteTable {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'HEAD';
  path: string;
  handler: Handler;
}

const STATUS_BY_KIND: Record<EngineError['kind'], number> = {
  'not-found': 404,
  conflict: 409,
  invalid: 400,
  'not-modified': 304,
  forbidden: 403,
  unavailable: 503,
  'not-implemented': 501,
  system: 500,
};

const VERSIONED = /^\/v(\d+\.\d+)(\/.*)$/;

function compareVersions(a: string, b: string): number {
  const [am, an] = a.split('.').map(Number);
  const [bm, bn] = b.split('.').map(Number);
  return am - bm || an - bn;
}

export function statusOf(error: unknown): number {
  return error instanceof EngineError ? STATUS_BY_KIND[error.kind] : 500;
}

export interface ApiServerOptions {
  routes: RouteTable[];
  log: (message: string) => void;
  /** Logs every request with its duration (--log-level debug). */
  debug?: boolean;
}

export function createApiServer(options: ApiServerOptions): Server {
  const router = FindMyWay({ ignoreTrailingSlash: true, caseSensitive: true, maxParamLength: 4096 });
  for (const route of options.routes) {
    router.on(route.method, route.path, () => undefined, { handler: route.handler });
    if (route.method === 'GET' && !options.routes.some((r) => r.method === 'HEAD' && r.path === route.path)) {
      router.on('HEAD', route.path, () => undefined, { handler: route.handler });
    }
  }

  async function dispatch(req: IncomingMessage, res: ServerResponse | undefined, upgrade?: { socket: Socket; head: Buffer }) {
    const url = new URL(req.url ?? '/', 'http://berth');
    let path = url.pathname;
    let version = API_VERSION;
    const versioned = VERSIONED.exec(path);
    if (versioned) {
      version = versioned[1];
      path = versioned[2];
    }
    const ctx = new HttpContext({ req, res, upgrade, path, query: url.searchParams, version });
    const started = options.debug ? performance.now() : 0;
    try {
      if (compareVersions(version, MIN_API_VERSION) < 0) {
        throw new EngineError('invalid', `client version ${version} is too old. Minimum supported API version is ${MIN_API_VERSION}, please upgrade your client to a newer version`);
      }
      if (compareVersions(version, API_VERSION) > 0) {
        throw new EngineError('invalid', `client version ${version} is too new. Maximum supported API version is ${API_VERSION}`);
      }
      const found = router.find(req.method as 'GET', path);
      if (!found) {
        ctx.sendJson(404, { message: `page not found` });
        return;
      }
      ctx.params = found.params;
      await (found.store as { handler: Handler }).handler(ctx);
      if (!ctx.responded) ctx.send(204);
    } catch (error) {
      const status = statusOf(error);
      if (status === 500) options.log(`${req.method} ${req.url}: ${error instanceof Error ? error.stack : String(error)}`);
      if (!ctx.responded) {
        if (status === 304) ctx.send(304);
        else ctx.sendJson(status, { message: errorMessage(error) });
      } else {
        // The response already started: all that is left is to end it so the client sees EOF.
        res?.end();
        upgrade?.socket.end();
      }
    } finally {
      if (options.debug) options.log(`${req.method} ${req.url} handled in ${(performance.now() - started).toFixed(1)} ms (from ${started.toFixed(1)})`);
    }
  }

  const server = createServer({ keepAlive: true, requireHostHeader: false }, (req, res) => {
    void dispatch(req, res);
  });
  server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
    socket.on('error', () => undefined);
    void dispatch(req, undefined, { socket, head });
  });
  server.on('clientError', (_error, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
  });
  // Streams (logs -f, events, wait) stay open for as long as the client wants.
  server.requestTimeout = 0;
  server.headersTimeout = 60_000;
  server.keepAliveTimeout = 60_000;
  return server;
}
