// Toasts are UI state (zustand, DESIGN.md rule 7): any component reports an outcome, and the one
// viewport in the app shell shows it. Errors stay until dismissed; successes fade.
import { create } from 'zustand';

export interface ToastAction {
  label: string;
  run(): void;
}

export interface Toast {
  id: number;
  kind: 'error' | 'success' | 'info';
  title: string;
  detail?: string;
  /** A follow-up the user may take from the toast ("Delete anyway"). */
  action?: ToastAction;
}

interface ToastState {
  toasts: Toast[];
  push(toast: Omit<Toast, 'id'>): number;
  dismiss(id: number): void;
}

let nextToastId = 1;

export const useToasts = create<ToastState>((set) => ({
  toasts: [],
  push(toast) {
    const id = nextToastId++;
    set((state) => ({ toasts: [...state.toasts.slice(-4), { ...toast, id }] }));
    if (toast.kind !== 'error') setTimeout(() => set((state) => ({ toasts: state.toasts.filter((t) => t.id !== id) })), 4000);
    return id;
  },
  dismiss(id) {
    set((state) => ({ toasts: state.toasts.filter((t) => t.id !== id) }));
  },
}));

/** Shorthand for the common case: an action failed, say what and why. */
export function toastError(title: string, error: unknown, action?: ToastAction): void {
  const detail = error instanceof Error ? error.message : String(error);
  useToasts.getState().push({ kind: 'error', title, detail, action });
}

/** An action worked: a status that fades. */
export function toastSuccess(title: string, detail?: string): void {
  useToasts.getState().push({ kind: 'success', title, detail });
}
