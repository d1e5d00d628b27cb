// What a client is told about an error, and what the log keeps. 4xx messages are written for the
// client and go out as they are. A 500 is our failure: the log gets the stack, the client gets a
// message that still says what went wrong (the errno text of a failed system call, the engine's
// own wording of a system error) but never a host path under the engine's roots nor JavaScript's
// internals ("Cannot read properties of undefined"), which mean nothing to a Docker client.
import { randomBytes } from 'node:crypto';
import { EngineError } from '../core/errors.ts';

const STATUS_BY_KIND: Record<EngineError['kind'], number> = {
  'not-found': 404,
  conflict: 409,
  invalid: 400,
  'not-modified': 304,
  forbidden: 403,
  unavailable: 503,
  'not-implemented': 501,
  system: 500,
};

export function statusOf(error: unknown): number {
  return error instanceof EngineError ? STATUS_BY_KIND[error.kind] : 500;
}

export interface ErrorReporter {
  /** The engine's log (stderr); 500s land there with their stack. */
  log: (message: string) => void;
  /** Host directories that 500 messages must not show (data root, exec root). */
  hostPaths: readonly string[];
}

function redact(message: string, hostPaths: readonly string[]): string {
  let out = message;
  // Longest first, so that a root nested in another is replaced as a whole.
  for (const root of [...hostPaths].filter((p) => p.length > 1).sort((a, b) => b.length - a.length)) {
    out = out.split(root).join('<engine-root>');
  }
  return out;
}

/** A Node system error ("ENOSPC: no space left on device, write '/var/lib/…'") keeps its errno
 * text and loses the syscall and path. */
function systemCallText(error: unknown): string | undefined {
  if (!(error instanceof Error)) return undefined;
  const code = (error as { code?: unknown }).code;
  if (typeof code !== 'string' || !/^E[A-Z0-9]+$/.test(code)) return undefined;
  const text = error.message.startsWith(`${code}:`) ? error.message.split(',')[0] : code;
  return text;
}

/** Logs an error that makes a 500 (with its stack and a reference) and returns the message for
 * the client; any other error's message is returned as it is. */
export function publicErrorMessage(error: unknown, reporter: ErrorReporter, what: string): string {
  if (statusOf(error) !== 500) return error instanceof Error ? error.message : String(error);
  const ref = randomBytes(4).toString('hex');
  reporter.log(`${what}: [ref ${ref}] ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  if (error instanceof EngineError) return redact(error.message, reporter.hostPaths);
  const syscall = systemCallText(error);
  if (syscall) return redact(`${syscall} (engine log ref ${ref})`, reporter.hostPaths);
  // A plain Error was thrown on purpose with words for a person; TypeError and friends, and
  // Node's ERR_* codes, are JavaScript's own and say nothing to a Docker client.
  if (error instanceof Error && error.constructor === Error && (error as { code?: unknown }).code === undefined && error.message) {
    return redact(error.message, reporter.hostPaths);
  }
  return `internal error in the engine; its log has the details (ref ${ref})`;
}
