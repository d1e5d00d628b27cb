// Compose CLI runs (UI state, zustand): a run outlives the view that started it, so leaving the
// Compose page does not stop an `up` half way; Cancel does (the backend stops the CLI). One run at
// a time; its output is kept (the newest MAX_LINES, with a count of the older ones dropped) and
// published at most every 60 ms.
import { create } from 'zustand';
import type { ComposeCommand, ComposeFiles, ComposeOutput, DesktopApi, StreamHandle } from '../../../common/desktop-api.ts';
import { toastSuccess } from '../../store/toast-store.ts';

export const MAX_LINES = 5000;
const PUBLISH_EVERY_MS = 60;

export interface ComposeRun {
  files: ComposeFiles;
  command: ComposeCommand;
  lines: { stream: 'stdout' | 'stderr'; text: string }[];
  /** Older lines no longer kept. */
  dropped: number;
  phase: 'running' | 'done' | 'failed' | 'cancelled';
  /** The CLI's own message when it failed. */
  error?: string;
  exit?: number;
}

interface ComposeRunState {
  run: ComposeRun | undefined;
  start(api: DesktopApi, files: ComposeFiles, command: ComposeCommand, onDone?: () => void): void;
  /** Shows files without running anything (a file just chosen). */
  show(files: ComposeFiles): void;
  clear(): void;
  /** Stops the running CLI (closing its stream). */
  cancel(): void;
}

let handle: StreamHandle<never> | undefined;
let cancelRunning: (() => void) | undefined;

export const useComposeRun = create<ComposeRunState>((set, get) => ({
  run: undefined,
  show(files) {
    if (get().run?.phase === 'running') return;
    set({ run: { files, command: 'up', lines: [], dropped: 0, phase: 'done' } });
  },
  clear() {
    if (get().run?.phase === 'running') return;
    set({ run: undefined });
  },
  cancel() {
    cancelRunning?.();
  },
  start(api, files, command, onDone) {
    if (get().run?.phase === 'running') return;
    handle?.close();
    let current: ComposeRun = { files, command, lines: [], dropped: 0, phase: 'running' };
    let timer: ReturnType<typeof setTimeout> | undefined;
    const publish = () => {
      timer = undefined;
      set({ run: current });
    };
    const end = (next: Partial<ComposeRun>) => {
      if (timer) clearTimeout(timer);
      handle = undefined;
      cancelRunning = undefined;
      current = { ...current, ...next };
      publish();
      onDone?.();
    };
    set({ run: current });
    handle = api.open('compose', [files, command], {
      next(items: ComposeOutput[]) {
        let exit = current.exit;
        const added: ComposeRun['lines'] = [];
        for (const item of items) {
          if ('exit' in item) exit = item.exit;
          else added.push(item);
        }
        // One copy per batch (not per line): a CLI printing thousands of lines stays linear.
        let lines = added.length > 0 ? current.lines.concat(added) : current.lines;
        let dropped = current.dropped;
        if (lines.length > MAX_LINES) {
          dropped += lines.length - MAX_LINES;
          lines = lines.slice(-MAX_LINES);
        }
        current = { ...current, lines, dropped, exit };
        timer ??= setTimeout(publish, PUBLISH_EVERY_MS);
      },
      error(error) {
        end({ phase: 'failed', error: error.message });
      },
      complete() {
        end({ phase: 'done' });
        toastSuccess(`compose ${command} finished`, files.files.join(', '));
      },
    });
    cancelRunning = () => {
      handle?.close();
      end({ phase: 'cancelled' });
    };
  },
}));
