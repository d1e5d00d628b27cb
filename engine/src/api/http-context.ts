// One request as handlers see it, whether it arrived as a plain HTTP request or as an
// `Upgrade: tcp` request that the client wants hijacked (attach, exec start). Docker API handlers
// answer both the same way; only the transport differs.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { PassThrough, type Readable, type Writable } from 'node:stream';
import { EngineError, invalid } from '../core/errors.ts';
import { publicErrorMessage, type ErrorReporter } from './error-reply.ts';

// node:http through getBuiltinModule, not an ESM import: building the ESM namespace reads every
// export, and http's WebSocket/CloseEvent/MessageEvent getters load undici (~12 MiB RSS, unused).
const { STATUS_CODES } = process.getBuiltinModule('node:http');

export const API_VERSION = '1.47';
export const MIN_API_VERSION = '1.24';
const MAX_JSON_BODY = 32 * 1024 * 1024;
/** An upload refused before its end is read and dropped up to this size so that the connection
 * (and a client that writes its whole body before it reads) carries on; a bigger or chunked one
 * ends the connection after the reply instead (Go's net/http does the same with 256 KiB). */
export const MAX_DRAIN_BYTES = 64 * 1024 * 1024;
/** Go's encoding/json refuses nesting deeper than this ("exceeded max depth"); deeper still,
 * the engine's own recursion over the value (validation, JSON.stringify) would overflow. */
const MAX_JSON_DEPTH = 10_000;

/** How deeply arrays and objects nest in JSON text (strings skipped), without parsing it. */
export function jsonDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) max = Math.max(max, ++depth);
    else if (c === 0x5d || c === 0x7d) depth--;
  }
  return max;
}

export function commonHeaders(): Record<string, string> {
  return {
    'Api-Version': API_VERSION,
    'Docker-Experimental': 'false',
    Ostype: 'linux',
    Server: 'Berth/0.1.0 (linux)',
  };
}

/** The two ends of a hijacked connection. `input` is absent when the client sent no upgrade
 * (docker-modem may start exec that way): then only output flows. */
export interface HijackedStream {
  input?: Readable;
  output: Writable;
  /** Ends the connection once everything written has been flushed. */
  end(): void;
  onClose(listener: () => void): void;
}

export class HttpContext {
  readonly req: IncomingMessage;
  readonly method: string;
  /** Path without the version prefix, query and API version: set once the target is parsed. */
  path = '/';
  query = new URLSearchParams();
  version = API_VERSION;
  params: Record<string, string | undefined> = {};
  readonly #res?: ServerResponse;
  readonly #socket?: Socket;
  readonly #reporter: ErrorReporter;
  #head: Buffer;
  #bodyRead?: Promise<Buffer>;
  #responded = false;

  constructor(init: {
    req: IncomingMessage;
    res?: ServerResponse;
    upgrade?: { socket: Socket; head: Buffer };
    reporter?: ErrorReporter;
  }) {
    this.req = init.req;
    this.method = init.req.method ?? 'GET';
    this.#res = init.res;
    this.#socket = init.upgrade?.socket;
    this.#head = init.upgrade?.head ?? Buffer.alloc(0);
    this.#reporter = init.reporter ?? { log: () => undefined, hostPaths: [] };
  }

  setTarget(path: string, query: URLSearchParams, version: string): void {
    this.path = path;
    this.query = query;
    this.version = version;
  }

