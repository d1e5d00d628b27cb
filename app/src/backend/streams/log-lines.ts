// Raw bytes of GET /containers/{id}/logs → LogLine objects: demultiplexed when the container has no
// TTY (stream-frames.ts), raw stdout when it has one, split into lines per stream, and with the
// RFC 3339 timestamp the engine puts before each line (timestamps=1) moved into its own field.
import type { LogLine } from '../../common/desktop-api.ts';
import { LineSplitter } from './line-splitter.ts';
import { FrameDemuxer, type FrameStream } from './stream-frames.ts';

/** The engine's per-record prefix with timestamps=1: RFC 3339 (nanoseconds) and a space. */
const RECORD_TIMESTAMP = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d) /;

/** Longer than any RFC 3339 timestamp with nanoseconds and an offset, plus its space. */
const PREFIX_MAX = 40;

export class LogLineParser {
  private readonly demuxer: FrameDemuxer | undefined;
  private readonly splitters: Record<FrameStream, LineSplitter>;

  /** `onLine` receives each complete line in order. */
  constructor(options: { tty: boolean; timestamps: boolean }, onLine: (line: LogLine) => void) {
    const make = (stream: FrameStream) => new LineSplitter((text) => {
      if (options.timestamps) {
        const space = text.indexOf(' ');
        // "2024-05-01T10:00:00.123456789Z text": the engine always writes the timestamp first.
        if (space > 0 && /^\d{4}-\d\d-\d\dT/.test(text)) {
          onLine({ stream, timestamp: text.slice(0, space), text: text.slice(space + 1) });
          return;
        }
      }
      onLine({ stream, text });
    });
    this.splitters = { stdout: make('stdout'), stderr: make('stderr') };
    this.timestamps = options.timestamps;
    this.demuxer = options.tty ? undefined : new FrameDemuxer((stream, payload, frameStart) => this.record(stream, payload, frameStart));
  }

  private readonly timestamps: boolean;
  private holding: { stream: FrameStream; bytes: Buffer } | undefined;

  push(chunk: Buffer): void {
    if (this.demuxer) this.demuxer.push(chunk);
    // TTY logs have no frames: each chunk is the best guess at a record's start.
    else this.record('stdout', chunk, true);
  }

  /**
   * A record that continues a partial line (the process wrote "part", then "ial\n") carries its
   * own timestamp; the line keeps the first one, so the continuation's prefix is dropped. The
   * prefix itself may arrive cut across chunks, so the start of such a record is held until it
   * shows whether it begins with a timestamp.
   */
  private record(stream: FrameStream, payload: Buffer, recordStart: boolean): void {
    if (recordStart) this.release();
    if (this.timestamps && recordStart && this.splitters[stream].midLine) this.holding = { stream, bytes: Buffer.alloc(0) };
    const holding = this.holding;
    if (!holding) {
      this.splitters[stream].push(payload);
      return;
    }
    holding.bytes = Buffer.concat([holding.bytes, payload]);
    const head = holding.bytes.subarray(0, PREFIX_MAX).toString('latin1');
    if (!head.includes(' ') && holding.bytes.length < PREFIX_MAX) return; // not enough to tell yet
    this.holding = undefined;
    const match = RECORD_TIMESTAMP.exec(head);
    this.splitters[holding.stream].push(match ? holding.bytes.subarray(match[0].length) : holding.bytes);
  }

  /** A held record start that never grew long enough to tell: it is text, pass it on. */
  private release(): void {
    const holding = this.holding;
    this.holding = undefined;
    if (holding) this.splitters[holding.stream].push(holding.bytes);
  }

  end(): void {
    this.release();
    this.splitters.stdout.end();
    this.splitters.stderr.end();
  }
}
