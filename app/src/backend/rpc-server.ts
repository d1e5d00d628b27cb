// Serves one client connection of the RPC protocol (common/rpc-protocol.ts) from a DesktopBackend.
// Everything a client sends is untrusted: unknown names, bad ids and bad arguments come back as
// errors on that id and never take the connection or the backend down.
import { CALL_NAMES, STREAM_NAMES, type ApiErrorShape, type CallName, type StreamName } from '../common/desktop-api.ts';
import { clientMessageProblem, type ClientMessage, type ServerMessage } from '../common/rpc-protocol.ts';
import type { DesktopBackend, StreamSession, StreamSink } from './desktop-backend.ts';

export interface ServerChannel {
  /** Returns false when the peer is not keeping up (outgoing buffer over its high-water mark). */
  send(message: ServerMessage): boolean;
  onDrain(listener: () => void): void;
}

const callNames = new Set<string>(CALL_NAMES);
const streamNames = new Set<string>(STREAM_NAMES);

/** Turns anything thrown (dockerode errors carry statusCode and the engine's JSON message) into the wire shape. */
export function toErrorShape(error: unknown): ApiErrorShape {
  if (typeof error === 'object' && error !== null) {
    const e = error as { statusCode?: unknown; json?: unknown; message?: unknown; status?: unknown };
    const status = typeof e.statusCode === 'number' ? e.statusCode : typeof e.status === 'number' ? e.status : undefined;
    const engineMessage = typeof e.json === 'object' && e.json !== null && typeof (e.json as { message?: unknown }).message === 'string'
      ? (e.json as { message: string }).message
      : undefined;
    const message = engineMessage ?? (typeof e.message === 'string' ? e.message : String(error));
    return status === undefined ? { message } : { message, status };
  }
  return { message: String(error) };
}

export class RpcConnection {
  private readonly sessions = new Map<number, StreamSession<unknown>>();
  private closed = false;
  private readonly backend: DesktopBackend;
  private readonly channel: ServerChannel;

  constructor(backend: DesktopBackend, channel: ServerChannel) {
    this.backend = backend;
    this.channel = channel;
  }

  /** Handles one decoded message (or a protocol error for a malformed one). */
  handle(raw: unknown): void {
    if (this.closed) return;
    const problem = clientMessageProblem(raw);
    if (problem) {
      const id = typeof (raw as { id?: unknown })?.id === 'number' ? (raw as { id: number }).id : 0;
      this.channel.send({ t: 'error', id, error: { message: `bad message: ${problem}`, status: 400 } });
      return;
    }
    const message = raw as ClientMessage;
    try {
      switch (message.t) {
        case 'call': return void this.call(message.id, message.name, message.args);
        case 'open': return void this.open(message.id, message.name, message.args);
        case 'input': return this.sessions.get(message.id)?.input?.(message.input);
        case 'close': return this.closeSession(message.id);
      }
    } catch (error) {
      // A stream's input handler that throws on what the peer typed fails that stream's id only.
      this.channel.send({ t: 'error', id: message.id, error: toErrorShape(error) });
    }
  }

  /** The connection is gone: every open stream stops (log follows, terminals, pulls' listeners). */
  dispose(): void {
    this.closed = true;
    for (const id of [...this.sessions.keys()]) this.closeSession(id);
  }

  private async call(id: number, name: CallName, args: unknown[]): Promise<void> {
    if (!callNames.has(name)) {
      this.channel.send({ t: 'error', id, error: { message: `unknown call ${String(name)}`, status: 404 } });
      return;
    }
    try {
      const fn = this.backend.calls[name] as (...a: unknown[]) => unknown;
      const value = await fn(...args);
      if (!this.closed) this.channel.send({ t: 'result', id, value: value ?? null });
    } catch (error) {
      if (!this.closed) this.channel.send({ t: 'error', id, error: toErrorShape(error) });
    }
  }

  private async open(id: number, name: StreamName, args: unknown[]): Promise<void> {
    if (!streamNames.has(name)) {
      this.channel.send({ t: 'error', id, error: { message: `unknown stream ${String(name)}`, status: 404 } });
      return;
    }
    if (this.sessions.has(id)) {
      this.channel.send({ t: 'error', id, error: { message: `stream id ${id} is already open`, status: 400 } });
      return;
    }
    let ended = false;
    const end = (message: ServerMessage) => {
      if (ended) return;
      ended = true;
      this.sessions.delete(id);
      if (!this.closed) this.channel.send(message);
    };
    const sink: StreamSink<unknown> = {
      next: (item) => (ended || this.closed ? true : this.channel.send({ t: 'item', id, item })),
      onDrain: (listener) => this.channel.onDrain(listener),
      error: (error) => end({ t: 'error', id, error: toErrorShape(error) }),
      complete: () => end({ t: 'end', id }),
    };
    // Placeholder so that a 'close' arriving while the stream starts is honoured once it has.
    let closeRequested = false;
    this.sessions.set(id, { close: () => { closeRequested = true; } });
    try {
      const start = this.backend.streams[name] as (a: unknown[], s: StreamSink<unknown>) => StreamSession<unknown> | Promise<StreamSession<unknown>>;
      const session = await start(args, sink);
      if (closeRequested || this.closed || ended) {
        session.close();
        this.sessions.delete(id);
        return;
      }
      this.sessions.set(id, session);
    } catch (error) {
      end({ t: 'error', id, error: toErrorShape(error) });
    }
  }

  private closeSession(id: number): void {
    const session = this.sessions.get(id);
    if (!session) return;
    this.sessions.delete(id);
    try {
      session.close();
    } catch {
      // Closing is best effort: the peer no longer wants the stream either way.
    }
  }
}
