// Opens an http(s) URL for `docker import <url>` (dockerd remotecontext.GetWithStatusError):
// redirects followed as Go's http.Get follows them (at most 10), a status of 400 or more is an
// error naming the status and the body, and socket errors read as Go's do for the common cases.
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { invalid, systemError } from '../../core/errors.ts';
import type { OpenedUrl } from '../../services/images/import-image.ts';

const MAX_REDIRECTS = 10;
/** The body of an error answer is quoted in the message; only its start is worth reading. */
const MAX_ERROR_BODY = 64 * 1024;

/** Go's net errors for what users meet most (a server that is not there, a name that is not). */
function socketReason(url: URL, error: NodeJS.ErrnoException): string {
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

function get(url: URL, signal: AbortSignal | undefined): Promise<IncomingMessage> {
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(url, { method: 'GET', signal }, resolve);
    req.on('error', (error: NodeJS.ErrnoException) => {
      reject(error.name === 'AbortError' ? error : systemError(`Get "${url.href}": ${socketReason(url, error)}`, error));
    });
    req.end();
  });
}

async function errorBody(res: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of res) {
    chunks.push(chunk as Buffer);
    size += (chunk as Buffer).length;
    if (size >= MAX_ERROR_BODY) break;
  }
  res.destroy();
  return Buffer.concat(chunks).subarray(0, MAX_ERROR_BODY).toString('utf8').trim();
}

export async function openUrl(address: string, signal?: AbortSignal): Promise<OpenedUrl> {
  let url: URL;
  try {
    url = new URL(address);
  } catch {
    throw invalid(`parse "${address}": invalid URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw invalid(`Get "${address}": unsupported protocol scheme "${url.protocol.slice(0, -1)}"`);
  for (let hop = 0; ; hop++) {
    const res = await get(url, signal);
    const status = res.statusCode ?? 0;
    const location = res.headers.location;
    if (status >= 300 && status < 400 && location) {
      res.resume();
      if (hop >= MAX_REDIRECTS) throw systemError(`Get "${location}": stopped after ${MAX_REDIRECTS} redirects`);
      url = new URL(location, url);
      continue;
    }
    if (status >= 400) {
      throw systemError(`failed to GET ${address} with status ${status} ${res.statusMessage ?? ''}: ${await errorBody(res)}`);
    }
    const length = Number(res.headers['content-length']);
    return { body: res, size: Number.isFinite(length) && length >= 0 ? length : undefined };
  }
}
