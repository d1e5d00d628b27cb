// The "Selection" toolbar (README.md): the lifecycle actions for every selected container that
// the action applies to. Each container is its own engine call; each failure its own toast.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { ContainerSummary } from '../../../common/docker-types.ts';
import { useDesktopApi } from '../../api/api-context.tsx';
import { queryKeys } from '../../api/query-keys.ts';
import { actionsFor, LIFECYCLE_LABELS, LIFECYCLE_VERB, runLifecycle, type LifecycleLabel } from '../../components/container-lifecycle.ts';
import { containerName } from '../../components/format.ts';
import { ConfirmDialog } from '../../components/modal-dialog.tsx';
import { toastError, toastSuccess } from '../../store/toast-store.ts';

export function BulkToolbar({ selected, onClear }: { selected: ContainerSummary[]; onClear(): void }) {
  const api = useDesktopApi();
  const client = useQueryClient();
  const [confirmDelete, setConfirmDelete] = useState(false);
  const targets = (label: LifecycleLabel) => selected.filter((container) => actionsFor(container.State).includes(label));

  const bulk = useMutation({
    mutationFn: async (label: LifecycleLabel) => {
      const chosen = targets(label);
      const results = await Promise.allSettled(chosen.map((container) => runLifecycle(api, container, label)));
      results.forEach((result, i) => {
        if (result.status === 'rejected') toastError(`Could not ${LIFECYCLE_VERB[label]} ${containerName(chosen[i])}`, result.reason);
      });
      const done = results.filter((result) => result.status === 'fulfilled').length;
      if (label === 'Delete' && done > 0) toastSuccess(`Deleted ${done} ${done === 1 ? 'container' : 'containers'}`);
      return label;
    },
    onSuccess: (label) => { if (label === 'Delete') onClear(); },
    onSettled: () => client.invalidateQueries({ queryKey: queryKeys.containers }),
  });

  const deleting = targets('Delete');
  return (
    <div role="toolbar" aria-label="Selection" className="bulk-toolbar">
      <span className="bulk-count">{selected.length} selected</span>
      {LIFECYCLE_LABELS.map((label) => (
        <button
          key={label}
          type="button"
          className={label === 'Delete' ? 'danger-outline' : undefined}
          disabled={bulk.isPending || targets(label).length === 0}
          aria-busy={(bulk.isPending && bulk.variables === label) || undefined}
          onClick={() => (label === 'Delete' ? setConfirmDelete(true) : bulk.mutate(label))}
        >
          {label}
        </button>
      ))}
      <button type="button" className="link-button" onClick={onClear}>Clear selection</button>
      {confirmDelete && (
        <ConfirmDialog
          title={`Delete ${deleting.length} ${deleting.length === 1 ? 'container' : 'containers'}?`}
          message={`${deleting.map(containerName).join(', ')} will be removed (running ones are stopped first). Volumes are kept.`}
          confirmLabel="Delete"
          onCancel={() => setConfirmDelete(false)}
          onConfirm={() => { setConfirmDelete(false); bulk.mutate('Delete'); }}
        />
      )}
    </div>
  );
}
