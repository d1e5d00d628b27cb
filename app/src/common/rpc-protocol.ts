// The wire format that carries DesktopApi over any message channel (a WebSocket for
// `berth dashboard`, Electron IPC for the app). Messages are plain JSON-safe objects; ids are
// chosen by the client and name one call or one open stream.
import type { ApiErrorShape, CallName, StreamName } from './desktop-api.ts';

export type ClientMessage =
  | { t: 'call'; id: number; name: CallName; args: unknown[] }
  | { t: 'open'; id: number; name: StreamName; args: unknown[] }
  | { t: 'input'; id: number; input: unknown }
  | { t: 'close'; id: number };

export type ServerMessage =
  | { t: 'result'; id: number; value: unknown }
  | { t: 'error'; id: number; error: ApiErrorShape }
  | { t: 'item'; id: number; item: unknown }
  | { t: 'end'; id: number };

/** One side of a message channel, as both ends see it. */
export interface MessageChannelLike<Out, In> {
  send(message: Out): void;
  onMessage(listener: (message: In) => void): void;
  /** Called once when the channel is gone; pending calls and open streams then fail. */
  onClose(listener: (reason: string) => void): void;
}

const CLIENT_KINDS = new Set(['call', 'open', 'input', 'close']);

/** Checks a decoded message from an untrusted peer; returns a reason when it is malformed. */
export function clientMessageProblem(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return 'message must be an object';
  const message = value as Record<string, unknown>;
  if (typeof message.t !== 'string' || !CLIENT_KINDS.has(message.t)) return 'unknown message kind';
  if (!Number.isSafeInteger(message.id)) return 'message id must be an integer';
  if ((message.t === 'call' || message.t === 'open') && (typeof message.name !== 'string' || !Array.isArray(message.args))) {
    return 'call and open need a name and an args array';
  }
  return undefined;
}
