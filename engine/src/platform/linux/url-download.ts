// Opens an http(s) URL for `docker import <url>` (dockerd remotecontext.GetWithStatusError):
// redirects followed as Go's http.Get follows them (at most 10), a status of 400 or more is an
// error naming the status and the body.
import { invalid, systemError } from '../../core/errors.ts';
import type { OpenedUrl } from '../../services/images/import-image.ts';
import { bodyText, httpGet } from './http-get.ts';

const MAX_REDIRECTS = 10;

export async function openUrl(address: string, signal?: AbortSignal): Promise<OpenedUrl> {
  let url: URL;
  try {
    url = new URL(address);
  } catch {
    throw invalid(`parse "${address}": invalid URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw invalid(`Get "${address}": unsupported protocol scheme "${url.protocol.slice(0, -1)}"`);
  for (let hop = 0; ; hop++) {
    const res = await httpGet(url, { signal });
    const status = res.statusCode ?? 0;
    const location = res.headers.location;
    if (status >= 300 && status < 400 && location) {
      res.resume();
      if (hop >= MAX_REDIRECTS) throw systemError(`Get "${location}": stopped after ${MAX_REDIRECTS} redirects`);
      url = new URL(location, url);
      continue;
    }
    if (status >= 400) {
      throw systemError(`failed to GET ${address} with status ${status} ${res.statusMessage ?? ''}: ${(await bodyText(res)).trim()}`);
    }
    const length = Number(res.headers['content-length']);
    return { body: res, size: Number.isFinite(length) && length >= 0 ? length : undefined };
  }
}
