// The agent's wire preamble. Each TCP connection from the host starts with one line:
//
//   BERTH/1 <secret> <request>\n
//
// request: `engine` (pipe to berthd's socket), `tcp <host> <port>`, `udp <host> <port>` (pipe to
// an address inside the guest), `status`, `set-clock <unix-ms>`, `poweroff`. Pipes answer
// `OK\n` once the target is connected (or `ERR <why>\n` and close), then carry raw bytes both
// ways. A wrong or missing secret gets no answer at all: the connection is closed at once.
import { createHash, timingSafeEqual } from 'node:crypto';

export const PROTOCOL = 'BERTH/1';
/** Longer than any legal preamble (a 64-byte secret and an IPv6 address fit many times over). */
export const MAX_PREAMBLE = 1024;

export type Request =
  | { kind: 'engine' }
  | { kind: 'tcp' | 'udp'; host: string; port: number }
  | { kind: 'status' }
  | { kind: 'set-clock'; unixMs: number }
  | { kind: 'poweroff' };

export type Parsed =
  | { ok: true; secret: string; request: Request }
  | { ok: false; reason: 'protocol'; message: string }
  | { ok: false; reason: 'request'; secret: string; message: string };

const digest = (text: string) => createHash('sha256').update(text).digest();

/** Constant-time: both sides are hashed to equal length first, so neither length nor content
 * leaks through timing. An empty expected secret matches nothing. */
export function secretMatches(expected: string, given: string): boolean {
  if (expected.length === 0) return false;
  return timingSafeEqual(digest(expected), digest(given));
}

function port(text: string | undefined): number | undefined {
  if (!text || !/^\d{1,5}$/.test(text)) return undefined;
  const n = Number(text);
  return n >= 1 && n <= 65535 ? n : undefined;
}

export function parsePreamble(line: string): Parsed {
  const [protocol, secret, verb, ...args] = line.replace(/\r$/, '').split(' ');
  if (protocol !== PROTOCOL || !secret) return { ok: false, reason: 'protocol', message: 'not a Berth agent preamble' };
  const bad = (message: string): Parsed => ({ ok: false, reason: 'request', secret, message });
  switch (verb) {
    case 'engine':
    case 'status':
    case 'poweroff':
      return args.length === 0 ? { ok: true, secret, request: { kind: verb } } : bad(`${verb} takes no arguments`);
    case 'tcp':
    case 'udp': {
      const [host, portText] = args;
      const p = port(portText);
      if (!host || p === undefined || args.length !== 2) return bad(`${verb} needs <host> <port>`);
      return { ok: true, secret, request: { kind: verb, host, port: p } };
    }
    case 'set-clock': {
      const unixMs = Number(args[0]);
      if (args.length !== 1 || !Number.isSafeInteger(unixMs) || unixMs <= 0) return bad('set-clock needs <unix-ms>');
      return { ok: true, secret, request: { kind: 'set-clock', unixMs } };
    }
    default:
      return bad(`unknown request ${verb ?? ''}`.trim());
  }
}

export function formatPreamble(secret: string, request: Request): string {
  const tail = request.kind === 'tcp' || request.kind === 'udp' ? `${request.kind} ${request.host} ${request.port}`
    : request.kind === 'set-clock' ? `set-clock ${request.unixMs}` : request.kind;
  return `${PROTOCOL} ${secret} ${tail}\n`;
}
