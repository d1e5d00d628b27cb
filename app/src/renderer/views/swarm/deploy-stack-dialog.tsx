// "Deploy stack": a compose file (pasted or picked) deployed with `docker stack deploy -c FILE
// NAME` by the backend, with the CLI's output shown as it comes and its error text on failure.
import { useQueryClient } from '@tanstack/react-query';
import { useId, useRef, useState } from 'react';
import type { CliOutputLine, StreamHandle } from '../../../common/desktop-api.ts';
import { useDesktopApi } from '../../api/api-context.tsx';
import { queryKeys } from '../../api/query-keys.ts';
import { ModalDialog, SubmitActions } from '../../components/modal-dialog.tsx';
import { toastSuccess } from '../../store/toast-store.ts';

const STACK_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;

export function DeployStackDialog({ onClose }: { onClose(): void }) {
  const api = useDesktopApi();
  const client = useQueryClient();
  const id = useId();
  const [name, setName] = useState('');
  const [compose, setCompose] = useState('');
  const [output, setOutput] = useState<CliOutputLine[]>([]);
  const [state, setState] = useState<'idle' | 'running' | 'done' | 'failed'>('idle');
  const [failure, setFailure] = useState<string>();
  const handle = useRef<StreamHandle<never> | null>(null);
  const close = () => {
    handle.current?.close();
    onClose();
  };
  const submit = () => {
    if (!STACK_NAME.test(name.trim())) return setFailure('the stack name: letters, digits, "_", "." or "-", starting with a letter or digit');
    if (!compose.trim()) return setFailure('paste a compose file or pick one');
    setOutput([]);
    setFailure(undefined);
    setState('running');
    handle.current = api.open('stackDeploy', [name.trim(), compose], {
      next: (line) => setOutput((old) => [...old, line]),
      error: (error) => { setState('failed'); setFailure(error.message); },
      complete: () => {
        setState('done');
        void client.invalidateQueries({ queryKey: queryKeys.swarm });
        toastSuccess(`Deployed stack ${name.trim()}`);
      },
    });
    return undefined;
  };
  return (
    <ModalDialog title="Deploy stack" onClose={close} onSubmit={submit}
      actions={state === 'done' ? <button type="button" onClick={close}>Close</button> : <SubmitActions label="Deploy" pending={state === 'running'} onCancel={close} />}>
      <div className="field">
        <label htmlFor={`${id}-name`}>Stack name</label>
        <input id={`${id}-name`} type="text" value={name} onChange={(e) => setName(e.target.value)} placeholder="e.g. shop" spellCheck={false} autoComplete="off" />
      </div>
      <div className="field">
        <label htmlFor={`${id}-file`}>Compose file</label>
        <input id={`${id}-file`} type="file" accept=".yml,.yaml" onChange={(e) => { void e.target.files?.[0]?.text().then(setCompose); }} />
      </div>
      <div className="field">
        <label htmlFor={`${id}-yaml`}>Compose YAML</label>
        <textarea id={`${id}-yaml`} rows={10} value={compose} onChange={(e) => setCompose(e.target.value)} spellCheck={false} className="mono" />
      </div>
      {output.length > 0 && <pre role="log" aria-label="docker stack deploy output">{output.map((l) => l.text).join('\n')}</pre>}
      {failure && <p role="alert" className="form-error">{state === 'failed' ? 'docker stack deploy failed: ' : 'Check '}{failure}</p>}
    </ModalDialog>
  );
}
