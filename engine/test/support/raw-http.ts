// HTTP/1.1 over a raw socket, for tests that must control every byte of a request (request line,
// methods Node's client refuses, broken framing) and see every byte of the reply.
import { connect, type Socket } from 'node:net';

export type RawTarget = { socketPath: string } | { host: string; port: number };

export interface RawReply {
  /** Everything the server sent before the exchange ended. */
  bytes: Buffer;
  /** The first response, when one arrived complete (headers, and the body unless it streams). */
  response?: ParsedResponse;
  /** The server closed the connection (rather than us, after a complete response). */
  closedByServer: boolean;
  /** Our write failed (EPIPE, ECONNRESET): the server stopped reading and closed. */
  writeError?: string;
}

export interface ParsedResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
  /** A 2xx/101 that streams (chunked with no end yet, or an upgrade): only the headers are in. */
  streaming: boolean;
}

export interface RawSendOptions {
  /** Half-close our side after writing (a client that went away mid-request). */
  halfClose?: boolean;
  /** A liveness bound, not a measurement: a server that never answers fails the test. */
  timeoutMs?: number;
  /** The request is HEAD: its response has no body whatever Content-Length says. */
  head?: boolean;
}

/** Parses one response from the start of `data`, or undefined while it is still incomplete. */
export function parseResponse(data: Buffer, head = false): ParsedResponse | undefined {
  const end = data.indexOf('\r\n\r\n');
  if (end < 0) return undefined;
  const lines = data.subarray(0, end).toString('latin1').split('\r\n');
  const match = /^HTTP\/1\.[01] (\d{3})(?: .*)?$/.exec(lines[0]);
  if (!match) throw new Error(`not an HTTP status line: ${JSON.stringify(lines[0].slice(0, 200))}`);
  const status = Number(match[1]);
  const headers: Record<string, string> = {};
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(':');
    if (colon <= 0) throw new Error(`malformed header line: ${JSON.stringify(line.slice(0, 200))}`);
    const name = line.slice(0, colon).trim().toLowerCase();
    headers[name] = headers[name] === undefined ? line.slice(colon + 1).trim() : `${headers[name]}, ${line.slice(colon + 1).trim()}`;
  }
  const rest = data.subarray(end + 4);
  if (status === 101) return { status, headers, body: Buffer.alloc(0), streaming: true };
  if (head || status === 204 || status === 304 || (status >= 100 && status < 200)) return { status, headers, body: Buffer.alloc(0), streaming: false };
  if (headers['transfer-encoding']?.toLowerCase().includes('chunked')) {
    const chunks: Buffer[] = [];
    let at = 0;
    for (;;) {
      const lineEnd = rest.indexOf('\r\n', at);
      if (lineEnd < 0) return status < 300 ? { status, headers, body: Buffer.concat(chunks), streaming: true } : undefined;
      const size = parseInt(rest.subarray(at, lineEnd).toString('latin1'), 16);
      if (Number.isNaN(size)) throw new Error('malformed chunk size');
      if (size === 0) return { status, headers, body: Buffer.concat(chunks), streaming: false };
      if (rest.length < lineEnd + 2 + size + 2) return status < 300 ? { status, headers, body: Buffer.concat(chunks), streaming: true } : undefined;
      chunks.push(rest.subarray(lineEnd + 2, lineEnd + 2 + size));
      at = lineEnd + 2 + size + 2;
    }
  }
  const length = headers['content-length'];
  if (length !== undefined) {
    const n = Number(length);
    return rest.length >= n ? { status, headers, body: rest.subarray(0, n), streaming: false } : undefined;
  }
  // No framing: the body runs to the end of the connection (the caller passes the final bytes).
  return undefined;
}

/** Sends `request` on a fresh connection and collects the reply: resolves once a complete
 * response is in (then closes), or when the server closes. */
export function rawSend(target: RawTarget, request: Buffer | string, options: RawSendOptions = {}): Promise<RawReply> {
  return new Promise((resolve, reject) => {
    const socket: Socket = 'socketPath' in target ? connect(target.socketPath) : connect(target.port, target.host);
    const received: Buffer[] = [];
    let writeError: string | undefined;
    let done = false;
    const finish = (closedByServer: boolean) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      const bytes = Buffer.concat(received);
      let response: ParsedResponse | undefined;
      try {
        response = parseResponse(bytes, options.head);
        // An unframed body ends with the connection.
        if (!response && closedByServer && bytes.includes('\r\n\r\n')) {
          const head = bytes.indexOf('\r\n\r\n');
          const parsed = parseResponse(Buffer.concat([bytes.subarray(0, head), Buffer.from('\r\nContent-Length: 0\r\n\r\n')]), options.head);
          if (parsed) response = { ...parsed, body: bytes.subarray(head + 4) };
        }
      } catch (error) {
        reject(new Error(`${(error as Error).message}; reply began ${JSON.stringify(bytes.subarray(0, 300).toString('latin1'))}`));
        return;
      }
      resolve({ bytes, response, closedByServer, writeError });
    };
    const timer = setTimeout(() => {
      done = true;
      socket.destroy();
      reject(new Error(`no complete reply within ${options.timeoutMs ?? 30_000} ms; got ${JSON.stringify(Buffer.concat(received).subarray(0, 300).toString('latin1'))}`));
    }, options.timeoutMs ?? 30_000);
    socket.on('data', (chunk: Buffer) => {
      received.push(chunk);
      try {
        if (parseResponse(Buffer.concat(received), options.head)) finish(false);
      } catch {
        finish(false);
      }
    });
    socket.on('end', () => finish(true));
    socket.on('close', () => finish(true));
    socket.on('error', (error: NodeJS.ErrnoException) => {
      // EPIPE/ECONNRESET on our write: the server refused the rest; what it answered still counts.
      writeError = error.code ?? error.message;
      if (error.code === 'ECONNREFUSED' || error.code === 'ENOENT') {
        done = true;
        clearTimeout(timer);
        reject(error);
      }
    });
    socket.write(request, (error) => {
      if (error) writeError = (error as NodeJS.ErrnoException).code ?? error.message;
      else if (options.halfClose) socket.end();
    });
  });
}
