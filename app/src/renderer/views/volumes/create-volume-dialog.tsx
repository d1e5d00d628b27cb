// "Create volume" (README.md): POST /volumes/create with the name typed (or one the engine picks).
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { useDesktopApi } from '../../api/api-context.tsx';
import { queryKeys } from '../../api/query-keys.ts';
import { ModalDialog, SubmitActions } from '../../components/modal-dialog.tsx';
import { toastSuccess } from '../../store/toast-store.ts';

/** Docker's volume name rule (daemon/names: [a-zA-Z0-9][a-zA-Z0-9_.-]+). */
const VOLUME_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/;

export function CreateVolumeDialog({ onClose }: { onClose(): void }) {
  const api = useDesktopApi();
  const client = useQueryClient();
  const id = useId();
  const [name, setName] = useState('');
  const [problem, setProblem] = useState<string>();
  const create = useMutation({
    mutationFn: (wanted: string | undefined) => api.createVolume(wanted ? { name: wanted } : {}),
    onSuccess: (volume) => {
      void client.invalidateQueries({ queryKey: queryKeys.volumes });
      toastSuccess(`Created volume ${volume.Name}`);
      onClose();
    },
  });
  const submit = () => {
    const wanted = name.trim();
    if (wanted && !VOLUME_NAME.test(wanted)) {
      setProblem('use at least 2 characters: letters, digits, "_", "." or "-", starting with a letter or digit');
      return;
    }
    create.mutate(wanted || undefined);
  };
  return (
    <ModalDialog
      title="Create volume"
      onClose={onClose}
      onSubmit={submit}
      actions={<SubmitActions label="Create" pending={create.isPending} onCancel={onClose} />}
    >
      <div className="field">
        <label htmlFor={`${id}-name`}>Volume name</label>
        <input id={`${id}-name`} type="text" value={name} placeholder="e.g. db-data (empty: the engine picks one)"
          onChange={(event) => { setName(event.target.value); setProblem(undefined); }}
          aria-invalid={problem ? true : undefined} aria-describedby={problem ? `${id}-problem` : undefined}
          spellCheck={false} autoComplete="off" />
        {problem && <span id={`${id}-problem`} className="error">{problem}</span>}
      </div>
      {create.error && <p role="alert" className="form-error">Could not create the volume: {create.error.message}</p>}
    </ModalDialog>
  );
}
