// Pulls and pushes in flight (UI state, zustand): they outlive the Images view, so leaving the
// page does not abort a pull. Progress messages are folded at once but published at most every
// 60 ms, so a fast registry's flood of messages costs a handful of renders per second.
import { create } from 'zustand';
import type { DesktopApi, StreamHandle } from '../../../common/desktop-api.ts';
import { toastError, toastSuccess } from '../../store/toast-store.ts';
import { applyProgress, finishTransfer, newTransfer, type TransferProgress } from './transfer-progress.ts';

export type TransferKind = 'pull' | 'push';

interface TransferState {
  transfers: TransferProgress[];
  start(api: DesktopApi, kind: TransferKind, reference: string, onDone?: () => void): void;
  close(kind: TransferKind, reference: string): void;
}

const handles = new Map<string, StreamHandle<never>>();
const keyOf = (kind: TransferKind, reference: string) => `${kind}:${reference}`;
const PUBLISH_EVERY_MS = 60;

export const useTransfers = create<TransferState>((set, get) => ({
  transfers: [],
  start(api, kind, reference, onDone) {
    const key = keyOf(kind, reference);
    const running = get().transfers.find((t) => keyOf(t.kind, t.reference) === key);
    if (running && !running.finished) return; // the same pull twice is one pull
    handles.get(key)?.close();

    let current = newTransfer(kind, reference);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const publish = () => {
      timer = undefined;
      set((state) => ({ transfers: state.transfers.map((t) => (keyOf(t.kind, t.reference) === key ? current : t)) }));
    };
    const schedule = () => { timer ??= setTimeout(publish, PUBLISH_EVERY_MS); };
    const end = () => {
      if (timer) clearTimeout(timer);
      handles.delete(key);
      current = finishTransfer(current);
      publish();
      const verb = kind === 'pull' ? 'pull' : 'push';
      if (current.error) toastError(`Could not ${verb} ${reference}`, new Error(current.error));
      else toastSuccess(kind === 'pull' ? `Pulled ${reference}` : `Pushed ${reference}`);
      onDone?.();
    };

    set((state) => ({ transfers: [...state.transfers.filter((t) => keyOf(t.kind, t.reference) !== key), current] }));
    const handle = api.open(kind, [reference], {
      next(message) {
        current = applyProgress(current, message);
        schedule();
      },
      error(error) {
        current = applyProgress(current, { error: error.message });
        end();
      },
      complete: end,
    });
    handles.set(key, handle);
  },
  close(kind, reference) {
    const key = keyOf(kind, reference);
    handles.get(key)?.close();
    handles.delete(key);
    set((state) => ({ transfers: state.transfers.filter((t) => keyOf(t.kind, t.reference) !== key) }));
  },
}));
