// The one place toasts appear (README.md: errors are `alert`s with a Dismiss button, successes
// are `status`es). Each toast is its own live region so a screen reader reads each once.
import { useToasts, type Toast } from '../store/toast-store.ts';

function ToastItem({ toast }: { toast: Toast }) {
  const dismiss = useToasts((state) => state.dismiss);
  return (
    <div role={toast.kind === 'error' ? 'alert' : 'status'} className={`toast toast-${toast.kind}`}>
      <div className="toast-text">
        <strong className="toast-title">{toast.title}</strong>
        {toast.detail && <span className="toast-detail">{toast.detail}</span>}
      </div>
      <div className="toast-buttons">
        {toast.action && (
          <button type="button" onClick={() => { dismiss(toast.id); toast.action?.run(); }}>{toast.action.label}</button>
        )}
        <button type="button" onClick={() => dismiss(toast.id)}>Dismiss</button>
      </div>
    </div>
  );
}

export function ToastViewport() {
  const toasts = useToasts((state) => state.toasts);
  return (
    <div className="toast-viewport">
      {toasts.map((toast) => <ToastItem key={toast.id} toast={toast} />)}
    </div>
  );
}
