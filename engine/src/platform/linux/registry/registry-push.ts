// Push side of the distribution API (OCI distribution-spec "Pushing blobs", "Pushing manifests"):
// HEAD blob checks, cross-repository mounts, monolithic (POST → PUT ?digest=) and chunked
// (POST → PATCH… → PUT ?digest=) uploads, manifest PUT, and the /v2/ check behind `docker login`.
// Request bodies are streams, so this speaks node:http directly; authentication reuses the pull
// client's TokenCache (Basic, or Bearer tokens with a pull,push scope).
import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import { EngineError, systemError } from '../../../core/errors.ts';
import type { ParsedReference } from '../../../core/reference.ts';
import { parseChallenge, TokenCache, type Credentials } from './auth.ts';
import { nodeHttpFetch } from './node-http-fetch.ts';

// node:http through getBuiltinModule, not an ESM import (whose namespace reads every export:
// http's WebSocket getters load undici, ~12 MiB RSS); node:https (with tls, ~8 MiB) only when
// an https URL is asked for.
const { STATUS_CODES, request: httpRequest } = process.getBuiltinModule('node:http');

interface Reply {
  status: number;
  headers: IncomingMessage['headers'];
  text: string;
}

export interface PusherOptions {
  isInsecure(host: string): boolean;
  userAgent?: string;
  /** Blobs larger than this go up in PATCH chunks of this size; smaller ones in one PUT. */
  chunkSize?: number;
}

