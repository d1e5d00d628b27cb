// Bytes of one output stream (stdout or stderr) → text lines. UTF-8 is decoded with a streaming
// decoder (a character may straddle two frames), a line may span frames and chunks, and the \r
// of a CRLF line end (TTY output) is dropped.
export class LineSplitter {
  private readonly decoder = new TextDecoder('utf-8');
  private partial = '';
  private readonly onLine: (line: string) => void;

  constructor(onLine: (line: string) => void) {
    this.onLine = onLine;
  }

  /** True while a line has started but not ended. */
  get midLine(): boolean {
    return this.partial !== '';
  }

  push(bytes: Uint8Array): void {
    const text = this.decoder.decode(bytes, { stream: true });
    let start = 0;
    let newline = text.indexOf('\n');
    if (newline === -1) {
      this.partial += text;
      return;
    }
    let line = this.partial + text.slice(0, newline);
    this.partial = '';
    for (;;) {
      this.onLine(line.endsWith('\r') ? line.slice(0, -1) : line);
      start = newline + 1;
      newline = text.indexOf('\n', start);
      if (newline === -1) break;
      line = text.slice(start, newline);
    }
    this.partial = text.slice(start);
  }

  /** The stream ended: a last line without a newline is still a line. */
  end(): void {
    const rest = this.partial + this.decoder.decode();
    this.partial = '';
    if (rest !== '') this.onLine(rest.endsWith('\r') ? rest.slice(0, -1) : rest);
  }
}