  /** The message a client may see for `error` (see error-reply.ts); a 500 is logged with its stack. */
  publicMessage(error: unknown): string {
    return publicErrorMessage(error, this.#reporter, `${this.method} ${this.req.url ?? ''}`);
  }

  /** Whether the client sent a body that has not been read to its end (a handler refused the
   * request early, or stopped reading): the connection cannot carry another request. */
  get bodyUnread(): boolean {
    if (this.#socket || this.req.complete) return false;
    const length = this.req.headers['content-length'];
    return (length !== undefined && length !== '0') || this.req.headers['transfer-encoding'] !== undefined;
  }

  /** Whether what is left of an unread body is small enough to read and drop (see MAX_DRAIN_BYTES). */
  get bodyDrainable(): boolean {
    const length = this.req.headers['content-length'];
    return this.req.headers['transfer-encoding'] === undefined && length !== undefined && Number(length) <= MAX_DRAIN_BYTES;
  }

  get isUpgrade(): boolean {
    return this.#socket !== undefined;
  }

  get responded(): boolean {
    return this.#responded;
  }

  /** The request body. On an upgraded connection, Node hands the body over inside the raw socket,
   * so exactly Content-Length bytes are taken from it and the rest is left for stdin. */
  body(): Promise<Buffer> {
    this.#bodyRead ??= this.#socket ? this.#readUpgradeBody(this.#socket) : this.#readPlainBody();
    return this.#bodyRead;
  }

  /** The request body as a stream for a service to consume (archives, build contexts). A
   * service that gives up on it may destroy it: that must not destroy the request, whose socket
   * still has to carry the error reply (server.ts then closes the connection). */
  bodyStream(): Readable {
    const body = new PassThrough();
    // Its consumer may have given up on it already: an error with no one listening must not
    // become an uncaught exception. Consumers still see errors through their own listeners.
    body.on('error', () => undefined);
    this.req.pipe(body);
    body.once('close', () => this.req.unpipe(body));
    // pipe() passes neither errors nor an abort on: a client gone mid-body must fail the reader.
    const cut = () => {
      if (!this.req.complete) body.destroy(invalid('the client closed the connection before the request body ended'));
    };
    this.req.once('error', cut).once('close', cut);
    return body;
  }

  async json<T = unknown>(): Promise<T | undefined> {
    const raw = await this.body();
    if (raw.length === 0) return undefined;
    const text = raw.toString('utf8');
    if (jsonDepth(text) > MAX_JSON_DEPTH) throw invalid(`invalid JSON: exceeded max depth (${MAX_JSON_DEPTH})`);
    try {
      return JSON.parse(text) as T;
    } catch (error) {
      throw invalid(`invalid JSON: ${(error as Error).message}`);
    }
  }

  sendJson(status: number, value: unknown, headers: Record<string, string> = {}): void {
    this.send(status, JSON.stringify(value), { 'Content-Type': 'application/json', ...headers });
  }

  /** A string body goes out as is: node:http writes it in one write(2) with the header, where a
   * Buffer takes a writev(2) of the two (a measurable share of small replies under load). */
  send(status: number, body: Buffer | string = '', headers: Record<string, string> = {}): void {
    if (this.#responded) return;
    this.#responded = true;
    const length = typeof body === 'string' ? Buffer.byteLength(body) : body.length;
    const all: Record<string, string> = { ...commonHeaders(), ...headers, 'Content-Length': String(length) };
    // A reply to a request whose body is too big to drain: the client is told, and the server
    // closes the connection after the reply (server.ts), as Go's net/http does.
    if (this.bodyUnread && !this.bodyDrainable) all.Connection = 'close';
    if (this.#res) {
      this.#res.writeHead(status, all);
      this.#res.end(this.method === 'HEAD' ? undefined : body);
      return;
    }
    const socket = this.#socket!;
    const lines = Object.entries(all).map(([k, v]) => `${k}: ${v}`);
    socket.end(Buffer.concat([Buffer.from(`HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\n${lines.join('\r\n')}\r\n\r\n`), typeof body === 'string' ? Buffer.from(body) : body]));
  }

  /** Starts a streamed 200 response (pull progress, logs, wait, events): headers go out at once
   * because clients wait for them before they show anything. */
  startStream(contentType: string, status = 200, headers: Record<string, string> = {}): { out: Writable; closed: Promise<void> } {
    if (this.#responded) throw new Error('response already started');
    this.#responded = true;
    const res = this.#res;
    if (!res) {
      const socket = this.#socket!;
      socket.write(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n${Object.entries({ ...commonHeaders(), ...headers }).map(([k, v]) => `${k}: ${v}\r\n`).join('')}Content-Type: ${contentType}\r\nConnection: close\r\n\r\n`);
      return { out: socket, closed: new Promise((resolve) => socket.once('close', () => resolve())) };
    }
    res.writeHead(status, { ...commonHeaders(), ...headers, 'Content-Type': contentType });
    res.flushHeaders();
    res.socket?.setNoDelay(true);
    return { out: res, closed: new Promise((resolve) => res.once('close', () => resolve())) };
  }

  /** Takes over the connection for raw bidirectional streaming (Docker API "Hijacking"). */
  async hijack(contentType: string): Promise<HijackedStream> {
    if (this.#responded) throw new Error('response already started');
    if (!this.#socket) {
      const { out, closed } = this.startStream(contentType);
      return {
        output: out,
        end: () => out.end(),
        onClose: (listener) => void closed.then(listener),
      };
    }
    await this.body();
    this.#responded = true;
    const socket = this.#socket;
    socket.setNoDelay(true);
    const headers = { ...commonHeaders(), 'Content-Type': contentType, Connection: 'Upgrade', Upgrade: 'tcp' };
    socket.write(`HTTP/1.1 101 UPGRADED\r\n${Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n`);
    if (this.#head.length > 0) socket.unshift(this.#head);
    this.#head = Buffer.alloc(0);
    return {
      input: socket,
      output: socket,
      end: () => socket.end(),
      onClose: (listener) => void socket.once('close', listener),
    };
  }

  /** Calls `listener` when the client goes away before the response is complete. */
  onClientGone(listener: () => void): void {
    const target = this.#res ?? this.#socket!;
    target.once('close', listener);
  }

  async #readPlainBody(): Promise<Buffer> {
    const chunks: Buffer[] = [];
    let size = 0;
    try {
      for await (const chunk of this.req) {
        size += (chunk as Buffer).length;
        if (size > MAX_JSON_BODY) throw invalid('request body too large');
        chunks.push(chunk as Buffer);
      }
    } catch (error) {
      if (error instanceof EngineError) throw error;
      // "aborted"/ECONNRESET: the client went away mid-body; there is no one left to answer.
      throw invalid('the client closed the connection before the request body ended');
    }
    return Buffer.concat(chunks);
  }

  #readUpgradeBody(socket: Socket): Promise<Buffer> {
    const length = Number(this.req.headers['content-length'] ?? 0);
    if (!Number.isFinite(length) || length <= 0) return Promise.resolve(Buffer.alloc(0));
    return new Promise((resolve, reject) => {
      const take = () => {
        if (this.#head.length >= length) {
          const body = this.#head.subarray(0, length);
          this.#head = this.#head.subarray(length);
          socket.off('data', onData);
          socket.pause();
          resolve(body);
          return true;
        }
        return false;
      };
      const onData = (chunk: Buffer) => {
        this.#head = Buffer.concat([this.#head, chunk]);
        take();
      };
      if (take()) return;
      socket.on('data', onData);
      socket.once('error', reject);
      // A client that goes before its body is complete: nothing else will ever arrive.
      const gone = () => {
        socket.off('data', onData);
        reject(invalid('the client closed the connection before the request body ended'));
      };
      socket.once('end', gone).once('close', gone);
    });
  }
}
