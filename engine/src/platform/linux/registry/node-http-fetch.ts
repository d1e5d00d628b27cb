// The slice of `fetch` the registry client uses, over node:http and node:https. Node's global
// fetch loads undici on first use, which costs the engine ~17 MB of resident memory for the rest
// of its life (measured: 79 → 96 MB after one pull); these core modules cost ~4 MB. Redirects
// stay manual (the client follows them itself, dropping credentials across hosts).
import type { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';

// node:http through getBuiltinModule, not an ESM import (whose namespace reads every export:
// http's WebSocket getters load undici, ~12 MiB RSS); node:https (with tls, ~8 MiB) only when
// an https URL is asked for.
const { request: httpRequest } = process.getBuiltinModule('node:http');

interface MinimalInit {
  method?: string;
  headers?: Record<string, string> | Headers | [string, string][];
  body?: string | Buffer | URLSearchParams | null;
  signal?: AbortSignal | null;
  redirect?: string;
}

class MinimalHeaders {
  readonly #raw: IncomingMessage['headers'];
  constructor(raw: IncomingMessage['headers']) {
    this.#raw = raw;
  }
  get(name: string): string | null {
    const value = this.#raw[name.toLowerCase()];
    if (value === undefined) return null;
    return Array.isArray(value) ? value.join(', ') : value;
  }
  has(name: string): boolean {
    return this.#raw[name.toLowerCase()] !== undefined;
  }
}

class MinimalResponse {
  readonly status: number;
  readonly statusText: string;
  readonly ok: boolean;
  readonly headers: MinimalHeaders;
  readonly url: string;
  readonly #message: IncomingMessage;
  #body: ReadableStream<Uint8Array> | undefined;

  constructor(message: IncomingMessage, url: string) {
    this.#message = message;
    this.status = message.statusCode ?? 0;
    this.statusText = message.statusMessage ?? '';
    this.ok = this.status >= 200 && this.status < 300;
    this.headers = new MinimalHeaders(message.headers);
    this.url = url;
  }

  /** The body as the node stream it is: blob downloads read this rather than `body`, whose web
   * stream (and Readable.fromWeb back) costs promises per chunk — measured as most of a pull's
   * garbage collection. */
  nodeBody(): Readable {
    return this.#message;
  }

  get body(): ReadableStream<Uint8Array> {
    this.#body ??= Readable.toWeb(this.#message) as ReadableStream<Uint8Array>;
    return this.#body;
  }

  async arrayBuffer(): Promise<ArrayBuffer> {
    const chunks: Buffer[] = [];
    for await (const chunk of this.#message) chunks.push(chunk as Buffer);
    const all = Buffer.concat(chunks);
    return all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength) as ArrayBuffer;
  }

  async text(): Promise<string> {
    return Buffer.from(await this.arrayBuffer()).toString('utf8');
  }

  async json(): Promise<unknown> {
    return JSON.parse(await this.text());
  }
}

function headerObject(headers: MinimalInit['headers']): Record<string, string> {
  if (!headers) return {};
  if (Array.isArray(headers)) return Object.fromEntries(headers);
  // Duck-typed: touching the global Headers class would load undici, the very thing avoided here.
  if (typeof (headers as Headers).forEach === 'function' && typeof (headers as Headers).get === 'function') {
    const out: Record<string, string> = {};
    (headers as Headers).forEach((value, key) => (out[key] = value));
    return out;
  }
  return headers as Record<string, string>;
}

/** fetch(url, init) for GET/HEAD/POST with manual redirects; resolves once headers arrive. */
/** The node body of a response from nodeHttpFetch; undefined for any other fetch's. */
export function nodeBodyOf(res: Response): Readable | undefined {
  return res instanceof MinimalResponse ? res.nodeBody() : undefined;
}

export function nodeHttpFetch(input: string | URL, init: MinimalInit = {}): Promise<Response> {
  const url = new URL(String(input));
  const send = url.protocol === 'https:' ? process.getBuiltinModule('node:https').request : httpRequest;
  return new Promise((resolve, reject) => {
    const signal = init.signal ?? undefined;
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const req = send(url, { method: init.method ?? 'GET', headers: headerObject(init.headers), signal }, (message) => {
      resolve(new MinimalResponse(message, url.href) as unknown as Response);
    });
    req.on('error', reject);
    const body = init.body instanceof URLSearchParams ? init.body.toString() : init.body;
    req.end(body ?? undefined);
  });
}
