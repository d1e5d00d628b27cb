// Newline-delimited JSON from a byte stream (GET /events, pull and push progress): chunks may split
// a message — or a multi-byte UTF-8 character — anywhere, so bytes are decoded with a streaming
// decoder and only complete lines are parsed.
export class NdjsonSplitter<T> {
  private readonly decoder = new TextDecoder('utf-8');
  private pending = '';
  private readonly onValue: (value: T) => void;
  private readonly onBadLine: (line: string) => void;

  constructor(onValue: (value: T) => void, onBadLine: (line: string) => void = () => {}) {
    this.onValue = onValue;
    this.onBadLine = onBadLine;
  }

  push(chunk: Uint8Array): void {
    this.feed(this.decoder.decode(chunk, { stream: true }));
  }

  /** The stream ended: a last line without a newline still counts. */
  end(): void {
    this.feed(this.decoder.decode());
    const rest = this.pending;
    this.pending = '';
    this.parse(rest);
  }

  private feed(text: string): void {
    let start = 0;
    const all = this.pending + text;
    for (let newline = all.indexOf('\n'); newline !== -1; newline = all.indexOf('\n', start)) {
      this.parse(all.slice(start, newline));
      start = newline + 1;
    }
    this.pending = all.slice(start);
  }

  private parse(line: string): void {
    const trimmed = line.trim();
    if (trimmed === '') return;
    let value: T;
    try {
      value = JSON.parse(trimmed) as T;
    } catch {
      this.onBadLine(trimmed);
      return;
    }
    this.onValue(value);
  }
}
