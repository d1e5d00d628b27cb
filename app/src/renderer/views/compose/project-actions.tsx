// Start / Stop / Restart / Delete for a whole compose project (only the ones that apply), and the
// Delete dialog: containers and the project's networks go, volumes only when ticked (as
// `compose down` keeps them unless -v).
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import type { ComposeProjectAction } from '../../../common/desktop-api.ts';
import { useDesktopApi } from '../../api/api-context.tsx';
import { ModalDialog } from '../../components/modal-dialog.tsx';
import { toastError, toastSuccess } from '../../store/toast-store.ts';
import type { ComposeProjectRow } from './compose-model.ts';

const LABEL: Record<ComposeProjectAction, string> = { start: 'Start', stop: 'Stop', restart: 'Restart' };

export function ProjectActions({ project, onDeleted }: { project: ComposeProjectRow; onDeleted?(): void }) {
  const api = useDesktopApi();
  const [deleting, setDeleting] = useState(false);
  const [withVolumes, setWithVolumes] = useState(false);
  const act = useMutation({
    mutationFn: (action: ComposeProjectAction) => api.composeProjectAction(project.name, action),
    onError: (error, action) => toastError(`Could not ${action} project ${project.name}`, error),
  });
  const remove = useMutation({
    mutationFn: (volumes: boolean) => api.removeComposeProject(project.name, { volumes }),
    onSuccess: (done) => {
      toastSuccess(`Deleted project ${project.name}`, `${done.containers} containers, ${done.networks} networks, ${done.volumes} volumes`);
      onDeleted?.();
    },
    onError: (error) => toastError(`Could not delete project ${project.name}`, error),
  });
  if (project.down) return null;
  const busy = act.isPending || remove.isPending;
  // Counts leave one-off containers out, as the backend's actions do: a project of only those has none.
  const actions: ComposeProjectAction[] = [
    ...(project.stopped > 0 ? ['start' as const] : []),
    ...(project.running > 0 ? ['stop' as const] : []),
    ...(project.total > 0 ? ['restart' as const] : []),
  ];
  return (
    <div className="row-actions">
      {actions.map((action) => (
        <button key={action} type="button" disabled={busy} aria-busy={(act.isPending && act.variables === action) || undefined}
          onClick={() => act.mutate(action)}>{LABEL[action]}</button>
      ))}
      <button type="button" className="danger-outline" disabled={busy} onClick={() => { setWithVolumes(false); setDeleting(true); }}>Delete</button>
      {deleting && (
        <ModalDialog
          title={`Delete project ${project.name}?`}
          onClose={() => setDeleting(false)}
          onSubmit={() => { setDeleting(false); remove.mutate(withVolumes); }}
          actions={<>
            <button type="button" onClick={() => setDeleting(false)}>Cancel</button>
            <button type="submit" className="danger">Delete</button>
          </>}
        >
          <p>Removes its {project.total} containers{project.oneOff.length > 0 ? ` (and ${project.oneOff.length} one-off)` : ''} and its networks, like <code>compose down</code>.</p>
          <label><input type="checkbox" checked={withVolumes} onChange={(event) => setWithVolumes(event.target.checked)} /> Also delete its volumes</label>
        </ModalDialog>
      )}
    </div>
  );
}
