// One way to talk to the engine: docker-modem's dial (what every dockerode method uses), with
// the engine's errors turned into { statusCode, message } carrying the engine's own words, and
// connection failures turned into a 503 a user can act on.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type Dockerode from 'dockerode';
import { BackendError } from './backend-error.ts';
import { ENDPOINT_OF } from './engine-connection.ts';

export interface EngineRequest {
  method: 'GET' | 'POST' | 'DELETE' | 'PUT' | 'HEAD';
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  headers?: Record<string, string>;
  /** Aborts the request (e.g. AbortSignal.timeout for a probe of a remote that may never answer). */
  signal?: AbortSignal;
}

interface ModemDialOptions {
  path: string;
  method: string;
  options?: unknown;
  headers?: Record<string, string>;
  statusCodes: Record<number, boolean | string>;
  isStream?: boolean;
  hijack?: boolean;
  openStdin?: boolean;
  allowEmpty?: boolean;
  abortSignal?: AbortSignal;
}

interface Modem {
  dial(options: ModemDialOptions, callback: (error: unknown, result: unknown) => void): void;
  socketPath?: unknown;
  host?: string;
  port?: string | number;
}

const OK = { 200: true, 201: true, 204: true, 304: true } as const;

function modemOf(docker: Dockerode): Modem {
  return (docker as unknown as { modem: Modem }).modem;
}

function where(docker: Dockerode): string {
  const known = (docker as unknown as Record<symbol, unknown>)[ENDPOINT_OF];
  if (typeof known === 'string') return known;
  const modem = modemOf(docker);
  return typeof modem.socketPath === 'string' ? `unix://${modem.socketPath}` : `tcp://${modem.host}:${modem.port}`;
}

/** Connection-level failures: the engine is not there (yet), or went away mid-request. */
export function isEngineUnreachable(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code;
  return code === 'ENOENT' || code === 'ECONNREFUSED' || code === 'ECONNRESET' || code === 'EPIPE' || code === 'EHOSTUNREACH' || code === 'ENOTFOUND' || code === 'ETIMEDOUT';
}

/** Turns what docker-modem rejects with into a BackendError with the engine's message. */
export function toEngineError(error: unknown, docker: Dockerode): Error {
  if (error instanceof BackendError) return error;
  const e = error as { statusCode?: unknown; json?: unknown; message?: unknown; code?: unknown };
  if (typeof e?.statusCode === 'number') {
    const json = e.json as { message?: unknown } | null | undefined;
    let message = typeof json?.message === 'string' ? json.message : undefined;
    if (message === undefined && typeof e.message === 'string') {
      // Streamed requests: docker-modem folds the body into "(HTTP code N) reason - <body> ".
      const match = /^\(HTTP code \d+\) [^-]*- ([\s\S]*?)\s*$/.exec(e.message);
      message = match ? match[1] : e.message;
    }
    return new BackendError(e.statusCode, message || `the engine answered HTTP ${e.statusCode}`);
  }
  if (isEngineUnreachable(error)) {
    const reason = e.code === 'ENOENT' ? 'its socket does not exist' : e.code === 'ECONNREFUSED' ? 'the connection was refused' : `the connection failed (${String(e.code)})`;
    const wrapped = new BackendError(503, `The engine at ${where(docker)} is not reachable: ${reason}. Start the engine, or pick another endpoint on the Engine page.`);
    (wrapped as { code?: unknown }).code = e.code;
    return wrapped;
  }
  return error instanceof Error ? error : new Error(String(error));
}

/** A path the engine would answer with a 301 to its clean form ("//", "/./", "/../": an id of
 * "/" or ".." from the renderer). docker-modem follows such redirects to a host named after the
 * first path segment and emits the failure where no one listens, which ends the process. */
function uncleanPath(path: string): boolean {
  return path.includes('//') || /\/\.\.?(\/|$)/.test(path);
}

function dial(docker: Dockerode, request: EngineRequest, extra: Partial<ModemDialOptions>): Promise<unknown> {
  if (uncleanPath(request.path)) return Promise.reject(new BackendError(400, `invalid name or id: ${JSON.stringify(request.path)}`));
  const modem = modemOf(docker);
  const query: Record<string, string> = {};
  for (const [key, value] of Object.entries(request.query ?? {})) {
    if (value !== undefined) query[key] = String(value);
  }
  const hasQuery = Object.keys(query).length > 0;
  // docker-modem's rules: a path ending in '?' gets options._query appended (or the '?' dropped
  // when there are no options); a POST sends options._body, and an empty '{}' body is left out
  // unless allowEmpty is set.
  const options = hasQuery || request.body !== undefined
    ? { _query: query, _body: request.body ?? {} }
    : undefined;
  return new Promise((resolve, reject) => {
    modem.dial({
      path: `${request.path}?`,
      method: request.method,
      options,
      headers: request.headers ? { ...request.headers } : undefined,
      statusCodes: OK,
      allowEmpty: request.body !== undefined,
      ...(request.signal ? { abortSignal: request.signal } : {}),
      ...extra,
    }, (error, result) => (error ? reject(toEngineError(error, docker)) : resolve(result)));
  });
}

/** A request whose answer is JSON (or empty); resolves the parsed body. */
export async function engineJson<T>(docker: Dockerode, request: EngineRequest): Promise<T> {
  const result = await dial(docker, request, {});
  // docker-modem hands back a Buffer when the body was not JSON (e.g. an empty 204).
  if (Buffer.isBuffer(result)) return (result.length === 0 ? undefined : result.toString()) as T;
  return result as T;
}

/** A request whose answer is read as a stream (logs, stats, events, pull progress, archives). */
export async function engineStream(docker: Dockerode, request: EngineRequest): Promise<IncomingMessage> {
  return await dial(docker, request, { isStream: true }) as IncomingMessage;
}

/** A hijacked (upgraded) request: exec start with stdin; resolves the raw socket. */
export async function engineHijack(docker: Dockerode, request: EngineRequest): Promise<Duplex> {
  return await dial(docker, request, { isStream: true, hijack: true, openStdin: true, statusCodes: { ...OK, 101: true } }) as Duplex;
}
