// A modal dialog on the platform's <dialog>: showModal() makes the rest of the page inert (so
// focus stays inside and screen readers see only the dialog), Escape cancels, and focus returns
// to where it was when the dialog closes. Named by its heading, as README.md asks ("Run <image>").
import { useEffect, useId, useRef, type FormEvent, type ReactNode } from 'react';

export interface ModalDialogProps {
  title: string;
  onClose(): void;
  /** When given, the body is a form and Enter submits it. */
  onSubmit?(): void;
  children: ReactNode;
  /** The buttons row at the bottom (Cancel + the primary action). */
  actions: ReactNode;
  role?: 'dialog' | 'alertdialog';
  className?: string;
}

export function ModalDialog({ title, onClose, onSubmit, children, actions, role, className }: ModalDialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const headingId = useId();
  const latestClose = useRef(onClose);
  latestClose.current = onClose;

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return undefined;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    // jsdom (unit tests) has no showModal(); the open attribute shows the same content there.
    if (typeof dialog.showModal === 'function') dialog.showModal();
    else dialog.setAttribute('open', '');
    const first = dialog.querySelector<HTMLElement>('[data-autofocus], input, textarea, select, button');
    first?.focus();
    return () => {
      if (typeof dialog.close === 'function' && dialog.open) dialog.close();
      opener?.focus();
    };
  }, []);

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return undefined;
    // The browser fires `cancel` on Escape; keep React in charge of closing.
    const cancel = (event: Event) => {
      event.preventDefault();
      latestClose.current();
    };
    const escape = (event: KeyboardEvent) => {
      if (event.key === 'Escape' && typeof dialog.showModal !== 'function') latestClose.current();
    };
    dialog.addEventListener('cancel', cancel);
    dialog.addEventListener('keydown', escape);
    return () => {
      dialog.removeEventListener('cancel', cancel);
      dialog.removeEventListener('keydown', escape);
    };
  }, []);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    onSubmit?.();
  };

  const body = (
    <>
      <h2 id={headingId} className="dialog-title">{title}</h2>
      <div className="dialog-body">{children}</div>
      <div className="dialog-actions">{actions}</div>
    </>
  );
  return (
    <dialog ref={ref} className={`modal-dialog ${className ?? ''}`} aria-labelledby={headingId} role={role === 'alertdialog' ? 'alertdialog' : undefined} aria-modal="true">
      {onSubmit ? <form onSubmit={submit} noValidate>{body}</form> : body}
    </dialog>
  );
}

/** Cancel plus the form's submit button, busy while its mutation runs: every form dialog's actions. */
export function SubmitActions({ label, pending, onCancel }: { label: string; pending: boolean; onCancel(): void }) {
  return (
    <>
      <button type="button" onClick={onCancel}>Cancel</button>
      <button type="submit" className="primary" disabled={pending} aria-busy={pending || undefined}>{label}</button>
    </>
  );
}

/** "Delete web?" with Delete / Cancel: the one confirmation every destructive action uses. */
export function ConfirmDialog(props: {
  title: string;
  message: ReactNode;
  confirmLabel: string;
  onConfirm(): void;
  onCancel(): void;
  danger?: boolean;
}) {
  return (
    <ModalDialog
      title={props.title}
      onClose={props.onCancel}
      onSubmit={props.onConfirm}
      actions={(
        <>
          <button type="button" onClick={props.onCancel}>Cancel</button>
          <button type="submit" className={props.danger === false ? 'primary' : 'danger'} data-autofocus>{props.confirmLabel}</button>
        </>
      )}
    >
      <p>{props.message}</p>
    </ModalDialog>
  );
}
