// The buffered lines as text, for "Copy logs" and "Download logs": ANSI escapes stripped (a file
// viewer or a paste target would show them as garbage), timestamps kept when they are shown.
import { stripAnsi } from './ansi.ts';
import type { LogBuffer } from './log-buffer.ts';

/** One string per chunk, so a million lines become a few hundred Blob parts, not one giant string. */
export function exportParts(buffer: LogBuffer, withTimestamps: boolean): string[] {
  const parts: string[] = [];
  buffer.forEachRun(buffer.dropped, buffer.total, (texts, start, end, absoluteStart) => {
    let part = '';
    for (let i = start; i < end; i++) {
      const text = stripAnsi(texts[i]);
      const timestamp = withTimestamps ? buffer.atAbsolute(absoluteStart + (i - start))?.timestamp : undefined;
      part += timestamp ? `${timestamp} ${text}\n` : `${text}\n`;
    }
    parts.push(part);
  });
  return parts;
}
