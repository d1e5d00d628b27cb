// Opens an http(s) URL for `docker import <url>` (dockerd remotecontext.GetWithStatusError):
// redirects followed as Go's http.Get follows them (at most 10), a status of 400 or more is an
// error naming the status and the body.
import { invalid, systemError } from '../../core/errors.ts';
import type { OpenedUrl } from '../../services/images/import-image.ts';
import { bodyText, httpGet } from './http-get.ts';

const MAX_REDIRECTS = 10;

/** A host name (RFC 1123 labels), an IPv4 address or a bracketed IPv6 one. */
const HOST_NAME = /^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?$/;

/** Checked as Go's url.Parse checks (a broken %-escape is an error), and the host before any
 * lookup: a name that cannot exist is refused here rather than sent to DNS. */
function parseUrl(address: string): URL {
  const escape = /%(?![0-9A-Fa-f]{2})[\s\S]{0,2}/.exec(address);
  if (escape) throw invalid(`parse "${address}": invalid URL escape "${escape[0]}"`);
  let url: URL;
  try {
    url = new URL(address);
  } catch {
    throw invalid(`parse "${address}": invalid URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw invalid(`Get "${address}": unsupported protocol scheme "${url.protocol.slice(0, -1)}"`);
  if (!HOST_NAME.test(url.hostname) && !/^\[[0-9A-Fa-f:.]+\]$/.test(url.hostname)) throw invalid(`Get "${address}": invalid host "${url.hostname}"`);
  return url;
}

export async function openUrl(address: string, signal?: AbortSignal): Promise<OpenedUrl> {
  let url = parseUrl(address);
  for (let hop = 0; ; hop++) {
    const res = await httpGet(url, { signal });
    const status = res.statusCode ?? 0;
    const location = res.headers.location;
    if (status >= 300 && status < 400 && location) {
      res.resume();
      if (hop >= MAX_REDIRECTS) throw systemError(`Get "${location}": stopped after ${MAX_REDIRECTS} redirects`);
      url = parseUrl(new URL(location, url).href);
      continue;
    }
    if (status >= 400) {
      throw systemError(`failed to GET ${address} with status ${status} ${res.statusMessage ?? ''}: ${(await bodyText(res)).trim()}`);
    }
    const length = Number(res.headers['content-length']);
    return { body: res, size: Number.isFinite(length) && length >= 0 ? length : undefined };
  }
}
