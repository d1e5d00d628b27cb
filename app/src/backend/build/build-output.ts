// Reads the classic builder's output (newline-delimited JSON: {stream}, {aux:{ID}},
// {errorDetail, error}) into lines, step announcements ("Step N/M : …") and the outcome. The
// `stream` texts are cut anywhere (a RUN's output arrives as the container writes it), so lines are
// reassembled here.
import { NdjsonSplitter } from '../ndjson-splitter.ts';

export interface BuildOutputEvents {
  line(text: string): void;
  step(step: number, total: number, instruction: string): void;
  imageId(id: string): void;
  error(message: string): void;
}

interface BuildMessage {
  stream?: string;
  aux?: { ID?: string };
  error?: string;
  errorDetail?: { message?: string };
}

const STEP = /^Step (\d+)\/(\d+) : (.*)$/;
const ANSI_SGR = /\x1b\[[0-9;]*m/g;

export class BuildOutputParser {
  readonly #events: BuildOutputEvents;
  readonly #splitter: NdjsonSplitter<BuildMessage>;
  #partial = '';

  constructor(events: BuildOutputEvents) {
    this.#events = events;
    this.#splitter = new NdjsonSplitter<BuildMessage>((message) => this.#message(message));
  }

  push(chunk: Buffer): void {
    this.#splitter.push(chunk);
  }

  end(): void {
    this.#splitter.end();
    this.#flushPartial();
  }

  #message(message: BuildMessage): void {
    if (typeof message.stream === 'string') this.#text(message.stream);
    if (typeof message.aux?.ID === 'string') this.#events.imageId(message.aux.ID);
    if (message.errorDetail || message.error) {
      this.#flushPartial();
      this.#events.error(message.errorDetail?.message ?? message.error ?? 'the build failed');
    }
  }

  #text(text: string): void {
    const parts = (this.#partial + text).split('\n');
    this.#partial = parts.pop() ?? '';
    for (const part of parts) this.#line(part.endsWith('\r') ? part.slice(0, -1) : part);
  }

  #line(text: string): void {
    const step = STEP.exec(text);
    if (step) this.#events.step(Number(step[1]), Number(step[2]), step[3]);
    // RUN stderr comes wrapped in colour escapes for terminals (and a pair may span lines).
    this.#events.line(text.replace(ANSI_SGR, ''));
  }

  #flushPartial(): void {
    if (this.#partial === '') return;
    const rest = this.#partial;
    this.#partial = '';
    this.#line(rest);
  }
}
