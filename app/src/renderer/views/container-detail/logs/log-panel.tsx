// A followed log with everything the Logs tab offers: search (with previous/next), Follow,
// Timestamps, Copy and Download, the dropped-lines note and the stream's state. Shared by a
// container's Logs tab and a compose project's merged log; each brings its own stream.
import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import { saveBlob } from '../../../components/file-browser/save-blob.ts';
import { toastError, useToasts } from '../../../store/toast-store.ts';
import { exportParts } from './log-export.ts';
import { LogSearchBar } from './log-search-bar.tsx';
import { LogViewport, type LogViewportHandle } from './log-viewport.tsx';
import { useDebouncedValue } from './use-debounced-value.ts';
import { LOG_CAPACITY, type LogStream } from './use-log-stream.ts';
import './logs.css';

export interface LogPanelProps {
  stream: LogStream;
  timestamps: boolean;
  onTimestampsChange(timestamps: boolean): void;
  /** Changes when the stream was reopened: the search starts over. */
  opening: string;
  /** File name of "Download logs", without ".log". */
  downloadName: string;
  /** What the footer says once the stream ended. */
  endedText: string;
  /** The log's accessible name (LogViewport's default when absent). */
  label?: string;
  /** Colours a merged log's source prefix. */
  sourceClass?(source: string): string;
}

export function LogPanel({ stream, timestamps, onTimestampsChange, opening, downloadName, endedText, label, sourceClass }: LogPanelProps) {
  const [following, setFollowing] = useState(true);
  const [queryInput, setQueryInput] = useState('');
  const query = useDebouncedValue(queryInput, 150);
  const [currentLine, setCurrentLine] = useState<number | null>(null);
  const { buffer, search, state, tick, schedule } = stream;
  const viewport = useRef<LogViewportHandle>(null);
  const logElement = useRef<HTMLDivElement>(null);

  useEffect(() => {
    search.setQuery(query);
    setCurrentLine(null);
    schedule();
  }, [search, query, schedule, opening]);

  const count = query === '' ? 0 : search.count;
  const scanning = search.pending;

  // Once hits are known, select one: a hit already in view; else, while following, the newest
  // (the user is watching the end); else the first below the top of the view.
  useLayoutEffect(() => {
    if (currentLine !== null || count === 0 || !viewport.current) return;
    const [top, bottom] = viewport.current.visibleLines();
    const below = search.firstAtOrAfter(top);
    let chosen: number | undefined;
    if (below < count && search.matchLine(below)! <= bottom) chosen = below;
    else if (scanning) chosen = undefined;
    else if (following || below >= count) chosen = count - 1;
    else chosen = below;
    const line = chosen === undefined ? undefined : search.matchLine(chosen);
    if (line === undefined) return;
    setCurrentLine(line);
    viewport.current.revealLine(line);
  }, [tick, count, currentLine, scanning, search, following]);

  const step = useCallback((direction: 1 | -1) => {
    const total = search.count;
    if (total === 0) return;
    let n: number;
    if (currentLine === null) n = direction === 1 ? 0 : total - 1;
    else if (direction === 1) n = search.firstAtOrAfter(currentLine + 1);
    else n = search.firstAtOrAfter(currentLine) - 1;
    n = (n + total) % total;
    const line = search.matchLine(n);
    if (line === undefined) return;
    setCurrentLine(line);
    viewport.current?.revealLine(line);
  }, [search, currentLine]);

  const position = currentLine === null || currentLine < buffer.dropped ? 0 : search.firstAtOrAfter(currentLine) + 1;

  const copy = async () => {
    const selection = window.getSelection();
    const log = logElement.current;
    const selected = selection && !selection.isCollapsed && log?.contains(selection.anchorNode) ? selection.toString() : '';
    const text = selected || exportParts(buffer, timestamps).join('');
    try {
      if (!navigator.clipboard) throw new Error('the clipboard is not available to this page');
      await navigator.clipboard.writeText(text);
      useToasts.getState().push({ kind: 'success', title: selected ? 'Copied the selected lines' : `Copied ${buffer.length.toLocaleString()} lines` });
    } catch (error) {
      toastError('Could not copy the logs', error);
    }
  };

  const download = () => {
    saveBlob(new Blob(exportParts(buffer, timestamps), { type: 'text/plain;charset=utf-8' }), `${downloadName}.log`);
  };

  return (
    <div className="logs-tab" ref={logElement}>
      <div className="logs-toolbar" role="toolbar" aria-label="Log options">
        <LogSearchBar value={queryInput} onChange={setQueryInput} position={position} count={count} scanning={scanning} onStep={step} />
        <label><input type="checkbox" checked={following} onChange={(event) => setFollowing(event.target.checked)} /> Follow</label>
        <label><input type="checkbox" checked={timestamps} onChange={(event) => onTimestampsChange(event.target.checked)} /> Timestamps</label>
        <button type="button" onClick={() => void copy()}>Copy logs</button>
        <button type="button" onClick={download}>Download logs</button>
      </div>
      {buffer.dropped > 0 ? (
        <p className="logs-note">{buffer.dropped.toLocaleString()} older lines dropped (the view keeps the newest {LOG_CAPACITY.toLocaleString()}).</p>
      ) : buffer.length >= LOG_CAPACITY && (
        <p className="logs-note">Showing the newest {LOG_CAPACITY.toLocaleString()} lines; older ones stay in the engine (<code>docker logs</code>).</p>
      )}
      <LogViewport
        ref={viewport}
        buffer={buffer}
        tick={tick}
        following={following}
        onFollowingChange={setFollowing}
        query={query}
        currentLine={currentLine}
        showTimestamps={timestamps}
        label={label}
        sourceClass={sourceClass}
      />
      <div className="logs-footer">
        {state.phase === 'loading' && buffer.length === 0 && <span>Waiting for output…</span>}
        {state.phase === 'ended' && <span>{endedText}</span>}
        {state.phase === 'failed' && <span role="alert">Logs could not be read: {state.message}</span>}
        {!following && <button type="button" onClick={() => setFollowing(true)}>Jump to latest</button>}
        <span className="logs-count">{buffer.length.toLocaleString()} lines</span>
      </div>
    </div>
  );
}
