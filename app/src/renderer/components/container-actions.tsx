// The lifecycle buttons of one container (a Containers row, the detail header): only those its
// state allows, named exactly Start / Stop / Restart / Pause / Resume / Delete (README.md). The
// list refreshes from the engine's events; a failure shows the engine's own message in a toast.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { navigate } from 'wouter/use-hash-location';
import { memo, useState } from 'react';
import type { ContainerSummary } from '../../common/docker-types.ts';
import { useDesktopApi } from '../api/api-context.tsx';
import { queryKeys } from '../api/query-keys.ts';
import { routes } from '../routes.ts';
import { toastError } from '../store/toast-store.ts';
import { actionsFor, LIFECYCLE_VERB, needsForce, runLifecycle, type LifecycleLabel } from './container-lifecycle.ts';
import { containerName } from './format.ts';
import { ConfirmDialog } from './modal-dialog.tsx';

type ActionTarget = Pick<ContainerSummary, 'Id' | 'Names' | 'State'>;

/** True when the page shows this container's detail (by id, short id or name). */
function viewing(container: ActionTarget): boolean {
  const hash = decodeURIComponent(window.location.hash.replace(/^#/, ''));
  const match = /^\/containers\/([^/]+)/.exec(hash);
  if (!match) return false;
  const shown = match[1];
  return container.Id.startsWith(shown) || containerName(container) === shown;
}

/** `engine`: the engine the container runs on when it is not (necessarily) the current one. */
export const ContainerActions = memo(function ContainerActions({ container, engine }: { container: ActionTarget; engine?: string }) {
  const api = useDesktopApi();
  const client = useQueryClient();
  const [confirmingDelete, setConfirmingDelete] = useState(false);
  const name = containerName(container);
  const mutation = useMutation({
    mutationFn: (label: LifecycleLabel) => runLifecycle(api, container, label, engine),
    onSuccess: (_result, label) => {
      if (label === 'Delete' && viewing(container)) navigate(routes.containers);
    },
    onError: (error, label) => toastError(`Could not ${LIFECYCLE_VERB[label]} ${name}`, error),
    // Events refresh the lists too; this covers an engine whose event stream lags or is gone.
    onSettled: () => client.invalidateQueries({ queryKey: queryKeys.containers }),
  });

  const pendingLabel = mutation.isPending ? mutation.variables : undefined;
  return (
    <div className="row-actions">
      {actionsFor(container.State).map((label) => (
        <button
          key={label}
          type="button"
          className={`action action-${label.toLowerCase()}`}
          disabled={mutation.isPending}
          aria-busy={pendingLabel === label || undefined}
          onClick={() => (label === 'Delete' ? setConfirmingDelete(true) : mutation.mutate(label))}
        >
          {label}
        </button>
      ))}
      {confirmingDelete && (
        <ConfirmDialog
          title={`Delete ${name}?`}
          message={needsForce(container.State)
            ? `${name} is ${container.State}; it will be stopped and removed. Its anonymous volumes are kept.`
            : `${name} will be removed. Its volumes are kept.`}
          confirmLabel="Delete"
          onCancel={() => setConfirmingDelete(false)}
          onConfirm={() => { setConfirmingDelete(false); mutation.mutate('Delete'); }}
        />
      )}
    </div>
  );
});
