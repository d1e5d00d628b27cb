// Opens a DesktopApi stream for as long as a component is mounted (and its args stay the same).
import { useEffect, useRef } from 'react';
import type { DesktopApiError, DesktopStreams, StreamHandle, StreamName } from '../../common/desktop-api.ts';
import { useDesktopApi } from './api-context.tsx';

export interface StreamCallbacks<T> {
  next(item: T): void;
  error?(error: DesktopApiError): void;
  complete?(): void;
}

/**
 * `key` decides when to reopen (e.g. a container id plus options); callbacks may change on
 * every render without reopening. Pass `enabled: false` to keep the stream shut.
 */
export function useStream<K extends StreamName>(
  name: K,
  args: DesktopStreams[K]['args'],
  key: string,
  callbacks: StreamCallbacks<DesktopStreams[K]['item']>,
  enabled = true,
): React.RefObject<StreamHandle<DesktopStreams[K]['input']> | null> {
  const api = useDesktopApi();
  const latest = useRef(callbacks);
  latest.current = callbacks;
  const handle = useRef<StreamHandle<DesktopStreams[K]['input']> | null>(null);
  useEffect(() => {
    if (!enabled) return undefined;
    const opened = api.open(name, args, {
      next: (item) => latest.current.next(item),
      error: (error) => latest.current.error?.(error),
      complete: () => latest.current.complete?.(),
    });
    handle.current = opened;
    return () => {
      opened.close();
      if (handle.current === opened) handle.current = null;
    };
    // args are captured by `key` on purpose: callers name what makes the stream a new one.
  }, [api, name, key, enabled]);
  return handle;
}
