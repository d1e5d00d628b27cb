// The banner above every view when something underneath is missing: the backend connection (the
// dashboard stopped) or the engine (stopped, starting, failed), with what the user can do.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { EngineStatus } from '../../common/desktop-api.ts';
import { vmStatusText } from '../../common/vm-words.ts';
import { useDesktopApi } from '../api/api-context.tsx';
import { queryKeys } from '../api/query-keys.ts';
import { useConnection } from '../store/connection-store.ts';
import { toastError } from '../store/toast-store.ts';

function EngineBanner({ engine, offerStart }: { engine: EngineStatus; offerStart: boolean }) {
  const api = useDesktopApi();
  const client = useQueryClient();
  const start = useMutation({
    mutationFn: () => api.engineControl('start'),
    onSuccess: (status) => client.setQueryData(queryKeys.engine, status),
    onError: (error) => toastError('Could not start the engine', error),
  });
  const busy = engine.state === 'starting' || engine.state === 'stopping';
  const vm = engine.kind === 'vm';
  // The VM says how far its boot got ("Starting VM… (data disk ready, …)"); its error is in the message.
  const headline = vm ? (engine.state === 'error' ? 'The Berth VM is not working' : vmStatusText(engine))
    : engine.state === 'starting' ? 'The engine is starting…'
    : engine.state === 'stopping' ? 'The engine is stopping…'
    : engine.state === 'error' ? 'The engine is not working'
    : 'The engine is stopped';
  const advice = engine.controllable
    ? 'Start it to see and manage containers, images, volumes and networks.'
    : `Start the engine at ${engine.endpoint}, or pick another endpoint in the Engine view.`;
  return (
    <div className={`banner banner-${engine.state === 'error' ? 'error' : 'warning'}`} role="status">
      <span className={`status-dot state-${engine.state}`} aria-hidden="true" />
      <div className="banner-text">
        <strong>{headline}</strong>
        {engine.message && <span> {engine.message}</span>}
        {!busy && <span> {advice}</span>}
      </div>
      {offerStart && engine.controllable && !busy && (
        <button type="button" className="primary" disabled={start.isPending} aria-busy={start.isPending || undefined} onClick={() => start.mutate()}>
          {vm ? 'Start VM' : 'Start engine'}
        </button>
      )}
    </div>
  );
}

/** `offerStart` is false on the Engine view, whose own "Start engine" button is the one to use. */
export function StatusBanner({ engine, offerStart }: { engine?: EngineStatus; offerStart: boolean }) {
  const lostReason = useConnection((state) => state.lostReason);
  if (lostReason) {
    return (
      <div className="banner banner-error" role="alert">
        <div className="banner-text">
          <strong>Lost the connection to Berth.</strong>
          <span> {lostReason}. If the dashboard is still running, reload; if it was restarted, open the new address it printed (each start has its own sign-in link), or reopen the app.</span>
        </div>
        <button type="button" onClick={() => window.location.reload()}>Reload</button>
      </div>
    );
  }
  if (engine && engine.state !== 'running') return <EngineBanner engine={engine} offerStart={offerStart} />;
  return null;
}