function send(url: URL, method: string, headers: Record<string, string>, body?: Buffer | Readable, signal?: AbortSignal): Promise<Reply> {
  const call = url.protocol === 'https:' ? process.getBuiltinModule('node:https').request : httpRequest;
  return new Promise((resolve, reject) => {
    const req = call(url, { method, headers, signal }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.length < 64 && chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', (error) => reject(systemError(`${method} ${url.href}: ${error.message}`, error)));
    if (body === undefined || Buffer.isBuffer(body)) req.end(body);
    else {
      body.on('error', (error) => req.destroy(error));
      body.pipe(req);
    }
  });
}

function registryMessage(reply: Reply): string {
  try {
    const body = JSON.parse(reply.text) as { errors?: Array<{ code?: string; message?: string }> };
    if (body.errors?.length) return body.errors.map((e) => `${(e.code ?? 'unknown').toLowerCase().replace(/_/g, ' ')}: ${e.message ?? ''}`).join(', ');
  } catch {
    // not JSON
  }
  if (reply.status === 401) return 'unauthorized: authentication required';
  if (reply.status === 403) return 'denied: requested access to the resource is denied';
  return `received unexpected HTTP status: ${reply.status}`;
}

function fail(reply: Reply, what: string): EngineError {
  const kind = reply.status === 401 || reply.status === 403 ? 'forbidden' : reply.status === 404 ? 'not-found' : 'system';
  return new EngineError(kind, reply.status === 401 || reply.status === 403 ? registryMessage(reply) : `${what}: ${registryMessage(reply)}`);
}

export class RegistryPusher {
  readonly #options: PusherOptions;
  readonly #tokens: TokenCache;

  constructor(options: PusherOptions) {
    this.#options = options;
    this.#tokens = new TokenCache(nodeHttpFetch as typeof fetch, options.userAgent ?? 'berth/0.1');
  }

  base(host: string): URL {
    return new URL(`${this.#options.isInsecure(host) ? 'http' : 'https'}://${host}/`);
  }

  /** `docker login`: GET /v2/ anonymously, answer the challenge with the credentials, retry. */
  async login(host: string, creds: Credentials): Promise<void> {
    const url = new URL('v2/', this.base(host));
    const first = await send(url, 'GET', { 'User-Agent': this.#options.userAgent ?? 'berth' });
    if (first.status === 200) return;
    const challenge = first.status === 401 ? parseChallenge(String(first.headers['www-authenticate'] ?? '')) : undefined;
    if (!challenge) throw fail(first, `login to ${host}`);
    const auth = await this.#tokens.answer(host, '', challenge, creds);
    if (!auth) throw new EngineError('forbidden', 'unauthorized: authentication required');
    const second = await send(url, 'GET', { Authorization: auth });
    // dockerd's words for a refused login (registry loginV2): the URL it tried and the status.
    if (second.status === 401) throw new EngineError('forbidden', `login attempt to ${url.href} failed with status: 401 ${STATUS_CODES[401]}`);
    if (second.status !== 200) throw new EngineError('forbidden', registryMessage(second));
  }

  session(ref: ParsedReference, creds: Credentials | undefined, signal?: AbortSignal): PushSession {
    return new PushSession(this, this.#tokens, ref, creds, this.#options.chunkSize ?? 16 * 1024 * 1024, signal);
  }
}

export class PushSession {
  readonly #base: URL;
  readonly #tokens: TokenCache;
  readonly #ref: ParsedReference;
  readonly #creds: Credentials | undefined;
  readonly #chunkSize: number;
  readonly #signal: AbortSignal | undefined;
  #auth: string | undefined;
  #authed = false;

  constructor(pusher: RegistryPusher, tokens: TokenCache, ref: ParsedReference, creds: Credentials | undefined, chunkSize: number, signal?: AbortSignal) {
    this.#base = pusher.base(ref.registryHost());
    this.#tokens = tokens;
    this.#ref = ref;
    this.#creds = creds;
    this.#chunkSize = chunkSize;
    this.#signal = signal;
  }

  #url(path: string): URL {
    return new URL(`v2/${this.#ref.path}/${path}`, this.#base);
  }

  /** One request; the first 401 is answered (token or Basic) and the request repeated, which
   * is why bodies are passed as factories. */
  async #call(method: string, url: URL, headers: Record<string, string> = {}, body?: () => Buffer | Readable): Promise<Reply> {
    for (let attempt = 0; ; attempt++) {
      const all = { 'User-Agent': 'berth/0.1', ...headers, ...(this.#auth ? { Authorization: this.#auth } : {}) };
      const reply = await send(url, method, all, body?.(), this.#signal);
      if (reply.status !== 401 || attempt > 0 || this.#authed) return reply;
      const challenge = parseChallenge(String(reply.headers['www-authenticate'] ?? ''));
      if (!challenge) return reply;
      this.#auth = await this.#tokens.answer(this.#base.host, `repository:${this.#ref.path}:pull,push`, challenge, this.#creds, this.#signal);
      this.#authed = true;
      if (!this.#auth) return reply;
    }
  }

  async blobExists(digest: string): Promise<boolean> {
    const reply = await this.#call('HEAD', this.#url(`blobs/${digest}`));
    if (reply.status === 200) return true;
    if (reply.status === 404) return false;
    throw fail(reply, `checking blob ${digest}`);
  }

  /** Cross-repository mount; true when the registry linked the blob (201). */
  async mount(digest: string, fromPath: string): Promise<boolean> {
    const url = this.#url('blobs/uploads/');
    url.searchParams.set('mount', digest);
    url.searchParams.set('from', fromPath);
    const reply = await this.#call('POST', url, { 'Content-Length': '0' }, () => Buffer.alloc(0));
    if (reply.status === 201) return true;
    // 202: the registry opened an ordinary upload instead; abandon it.
    const location = reply.headers.location;
    if (reply.status === 202 && location) await this.#call('DELETE', new URL(location, this.#base)).catch(() => undefined);
    else if (reply.status === 401 || reply.status === 403) throw fail(reply, 'mount');
    return false;
  }

  async #start(): Promise<URL> {
    const reply = await this.#call('POST', this.#url('blobs/uploads/'), { 'Content-Length': '0' }, () => Buffer.alloc(0));
    if (reply.status !== 202 || !reply.headers.location) throw fail(reply, 'starting blob upload');
    return new URL(reply.headers.location, this.#base);
  }

  /** Uploads a blob; `open(start, end)` streams bytes [start, end). `onBytes` sees the total. */
  async upload(digest: string, size: number, open: (start: number, end: number) => Readable, onBytes?: (sent: number) => void): Promise<void> {
    let location = await this.#start();
    const finish = (url: URL) => {
      const done = new URL(url);
      done.searchParams.set('digest', digest);
      return done;
    };
    if (size <= this.#chunkSize) {
      const reply = await send(finish(location), 'PUT', this.#headers({ 'Content-Type': 'application/octet-stream', 'Content-Length': String(size) }), open(0, size), this.#signal);
      if (reply.status !== 201) throw fail(reply, `uploading blob ${digest}`);
      onBytes?.(size);
      return;
    }
    for (let start = 0; start < size; start += this.#chunkSize) {
      const end = Math.min(size, start + this.#chunkSize);
      const headers = { 'Content-Type': 'application/octet-stream', 'Content-Length': String(end - start), 'Content-Range': `${start}-${end - 1}` };
      const reply = await send(location, 'PATCH', this.#headers(headers), open(start, end), this.#signal);
      if (reply.status !== 202 || !reply.headers.location) throw fail(reply, `uploading blob ${digest}`);
      location = new URL(reply.headers.location, this.#base);
      onBytes?.(end);
    }
    const reply = await send(finish(location), 'PUT', this.#headers({ 'Content-Length': '0' }), Buffer.alloc(0), this.#signal);
    if (reply.status !== 201) throw fail(reply, `completing upload of ${digest}`);
  }

  #headers(extra: Record<string, string>): Record<string, string> {
    return { 'User-Agent': 'berth/0.1', ...extra, ...(this.#auth ? { Authorization: this.#auth } : {}) };
  }

  async putManifest(tag: string, mediaType: string, bytes: Buffer): Promise<void> {
    const reply = await this.#call('PUT', this.#url(`manifests/${tag}`), { 'Content-Type': mediaType, 'Content-Length': String(bytes.length) }, () => bytes);
    if (reply.status !== 201) throw fail(reply, `pushing manifest ${tag}`);
  }
}
