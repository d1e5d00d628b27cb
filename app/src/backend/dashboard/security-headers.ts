// Headers every dashboard response carries. The page only ever loads its own scripts and talks
// to its own origin (HTTP and the /rpc WebSocket), so the policy says exactly that.
import type { ServerResponse } from 'node:http';

/** `host` is the request's (already checked) Host header, e.g. 127.0.0.1:7780. */
export function contentSecurityPolicy(host: string): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    // Older browsers do not count ws: to the same host as 'self' (CSP Level 3 §6.7.2.8 does).
    `connect-src 'self' ws://${host}`,
    // xterm.js and uPlot set inline style attributes on the elements they draw.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

export function setSecurityHeaders(res: ServerResponse, host: string | undefined): void {
  res.setHeader('Content-Security-Policy', contentSecurityPolicy(host ?? '127.0.0.1'));
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
  res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
}
