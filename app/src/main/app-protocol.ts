// The window's page is served from a custom scheme (berth-app://ui/…) rather than file://, so that
// every response carries the Content-Security-Policy header (file:// responses have no headers)
// and the page's origin is its own, not the whole file system. Only the built renderer directory
// is reachable (resolveStaticPath refuses anything outside it).
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { resolveStaticPath } from '../backend/dashboard/static-files.ts';

export const APP_SCHEME = 'berth-app';
export const APP_HOST = 'ui';
export const APP_PAGE_URL = `${APP_SCHEME}://${APP_HOST}/index.html`;

/** The page loads only its own scripts and styles and talks only to itself (IPC needs no network). */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "connect-src 'self'",
  // xterm.js and uPlot set inline style attributes on the elements they draw.
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
};

export interface AppResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer | string;
}

const SECURITY_HEADERS = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Cross-Origin-Opener-Policy': 'same-origin',
};

/** Answers one berth-app:// request from the renderer build in `rendererDir`. */
export async function respondToAppRequest(rendererDir: string, requestUrl: string): Promise<AppResponse> {
  const fail = (status: number, text: string): AppResponse => ({ status, headers: { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' }, body: text });
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return fail(400, 'bad URL');
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return fail(404, 'not found');
  const resolved = resolveStaticPath(rendererDir, url.pathname);
  if ('problem' in resolved) return resolved.problem === 'bad-request' ? fail(400, 'bad path') : fail(404, 'not found');
  try {
    const body = await readFile(resolved.file);
    return { status: 200, headers: { ...SECURITY_HEADERS, 'Content-Type': CONTENT_TYPES[extname(resolved.file)] ?? 'application/octet-stream' }, body };
  } catch {
    return fail(404, 'not found');
  }
}
