// The buffered lines as text, for "Copy logs" and "Download logs": ANSI escapes stripped (a file
// viewer or a paste target would show them as garbage), timestamps kept when they are shown, and
// a merged log's source ("web | ") kept as the view shows it.
import { stripAnsi } from './ansi.ts';
import type { LogBuffer } from './log-buffer.ts';

/** One string per chunk, so a million lines become a few hundred Blob parts, not one giant string. */
export function exportParts(buffer: LogBuffer, withTimestamps: boolean): string[] {
  const parts: string[] = [];
  // A buffer holds one stream's lines: all with a source (merged) or none.
  const withSources = buffer.at(0)?.source !== undefined;
  buffer.forEachRun(buffer.dropped, buffer.total, (texts, start, end, absoluteStart) => {
    let part = '';
    for (let i = start; i < end; i++) {
      const text = stripAnsi(texts[i]);
      const line = withTimestamps || withSources ? buffer.atAbsolute(absoluteStart + (i - start)) : undefined;
      const timestamp = withTimestamps ? line?.timestamp : undefined;
      const source = line?.source === undefined ? '' : `${line.source} | `;
      part += timestamp ? `${timestamp} ${source}${text}\n` : `${source}${text}\n`;
    }
    parts.push(part);
  });
  return parts;
}
