// Small one-field dialogs of the Swarm view: a replica count, an image reference.
import { useId, useState } from 'react';
import { ModalDialog, SubmitActions } from '../../components/modal-dialog.tsx';

export function NumberDialog(props: { title: string; label: string; initial: number; min: number; max: number; onCancel(): void; onSubmit(value: number): void }) {
  const id = useId();
  const [text, setText] = useState(String(props.initial));
  const value = Number(text);
  const valid = /^\d+$/.test(text.trim()) && value >= props.min && value <= props.max;
  return (
    <ModalDialog title={props.title} onClose={props.onCancel} onSubmit={() => valid && props.onSubmit(value)}
      actions={<SubmitActions label="Apply" pending={false} onCancel={props.onCancel} />}>
      <div className="field">
        <label htmlFor={id}>{props.label}</label>
        <input id={id} type="number" min={props.min} max={props.max} value={text} onChange={(e) => setText(e.target.value)} aria-invalid={!valid || undefined} />
        {!valid && <span className="error">a whole number from {props.min} to {props.max}</span>}
      </div>
    </ModalDialog>
  );
}

export function TextDialog(props: { title: string; label: string; initial: string; submitLabel: string; onCancel(): void; onSubmit(value: string): void }) {
  const id = useId();
  const [text, setText] = useState(props.initial);
  const valid = text.trim() !== '';
  return (
    <ModalDialog title={props.title} onClose={props.onCancel} onSubmit={() => valid && props.onSubmit(text.trim())}
      actions={<SubmitActions label={props.submitLabel} pending={false} onCancel={props.onCancel} />}>
      <div className="field">
        <label htmlFor={id}>{props.label}</label>
        <input id={id} type="text" value={text} onChange={(e) => setText(e.target.value)} spellCheck={false} autoComplete="off" aria-invalid={!valid || undefined} />
      </div>
    </ModalDialog>
  );
}
