// Compose CLI runs (UI state, zustand): a run outlives the view that started it, so leaving the
// Compose page does not stop an `up` half way. One run at a time per project; its output is kept
// (the newest MAX_LINES) and published at most every 60 ms.
import { create } from 'zustand';
import type { ComposeCommand, ComposeFiles, ComposeOutput, DesktopApi, StreamHandle } from '../../../common/desktop-api.ts';
import { toastSuccess } from '../../store/toast-store.ts';

const MAX_LINES = 5000;
const PUBLISH_EVERY_MS = 60;

export interface ComposeRun {
  files: ComposeFiles;
  command: ComposeCommand;
  lines: { stream: 'stdout' | 'stderr'; text: string }[];
  phase: 'running' | 'done' | 'failed';
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
}

let handle: StreamHandle<never> | undefined;

export const useComposeRun = create<ComposeRunState>((set, get) => ({
  run: undefined,
  show(files) {
    if (get().run?.phase === 'running') return;
    set({ run: { files, command: 'up', lines: [], phase: 'done' } });
  },
  clear() {
    if (get().run?.phase === 'running') return;
    set({ run: undefined });
  },
  start(api, files, command, onDone) {
    if (get().run?.phase === 'running') return;
    handle?.close();
    let current: ComposeRun = { files, command, lines: [], phase: 'running' };
    let timer: ReturnType<typeof setTimeout> | undefined;
    const publish = () => {
      timer = undefined;
      set({ run: current });
    };
    const end = (next: Partial<ComposeRun>) => {
      if (timer) clearTimeout(timer);
      handle = undefined;
      current = { ...current, ...next };
      publish();
      onDone?.();
    };
    set({ run: current });
    handle = api.open('compose', [files, command], {
      next(items: ComposeOutput[]) {
        let lines = current.lines;
        let exit = current.exit;
        for (const item of items) {
          if ('exit' in item) exit = item.exit;
          else lines = [...lines, item];
        }
        if (lines.length > MAX_LINES) lines = lines.slice(-MAX_LINES);
        current = { ...current, lines, exit };
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
  },
}));
