// The Tag dialog (README.md: dialog "Tag <image>" with textbox "New tag"): POST /images/{name}/tag.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { useDesktopApi } from '../../api/api-context.tsx';
import { queryKeys } from '../../api/query-keys.ts';
import { ModalDialog, SubmitActions } from '../../components/modal-dialog.tsx';
import { toastSuccess } from '../../store/toast-store.ts';
import { parseTagReference } from './image-names.ts';

export function TagDialog({ imageId, label, onClose }: { imageId: string; label: string; onClose(): void }) {
  const api = useDesktopApi();
  const client = useQueryClient();
  const id = useId();
  const [text, setText] = useState('');
  const [problem, setProblem] = useState<string>();
  const tag = useMutation({
    mutationFn: ({ repo, tag: name }: { repo: string; tag: string }) => api.tagImage(imageId, repo, name),
    onSuccess: (_result, { repo, tag: name }) => {
      void client.invalidateQueries({ queryKey: queryKeys.images });
      toastSuccess(`Tagged ${label} as ${repo}:${name}`);
      onClose();
    },
  });
  const submit = () => {
    const parsed = parseTagReference(text);
    if ('error' in parsed) {
      setProblem(parsed.error);
      return;
    }
    tag.mutate(parsed);
  };
  return (
    <ModalDialog
      title={`Tag ${label}`}
      onClose={onClose}
      onSubmit={submit}
      actions={<SubmitActions label="Tag" pending={tag.isPending} onCancel={onClose} />}
    >
      <div className="field">
        <label htmlFor={`${id}-tag`}>New tag</label>
        <input
          id={`${id}-tag`}
          type="text"
          value={text}
          placeholder="repository[:tag], e.g. localhost:5000/myapp:1.0"
          onChange={(event) => { setText(event.target.value); setProblem(undefined); }}
          aria-invalid={problem ? true : undefined}
          aria-describedby={problem ? `${id}-problem` : undefined}
          spellCheck={false}
          autoComplete="off"
        />
        {problem && <span id={`${id}-problem`} className="error">{problem}</span>}
      </div>
      {tag.error && <p role="alert" className="form-error">Could not tag {label}: {tag.error.message}</p>}
    </ModalDialog>
  );
}
