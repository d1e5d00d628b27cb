// Opens the `logs` stream for a container (or any stream of log lines) into a LogBuffer (outside
// React state) and reports its progress. Lines are appended as batches arrive; the view re-renders at most once a frame.
//
// tail: the buffer keeps at most LOG_CAPACITY lines, so asking the engine for more than that
// (tail=all on a container with a huge log) would only be read, sent and dropped. Asking for the
// last LOG_CAPACITY lines shows exactly what tail=all would have left in the buffer, as Docker
// Desktop shows "everything", at bounded cost.
import { useEffect, useMemo, useState } from 'react';
import type { DesktopStreams, LogLine, StreamName } from '../../../../common/desktop-api.ts';
import { useStream } from '../../../api/use-stream.ts';
import { DEFAULT_LOG_CAPACITY, LogBuffer } from './log-buffer.ts';
import { LogSearch } from './log-search.ts';
import { useFrameTick } from './use-frame-tick.ts';

export const LOG_CAPACITY = DEFAULT_LOG_CAPACITY;
/** Time a frame may spend scanning for search hits. */
const SEARCH_BUDGET_MS = 6;

export type LogStreamState =
  | { phase: 'loading' }
  | { phase: 'streaming' }
  | { phase: 'ended' }
  | { phase: 'failed'; message: string };

export interface LogStream {
  buffer: LogBuffer;
  search: LogSearch;
  state: LogStreamState;
  /** Changes whenever the buffer or the search changed (at most once a frame). */
  tick: number;
  /** Ask for a frame (e.g. after changing the search query). */
  schedule(): void;
}

/** `generation` names one opening of the stream: change it to clear the buffer and reopen. */
export function useLogStream(id: string, timestamps: boolean, generation: string): LogStream {
  return useLogLines('logs', [id, { follow: true, tail: LOG_CAPACITY, timestamps }], `${id}\n${timestamps}\n${generation}`);
}

type LineStreamName = { [K in StreamName]: DesktopStreams[K]['item'] extends LogLine[] ? K : never }[StreamName];

/**
 * Any stream of log-line batches (a container's `logs`, a compose project's `composeLogs`) into a
 * LogBuffer with its search. `key` names one opening: a new key clears the buffer and reopens.
 */
export function useLogLines<K extends LineStreamName>(name: K, args: DesktopStreams[K]['args'], key: string): LogStream {
  const buffer = useMemo(() => new LogBuffer(LOG_CAPACITY), []);
  const search = useMemo(() => new LogSearch(buffer), [buffer]);
  const [state, setState] = useState<LogStreamState>({ phase: 'loading' });
  const [tick, schedule] = useFrameTick(() => search.pending && !search.step(SEARCH_BUDGET_MS));

  // Declared before useStream so that it runs first: a new opening starts from an empty buffer.
  useEffect(() => {
    buffer.clear();
    search.reset();
    setState({ phase: 'loading' });
    schedule();
  }, [buffer, search, schedule, key]);

  useStream(name, args, key, {
    next(lines) {
      buffer.append(lines as LogLine[]);
      setState((previous) => (previous.phase === 'loading' ? { phase: 'streaming' } : previous));
      schedule();
    },
    error(error) {
      setState({ phase: 'failed', message: error.message });
    },
    complete() {
      setState({ phase: 'ended' });
      schedule();
    },
  });

  return { buffer, search, state, tick, schedule };
}
