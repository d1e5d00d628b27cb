// The scrolling log: fixed-height rows, only the ones in view (plus a few) in the DOM.
//
// Why not @tanstack/react-virtual here: its virtualizer recomputes every item's offset whenever
// `count` changes (O(count), with fresh arrays of that size). Following a container that prints
// 100,000 lines/s changes the count every frame; measured with virtual-core 3.19 in Node, growing
// to 1,000,000 rows cost 22 ms per frame on average and up to 1.1 s in GC pauses. Rows here all
// have one height, so the window is two divisions: O(1) per frame at any length.
//
// Following: the view sticks to the bottom. A user scroll upwards pauses following (as Docker
// Desktop does); scrolling back to the bottom resumes it. While paused, dropping the oldest lines
// keeps the rows on screen in place: positions are kept in "absolute" pixels (line index since
// the stream opened × row height) and mapped to the element's scrollTop on each render.
import { useImperativeHandle, useLayoutEffect, useRef, useState, type Ref } from 'react';
import type { LogBuffer } from './log-buffer.ts';
import { LogRow } from './log-row.tsx';

export const ROW_HEIGHT = 18;
const OVERSCAN = 12;

export interface LogViewportHandle {
  /** Scrolls so that the line (absolute index) is in view, pausing following if it moves. */
  revealLine(absolute: number): void;
  /** The absolute indices of the first and last lines in view. */
  visibleLines(): [first: number, last: number];
}

export interface LogViewportProps {
  ref?: Ref<LogViewportHandle>;
  buffer: LogBuffer;
  /** Changes when the buffer did (forces a render). */
  tick: number;
  following: boolean;
  onFollowingChange(following: boolean): void;
  query: string;
  currentLine: number | null;
  showTimestamps: boolean;
  /** The log's accessible name; "Container logs" unless given. */
  label?: string;
  /** The class that colours a source's prefix (merged compose logs). */
  sourceClass?(source: string): string;
  /** A line (absolute index) marked as the current step (aria-current="step"): the build log's. */
  currentStep?: number;
}

export function LogViewport(props: LogViewportProps) {
  const { buffer, following, onFollowingChange } = props;
  const element = useRef<HTMLDivElement>(null);
  const [viewportHeight, setViewportHeight] = useState(600);
  /** Where the user left the view, in absolute pixels; ignored while following. */
  const [anchorTop, setAnchorTop] = useState(0);
  /** The scrollTop we set ourselves last (its scroll event is not the user's). */
  const ownScroll = useRef(-1);
  const lastUserTop = useRef(0);

  const length = buffer.length;
  const dropped = buffer.dropped;
  const maxTop = Math.max(0, length * ROW_HEIGHT - viewportHeight);
  const top = following ? maxTop : Math.min(maxTop, Math.max(0, anchorTop - dropped * ROW_HEIGHT));
  const first = Math.max(0, Math.floor(top / ROW_HEIGHT) - OVERSCAN);
  const last = Math.min(length, Math.ceil((top + viewportHeight) / ROW_HEIGHT) + OVERSCAN);

  useLayoutEffect(() => {
    const el = element.current;
    if (!el) return undefined;
    setViewportHeight(el.clientHeight);
    const observer = new ResizeObserver(() => setViewportHeight(el.clientHeight));
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  useLayoutEffect(() => {
    const el = element.current;
    if (el && Math.abs(el.scrollTop - top) >= 1) {
      ownScroll.current = top;
      el.scrollTop = top;
    }
  });

  const onScroll = () => {
    const el = element.current;
    if (!el) return;
    const scrollTop = el.scrollTop;
    if (Math.abs(scrollTop - ownScroll.current) < 1) return;
    ownScroll.current = -1;
    const atBottom = scrollTop >= el.scrollHeight - el.clientHeight - ROW_HEIGHT / 2;
    if (following && !atBottom) onFollowingChange(false);
    else if (!following && atBottom && scrollTop > lastUserTop.current) onFollowingChange(true);
    lastUserTop.current = scrollTop;
    setAnchorTop(scrollTop + buffer.dropped * ROW_HEIGHT);
  };

  useImperativeHandle(props.ref, () => ({
    revealLine(absolute) {
      const el = element.current;
      const scrollTop = el ? el.scrollTop : top;
      const height = el ? el.clientHeight : viewportHeight;
      const rowTop = (absolute - buffer.dropped) * ROW_HEIGHT;
      if (rowTop >= scrollTop && rowTop + ROW_HEIGHT <= scrollTop + height) return;
      onFollowingChange(false);
      setAnchorTop(absolute * ROW_HEIGHT - Math.max(0, viewportHeight / 2 - ROW_HEIGHT));
    },
    visibleLines() {
      // Read from the element: while following, `top` of the last render is already stale.
      const el = element.current;
      const scrollTop = el ? el.scrollTop : top;
      const height = el ? el.clientHeight : viewportHeight;
      return [buffer.dropped + Math.floor(scrollTop / ROW_HEIGHT), buffer.dropped + Math.ceil((scrollTop + height) / ROW_HEIGHT) - 1];
    },
  }), [buffer, top, viewportHeight, onFollowingChange]);

  const rows = [];
  for (let index = first; index < last; index++) {
    const line = buffer.at(index);
    if (!line) continue;
    const absolute = dropped + index;
    rows.push(
      <div key={absolute} className={['log-line', line.stderr ? 'log-stderr' : '', absolute === props.currentStep ? 'log-step-current' : ''].filter(Boolean).join(' ')}
        aria-current={absolute === props.currentStep ? 'step' : undefined}>
        <LogRow text={line.text} stderr={line.stderr} timestamp={line.timestamp} query={props.query} current={absolute === props.currentLine} showTimestamp={props.showTimestamps}
          source={line.source} sourceClass={line.source === undefined ? undefined : props.sourceClass?.(line.source)} />
      </div>,
    );
  }

  return (
    // aria-live off: a log printing thousands of lines a second would drown a screen reader; the
    // region stays focusable and readable on demand.
    <div ref={element} className="log-viewport" role="log" aria-label={props.label ?? 'Container logs'} aria-live="off" tabIndex={0} onScroll={onScroll}>
      <div className="log-spacer" style={{ height: length * ROW_HEIGHT }}>
        <div className="log-rows" style={{ transform: `translateY(${first * ROW_HEIGHT}px)` }}>{rows}</div>
      </div>
    </div>
  );
}
