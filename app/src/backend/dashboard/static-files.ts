// Serves the built renderer (app/dist/renderer) and nothing else: every request path is decoded,
// normalised and checked to stay inside that directory before anything touches the disk.
import { createReadStream, existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, relative, resolve, sep, isAbsolute } from 'node:path';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
};

export type StaticOutcome = 'served' | 'not-found' | 'bad-request';

/** Maps a URL path to a file inside `root`, or says why it cannot be one. */
export function resolveStaticPath(root: string, urlPath: string): { file: string } | { problem: 'not-found' | 'bad-request' } {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return { problem: 'bad-request' }; // a malformed %-escape
  }
  // NUL and backslashes have no business in an asset path (and backslash is a separator elsewhere).
  if (decoded.includes('\0') || decoded.includes('\\')) return { problem: 'bad-request' };
  const relativePath = decoded === '/' || decoded === '' ? 'index.html' : decoded.replace(/^\/+/, '');
  const base = resolve(root);
  const file = resolve(base, relativePath);
  const inside = relative(base, file);
  if (inside === '' || inside.startsWith('..') || isAbsolute(inside) || inside.split(sep).includes('..')) return { problem: 'not-found' };
  return { file: join(base, inside) };
}

/** Vite puts content-hashed files under assets/: they never change, so browsers may keep them. */
function cacheControl(root: string, file: string): string {
  return relative(resolve(root), file).startsWith(`assets${sep}`) ? 'public, max-age=31536000, immutable' : 'no-store';
}

export function rendererBuilt(root: string): boolean {
  return existsSync(join(root, 'index.html'));
}

export async function serveStatic(root: string, req: IncomingMessage, res: ServerResponse, urlPath: string): Promise<StaticOutcome> {
  const resolved = resolveStaticPath(root, urlPath);
  if ('problem' in resolved) return resolved.problem;
  let info;
  try {
    info = await stat(resolved.file);
  } catch {
    return 'not-found';
  }
  if (!info.isFile()) return 'not-found';
  res.statusCode = 200;
  res.setHeader('Content-Type', CONTENT_TYPES[extname(resolved.file).toLowerCase()] ?? 'application/octet-stream');
  res.setHeader('Content-Length', info.size);
  res.setHeader('Cache-Control', cacheControl(root, resolved.file));
  if (req.method === 'HEAD') {
    res.end();
    return 'served';
  }
  await new Promise<void>((done) => {
    const stream = createReadStream(resolved.file);
    stream.on('error', () => {
      res.destroy();
      done();
    });
    res.on('close', () => {
      stream.destroy();
      done();
    });
    stream.pipe(res);
  });
  return 'served';
}
