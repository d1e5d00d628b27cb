// "Troubleshoot": restart the engine, reset to factory defaults (confirmed first: it says what is
// lost; the VM's disk is deleted, berthd on this kernel is emptied through its API), and write the
// diagnostics bundle (the backend writes it and says where).
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { useDesktopApi } from '../../api/api-context.tsx';
import { useEngineStatus } from '../../api/use-engine-status.ts';
import { queryKeys } from '../../api/query-keys.ts';
import { ConfirmDialog } from '../../components/modal-dialog.tsx';
import { toastError, toastSuccess } from '../../store/toast-store.ts';

export function TroubleshootView() {
  const id = useId();
  const api = useDesktopApi();
  const client = useQueryClient();
  const engine = useEngineStatus();
  const [confirmReset, setConfirmReset] = useState(false);
  const restart = useMutation({
    mutationFn: () => api.engineControl('restart'),
    onSuccess: (status) => {
      client.setQueryData(queryKeys.engine, status);
      toastSuccess('Engine restarted', status.endpoint);
    },
    onError: (error) => toastError('Could not restart the engine', error),
  });
  const reset = useMutation({
    mutationFn: () => api.resetToFactoryDefaults(),
    onSuccess: (status) => {
      client.setQueryData(queryKeys.engine, status);
      void client.invalidateQueries();
      toastSuccess('Reset to factory defaults', 'The engine runs again with no images, containers or volumes, and the settings are the defaults.');
    },
    onError: (error) => toastError('Could not reset to factory defaults', error),
  });
  const bundle = useMutation({
    mutationFn: () => api.writeDiagnostics(),
    onError: (error) => toastError('Could not write the diagnostics bundle', error),
  });
  const controllable = engine?.controllable ?? false;
  const vm = engine?.kind === 'vm';
  const busy = restart.isPending || reset.isPending;
  return (
    <section aria-labelledby={`${id}-heading`} className="troubleshoot-view">
      <header className="view-header"><h1 id={`${id}-heading`}>Troubleshoot</h1></header>
      <div className="settings-panel">
        <h2 className="settings-legend">Restart engine</h2>
        <p className="muted">Stops Berth’s engine{vm ? ' (powers the VM off)' : ''} and starts it again. Containers with a restart policy come back.</p>
        <button type="button" disabled={!controllable || busy} aria-busy={restart.isPending || undefined} onClick={() => restart.mutate()}>Restart engine</button>
      </div>
      <div className="settings-panel">
        <h2 className="settings-legend">Diagnostics bundle</h2>
        <p className="muted">A .tar.gz with versions, settings, the engine, agent, QEMU and forwarder logs and the VM’s status, with secrets removed: attach it to a bug report.</p>
        <button type="button" disabled={bundle.isPending} aria-busy={bundle.isPending || undefined} onClick={() => bundle.mutate()}>Write diagnostics bundle</button>
        {bundle.data && <p role="status">Written to <code>{bundle.data.path}</code> ({bundle.data.entries.length} files)</p>}
      </div>
      <div className="settings-panel">
        <h2 className="settings-legend">Reset to factory defaults</h2>
        <p className="muted">Deletes every image, container and volume and puts every setting back to its default.</p>
        <button type="button" className="danger" disabled={!controllable || busy} aria-busy={reset.isPending || undefined} onClick={() => setConfirmReset(true)}>Reset to factory defaults…</button>
      </div>
      {confirmReset && (
        <ConfirmDialog title="Reset Berth to factory defaults?" confirmLabel="Reset everything"
          message={vm
            ? 'This powers the VM off and deletes its data disk, so every image, container and volume is gone for good, and puts all settings (resources, endpoint, notifications, theme) back to their defaults. Logs stay. The engine then starts again, empty.'
            : 'This removes every container (running ones are killed), image, volume, network you made and the build cache from Berth’s engine, for good, and puts all settings (endpoint, notifications, theme) back to their defaults. Logs stay.'}
          onCancel={() => setConfirmReset(false)}
          onConfirm={() => {
            setConfirmReset(false);
            reset.mutate();
          }} />
      )}
    </section>
  );
}
