// Builds a DesktopApi on top of any message channel (WebSocket or Electron IPC), so the renderer
// never knows which one carries it.
import {
  CALL_NAMES, DesktopApiError,
  type DesktopApi, type StreamHandle, type StreamName, type StreamObserver,
} from './desktop-api.ts';
import type { ClientMessage, MessageChannelLike, ServerMessage } from './rpc-protocol.ts';

interface PendingCall { resolve(value: unknown): void; reject(error: DesktopApiError): void }

export function createRpcClient(channel: MessageChannelLike<ClientMessage, ServerMessage>): DesktopApi {
  let nextId = 1;
  let closedReason: string | undefined;
  const calls = new Map<number, PendingCall>();
  const streams = new Map<number, StreamObserver<unknown>>();

  channel.onMessage((message) => {
    const call = calls.get(message.id);
    if (call) {
      calls.delete(message.id);
      if (message.t === 'result') call.resolve(message.value);
      else if (message.t === 'error') call.reject(new DesktopApiError(message.error));
      return;
    }
    const stream = streams.get(message.id);
    if (!stream) return; // a late item for a stream the renderer already closed
    if (message.t === 'item') stream.next(message.item);
    else if (message.t === 'end') { streams.delete(message.id); stream.complete?.(); }
    else if (message.t === 'error') { streams.delete(message.id); stream.error?.(new DesktopApiError(message.error)); }
  });

  channel.onClose((reason) => {
    closedReason = reason;
    const error = new DesktopApiError({ message: `connection to the Berth backend closed: ${reason}` });
    for (const call of calls.values()) call.reject(error);
    for (const stream of streams.values()) stream.error?.(error);
    calls.clear();
    streams.clear();
  });

  const api: Record<string, unknown> = {};
  for (const name of CALL_NAMES) {
    api[name] = (...args: unknown[]) => new Promise((resolve, reject) => {
      if (closedReason) {
        reject(new DesktopApiError({ message: `connection to the Berth backend closed: ${closedReason}` }));
        return;
      }
      const id = nextId++;
      calls.set(id, { resolve, reject });
      channel.send({ t: 'call', id, name, args });
    });
  }
  api.open = (name: StreamName, args: unknown[], observer: StreamObserver<unknown>): StreamHandle<unknown> => {
    const id = nextId++;
    if (closedReason) {
      queueMicrotask(() => observer.error?.(new DesktopApiError({ message: `connection to the Berth backend closed: ${closedReason}` })));
      return { send() {}, close() {} };
    }
    streams.set(id, observer);
    channel.send({ t: 'open', id, name, args });
    return {
      send(input) {
        if (streams.has(id)) channel.send({ t: 'input', id, input });
      },
      close() {
        if (streams.delete(id)) channel.send({ t: 'close', id });
      },
    };
  };
  return api as DesktopApi;
}
