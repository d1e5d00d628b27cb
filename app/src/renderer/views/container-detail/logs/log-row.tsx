// One log line on screen: its ANSI colours, search hits as <mark> (the current hit marked
// aria-current), and stderr lines styled apart with a visually hidden "stderr" marker for screen
// readers. Only the rows in the virtual window are ever rendered.
import { memo, type CSSProperties } from 'react';
import { parseAnsi, type AnsiSegment, type AnsiStyle } from './ansi.ts';
import { matchRanges } from './log-search.ts';

export interface Piece {
  text: string;
  style: AnsiStyle;
  highlighted: boolean;
}

/** Cuts styled segments at the highlight ranges (offsets into the concatenated plain text). */
export function splitForHighlights(segments: readonly AnsiSegment[], ranges: readonly [number, number][]): Piece[] {
  const pieces: Piece[] = [];
  let offset = 0;
  let r = 0;
  for (const segment of segments) {
    const segmentEnd = offset + segment.text.length;
    let at = offset;
    while (at < segmentEnd) {
      while (r < ranges.length && ranges[r][1] <= at) r++;
      const range = ranges[r];
      if (!range || range[0] >= segmentEnd) {
        pieces.push({ text: segment.text.slice(at - offset), style: segment.style, highlighted: false });
        at = segmentEnd;
      } else if (range[0] > at) {
        pieces.push({ text: segment.text.slice(at - offset, range[0] - offset), style: segment.style, highlighted: false });
        at = range[0];
      } else {
        const cut = Math.min(range[1], segmentEnd);
        pieces.push({ text: segment.text.slice(at - offset, cut - offset), style: segment.style, highlighted: true });
        at = cut;
      }
    }
    offset = segmentEnd;
  }
  return pieces;
}

function pieceStyle(style: AnsiStyle): CSSProperties | undefined {
  if (style.fg === undefined && style.bg === undefined && !style.bold) return undefined;
  return {
    ...(style.fg !== undefined ? { color: `var(--ansi-${style.fg})` } : {}),
    ...(style.bg !== undefined ? { backgroundColor: `var(--ansi-${style.bg})` } : {}),
    ...(style.bold ? { fontWeight: 'bold' } : {}),
  };
}

export interface LogRowProps {
  text: string;
  stderr: boolean;
  timestamp: string | undefined;
  query: string;
  /** This line holds the current search hit. */
  current: boolean;
  showTimestamp: boolean;
  /** A merged log's service, shown before the text in its own colour. */
  source?: string;
  sourceClass?: string;
}

export const LogRow = memo(function LogRow({ text, stderr, timestamp, query, current, showTimestamp, source, sourceClass }: LogRowProps) {
  const segments = parseAnsi(text);
  const plain = segments.length === 1 ? segments[0].text : segments.map((s) => s.text).join('');
  const pieces = splitForHighlights(segments, matchRanges(plain, query));
  return (
    <>
      {stderr && <span className="visually-hidden log-marker">stderr: </span>}
      {showTimestamp && timestamp && <span className="log-timestamp">{timestamp} </span>}
      {source !== undefined && <span className={`log-source ${sourceClass ?? ''}`}>{source} | </span>}
      {pieces.map((piece, i) => {
        const style = pieceStyle(piece.style);
        if (piece.highlighted) return <mark key={i} style={style} className={current ? 'log-hit-current' : undefined} aria-current={current || undefined}>{piece.text}</mark>;
        return style ? <span key={i} style={style}>{piece.text}</span> : piece.text;
      })}
    </>
  );
});
