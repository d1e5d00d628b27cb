// The one build the Build view runs, kept outside React so that leaving the view does not cancel
// it (closing the stream does) and so that 50,000 lines a second cost an append each, not a
// render: the view subscribes and renders at most once a frame (useFrameTick).
import type { BuildItem, BuildSpec, DesktopApi, StreamHandle } from '../../../common/desktop-api.ts';
import { LogBuffer } from '../container-detail/logs/log-buffer.ts';

export interface BuildStep {
  step: number;
  total: number;
  instruction: string;
  /** Dockerfile line of the instruction. */
  line?: number;
  /** Absolute index of its "Step N/M" line in the log. */
  logIndex: number;
}

export type BuildState =
  | { phase: 'idle' }
  | { phase: 'running'; startedAt: number }
  | { phase: 'done'; imageId: string; tags: string[]; durationMs: number }
  | { phase: 'failed'; message: string; line?: number; lineText?: string; durationMs: number }
  | { phase: 'cancelled' };

/** A build log holds its last 200,000 lines (containers' logs hold 1,000,000): with a RUN printing
 * 50,000 lines/s the page's JS heap then stays near 45 MiB instead of ~115 MiB (bench/ui/ui-build.ts). */
const BUILD_LOG_CAPACITY = 200_000;

export class BuildSession {
  buffer = new LogBuffer(BUILD_LOG_CAPACITY);
  state: BuildState = { phase: 'idle' };
  step: BuildStep | undefined;
  spec: BuildSpec | undefined;
  #handle: StreamHandle<never> | undefined;
  readonly #listeners = new Set<() => void>();

  subscribe(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #changed(): void {
    for (const listener of this.#listeners) listener();
  }

  start(api: DesktopApi, spec: BuildSpec, onEnd: () => void): void {
    if (this.state.phase === 'running') return;
    this.buffer = new LogBuffer(BUILD_LOG_CAPACITY);
    this.step = undefined;
    this.spec = spec;
    this.state = { phase: 'running', startedAt: Date.now() };
    this.#changed();
    const handle = api.open('build', [spec], {
      next: (item) => this.#item(item),
      error: (error) => {
        this.state = { phase: 'failed', message: error.message, durationMs: 0 };
        this.#handle = undefined;
        this.#changed();
        onEnd();
      },
      complete: () => {
        this.#handle = undefined;
        this.#changed();
        onEnd();
      },
    });
    this.#handle = handle;
  }

  cancel(): void {
    if (this.state.phase !== 'running') return;
    this.#handle?.close();
    this.#handle = undefined;
    this.state = { phase: 'cancelled' };
    this.#changed();
  }

  #item(item: BuildItem): void {
    switch (item.kind) {
      case 'started': return;
      case 'lines':
        this.buffer.append(item.lines.map((text) => ({ stream: 'stdout' as const, text })));
        break;
      case 'step':
        this.step = { step: item.step, total: item.total, instruction: item.instruction, line: item.line, logIndex: this.buffer.total };
        break;
      case 'done':
        this.state = { phase: 'done', imageId: item.imageId, tags: item.tags, durationMs: item.durationMs };
        break;
      case 'failed':
        this.state = { phase: 'failed', message: item.message, line: item.line, lineText: item.lineText, durationMs: item.durationMs };
        break;
    }
    this.#changed();
  }
}

/** The app's one build (one engine, one Build view). */
export const buildSession = new BuildSession();
