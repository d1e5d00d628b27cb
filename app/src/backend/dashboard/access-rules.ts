// Who may talk to `berth dashboard`. The server listens on loopback only, but any web page the
// user visits can also reach 127.0.0.1; three rules keep such pages out:
//   - a per-launch secret (printed once, then held in an HttpOnly SameSite=Strict cookie);
//   - the Host header must name the loopback address and port we serve (DNS rebinding: a page on
//     evil.example re-resolved to 127.0.0.1 still sends Host: evil.example);
//   - a WebSocket upgrade must also come from our own Origin (browsers do not apply the
//     same-origin policy to WebSockets, and SameSite does not stop a same-site page on another port).
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';

/** Cookies are not scoped by port (RFC 6265 §8.5), so the name carries it: two dashboards open in
 * one browser keep their own secrets instead of overwriting each other's. */
export function cookieName(port: number): string {
  return `berth_dashboard_${port}`;
}

/** 32 random bytes as base64url: 43 characters, safe in a URL and a cookie without escaping. */
export function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** Constant-time comparison, so the time a wrong guess takes tells nothing about the secret. */
export function secretMatches(candidate: string | undefined, secret: string): boolean {
  if (candidate === undefined) return false;
  const a = Buffer.from(candidate);
  const b = Buffer.from(secret);
  // timingSafeEqual needs equal lengths; comparing the secret with itself keeps the timing even.
  if (a.length !== b.length) {
    timingSafeEqual(b, b);
    return false;
  }
  return timingSafeEqual(a, b);
}

/** The value of one cookie from a Cookie header (RFC 6265 §5.4: "name=value" pairs joined by "; "). */
export function cookieValue(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** `host` as it appears in a URL's authority: IPv6 addresses in brackets. */
export function urlHost(host: string): string {
  return isIP(host) === 6 ? `[${host}]` : host;
}

/** Host header values a browser sends for our own address: 127.0.0.1:P, localhost:P, [::1]:P
 * (and the address we bound to, when --host named another loopback address). */
export function allowedHosts(port: number, boundHost = '127.0.0.1'): Set<string> {
  return new Set([`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`, `${urlHost(boundHost)}:${port}`]);
}

export function hostAllowed(host: string | undefined, port: number, boundHost?: string): boolean {
  return host !== undefined && allowedHosts(port, boundHost).has(host.toLowerCase());
}

/** The Origin of a page we served: http:// plus one of the allowed hosts. */
export function originAllowed(origin: string | undefined, port: number, boundHost?: string): boolean {
  if (!origin) return false;
  const lower = origin.toLowerCase();
  if (!lower.startsWith('http://')) return false;
  return allowedHosts(port, boundHost).has(lower.slice('http://'.length));
}

/** Whether `host` (an address or name given to --host) is a loopback address we may bind to. */
export function isLoopbackHost(host: string): boolean {
  if (host === 'localhost') return true;
  const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  if (isIP(bare) === 4) return bare.startsWith('127.');
  if (isIP(bare) === 6) return bare === '::1';
  return false;
}
