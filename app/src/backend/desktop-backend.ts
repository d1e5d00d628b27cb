// What a backend implements to serve DesktopApi: every call as a (possibly async) function and
// every stream as a function that starts it and returns its session. The transports
// (rpc-server.ts over a WebSocket or Electron IPC) turn these into messages.
import type { CallName, DesktopCalls, DesktopStreams, StreamName } from '../common/desktop-api.ts';

export type BackendCalls = {
  [K in CallName]: (...args: Parameters<DesktopCalls[K]>) => Promise<ReturnType<DesktopCalls[K]>> | ReturnType<DesktopCalls[K]>;
};

export interface StreamSink<T> {
  /** Sends an item; false when the transport is congested, so producers that can pause should. */
  next(item: T): boolean;
  /** Calls `listener` once when the transport can take more after `next` returned false. */
  onDrain(listener: () => void): void;
  error(error: unknown): void;
  complete(): void;
}

export interface StreamSession<In> {
  input?(input: In): void;
  close(): void;
}

export type BackendStreams = {
  [K in StreamName]: (
    args: DesktopStreams[K]['args'],
    sink: StreamSink<DesktopStreams[K]['item']>,
  ) => StreamSession<DesktopStreams[K]['input']> | Promise<StreamSession<DesktopStreams[K]['input']>>;
};

export interface DesktopBackend {
  calls: BackendCalls;
  streams: BackendStreams;
}
