// For component tests: a real DesktopApi (createRpcClient) over an in-memory message channel to a
// small server object that answers only the calls and streams a test needs, with real data shapes.
// The double sits at the transport edge; the renderer code under test is the production code.
import { DesktopApiError, type ApiErrorShape, type CallName, type DesktopApi, type DesktopCalls, type DesktopStreams, type StreamName } from '../../../common/desktop-api.ts';
import { createRpcClient } from '../../../common/rpc-client.ts';
import type { ClientMessage, MessageChannelLike, ServerMessage } from '../../../common/rpc-protocol.ts';

export type TestCalls = { [K in CallName]?: (...args: Parameters<DesktopCalls[K]>) => ReturnType<DesktopCalls[K]> | Promise<ReturnType<DesktopCalls[K]>> };

export interface TestStreamSink<T> {
  next(item: T): void;
  end(): void;
  fail(error: ApiErrorShape): void;
}

export type TestStreams = {
  [K in StreamName]?: (args: DesktopStreams[K]['args'], sink: TestStreamSink<DesktopStreams[K]['item']>) => void | (() => void);
};

export interface InMemoryApi {
  api: DesktopApi;
  /** Every call the renderer made, in order. */
  calls: { name: CallName; args: unknown[] }[];
  /** Open streams by name: push items into them from the test. */
  sinks: Map<StreamName, TestStreamSink<unknown>[]>;
}

/** An engine-style error ("conflict: …" with HTTP 409) for a call handler to throw. */
export function engineError(message: string, status: number): DesktopApiError {
  return new DesktopApiError({ message, status });
}

export function inMemoryApi(server: { calls?: TestCalls; streams?: TestStreams }): InMemoryApi {
  const listeners: ((message: ServerMessage) => void)[] = [];
  const deliver = (message: ServerMessage) => queueMicrotask(() => listeners.forEach((listener) => listener(message)));
  const calls: InMemoryApi['calls'] = [];
  const sinks = new Map<StreamName, TestStreamSink<unknown>[]>();
  const closers = new Map<number, () => void>();

  const channel: MessageChannelLike<ClientMessage, ServerMessage> = {
    send(message) {
      if (message.t === 'call') {
        calls.push({ name: message.name, args: message.args });
        const handler = server.calls?.[message.name] as ((...args: unknown[]) => unknown) | undefined;
        if (!handler) {
          deliver({ t: 'error', id: message.id, error: { message: `the test server does not answer ${message.name}` } });
          return;
        }
        Promise.resolve()
          .then(() => handler(...message.args))
          .then(
            (value) => deliver({ t: 'result', id: message.id, value: value ?? null }),
            (error: unknown) => deliver({ t: 'error', id: message.id, error: { message: (error as Error).message, status: (error as DesktopApiError).status } }),
          );
      } else if (message.t === 'open') {
        const id = message.id;
        let open = true;
        const sink: TestStreamSink<unknown> = {
          next: (item) => { if (open) deliver({ t: 'item', id, item }); },
          end: () => { if (open) { open = false; deliver({ t: 'end', id }); } },
          fail: (error) => { if (open) { open = false; deliver({ t: 'error', id, error }); } },
        };
        sinks.set(message.name, [...(sinks.get(message.name) ?? []), sink]);
        const handler = server.streams?.[message.name] as ((args: unknown[], sink: TestStreamSink<unknown>) => void | (() => void)) | undefined;
        const closer = handler?.(message.args, sink);
        closers.set(id, () => {
          open = false;
          if (typeof closer === 'function') closer();
        });
      } else if (message.t === 'close') {
        closers.get(message.id)?.();
        closers.delete(message.id);
      }
    },
    onMessage(listener) { listeners.push(listener); },
    onClose() {},
  };
  return { api: createRpcClient(channel), calls, sinks };
}
