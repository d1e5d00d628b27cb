// One GET over node:http/https with Go's wording for the socket errors users meet most, for the
// engine's own downloads (`docker import <url>`, `docker search`): what dockerd prints for them
// is Go's net error text, which scripts and people recognise.
import type { IncomingMessage } from 'node:http';
import { systemError } from '../../core/errors.ts';

// node:http through getBuiltinModule, not an ESM import (whose namespace reads every export:
// http's WebSocket getters load undici, ~12 MiB RSS); node:https (with tls, ~8 MiB) only when
// an https URL is asked for.
const { request: httpRequest } = process.getBuiltinModule('node:http');

/** Go's net errors for a server that is not there and a name that is not. */
export function socketReason(url: URL, error: NodeJS.ErrnoException): string {
  const host = url.port ? url.host : `${url.hostname}:${url.protocol === 'https:' ? 443 : 80}`;
  switch (error.code) {
    case 'ECONNREFUSED':
      return `dial tcp ${host}: connect: connection refused`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `dial tcp: lookup ${url.hostname}: no such host`;
    case 'ETIMEDOUT':
      return `dial tcp ${host}: i/o timeout`;
    default:
      return error.message;
  }
}

/** Resolves once the answer's headers are in; a socket error rejects as `Get "<url>": <reason>`. */
export function httpGet(url: URL, options: { signal?: AbortSignal; headers?: Record<string, string> } = {}): Promise<IncomingMessage> {
  const send = url.protocol === 'https:' ? process.getBuiltinModule('node:https').request : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(url, { method: 'GET', signal: options.signal, headers: options.headers }, resolve);
    req.on('error', (error: NodeJS.ErrnoException) => {
      reject(error.name === 'AbortError' ? error : systemError(`Get "${url.href}": ${socketReason(url, error)}`, error));
    });
    req.end();
  });
}

/** The start of an answer's body as text (error answers are quoted, never whole). */
export async function bodyText(res: IncomingMessage, limit = 64 * 1024): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of res) {
    chunks.push(chunk as Buffer);
    size += (chunk as Buffer).length;
    if (size >= limit) break;
  }
  res.destroy();
  return Buffer.concat(chunks).subarray(0, limit).toString('utf8');
}
