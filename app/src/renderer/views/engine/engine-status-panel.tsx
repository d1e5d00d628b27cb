// The "Engine status" region (README.md): state as a word and a colour, version, API version,
// OS/arch, the endpoint, the `export DOCKER_HOST=…` line with a Copy button, and Start / Stop /
// Restart when this backend supervises the engine (named "… VM" when the engine is the Berth VM,
// which also has Reset VM…, confirmed first: it wipes the VM's data disk).
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { EngineAction, EngineStatus } from '../../../common/desktop-api.ts';
import { vmStatusText } from '../../../common/vm-words.ts';
import { useDesktopApi } from '../../api/api-context.tsx';
import { queryKeys } from '../../api/query-keys.ts';
import { ENGINE_STATE_TEXT } from '../../components/engine-state.ts';
import { ConfirmDialog } from '../../components/modal-dialog.tsx';
import { toastError, toastSuccess } from '../../store/toast-store.ts';
import { copyText } from './copy-text.ts';

type ControlAction = 'start' | 'stop' | 'restart';
const CONTROL_LABEL: Record<ControlAction, string> = { start: 'Start engine', stop: 'Stop engine', restart: 'Restart engine' };
const VM_CONTROL_LABEL: Record<ControlAction, string> = { start: 'Start VM', stop: 'Stop VM', restart: 'Restart VM' };

export function EngineStatusPanel({ engine }: { engine: EngineStatus }) {
  const api = useDesktopApi();
  const client = useQueryClient();
  const [confirmReset, setConfirmReset] = useState(false);
  const control = useMutation({
    mutationFn: (action: EngineAction) => api.engineControl(action),
    onSuccess: (status) => client.setQueryData(queryKeys.engine, status),
    onError: (error, action) => toastError(`Could not ${action} the engine`, error),
  });
  const copy = async () => {
    try {
      await copyText(engine.dockerHostLine);
      toastSuccess('Copied', engine.dockerHostLine);
    } catch (error) {
      toastError('Could not copy DOCKER_HOST', error);
    }
  };
  const running = engine.state === 'running';
  const moving = engine.state === 'starting' || engine.state === 'stopping';
  const version = engine.version;
  const vm = engine.kind === 'vm';
  const labels = vm ? VM_CONTROL_LABEL : CONTROL_LABEL;
  return (
    <section aria-label="Engine status" className="panel engine-status">
      <div className="engine-state-line">
        <span className={`status-dot big state-${engine.state}`} aria-hidden="true" />
        <strong className="engine-state-text">{vm && engine.state === 'starting' ? vmStatusText(engine) : ENGINE_STATE_TEXT[engine.state]}</strong>
        {engine.message && <span className="muted">{engine.message}</span>}
      </div>
      <dl className="facts">
        <div><dt>Version</dt><dd>{version ? version.Version : '—'}</dd></div>
        <div><dt>API version</dt><dd>{version ? version.ApiVersion : '—'}</dd></div>
        <div><dt>OS / arch</dt><dd>{version ? `${version.Os}/${version.Arch}` : '—'}</dd></div>
        {version?.KernelVersion && <div><dt>Kernel</dt><dd>{version.KernelVersion}</dd></div>}
        <div><dt>Endpoint</dt><dd className="mono">{engine.endpoint}</dd></div>
      </dl>
      <div className="docker-host">
        <p className="muted">Point the docker CLI (or compose, testcontainers…) at this engine:</p>
        <div className="docker-host-line">
          <code>{engine.dockerHostLine}</code>
          <button type="button" onClick={() => void copy()}>Copy DOCKER_HOST</button>
        </div>
      </div>
      {engine.controllable && (
        <div className="engine-controls">
          {(['start', 'stop', 'restart'] as const).map((action) => {
            const applies = action === 'start' ? !running && !moving : running;
            return (
              <button key={action} type="button" className={action === 'start' ? 'primary' : undefined}
                disabled={!applies || control.isPending} aria-busy={(control.isPending && control.variables === action) || undefined}
                onClick={() => control.mutate(action)}>
                {labels[action]}
              </button>
            );
          })}
          {vm && (
            <button type="button" className="danger" disabled={moving || control.isPending} aria-busy={(control.isPending && control.variables === 'reset') || undefined}
              onClick={() => setConfirmReset(true)}>
              Reset VM…
            </button>
          )}
        </div>
      )}
      {confirmReset && (
        <ConfirmDialog title="Reset the Berth VM?" confirmLabel="Reset VM"
          message="This powers the VM off and deletes its data disk: every image, container and volume in it is gone for good. The next start makes a fresh, empty disk."
          onCancel={() => setConfirmReset(false)}
          onConfirm={() => {
            setConfirmReset(false);
            control.mutate('reset');
          }} />
      )}
    </section>
  );
}
