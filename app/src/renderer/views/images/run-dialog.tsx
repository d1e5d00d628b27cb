// The Run dialog (README.md: dialog "Run <image>"): name, command, ports, environment, volumes
// and network, parsed by run-spec-parse.ts. Nothing is sent until every field is valid; each bad
// field says what is wrong next to it. A run that works opens the new container's detail.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useRef, useState, type ReactNode } from 'react';
import { useLocation } from 'wouter';
import type { RunSpec } from '../../../common/desktop-api.ts';
import { useDesktopApi } from '../../api/api-context.tsx';
import { queryKeys } from '../../api/query-keys.ts';
import { ModalDialog, SubmitActions } from '../../components/modal-dialog.tsx';
import { routes } from '../../routes.ts';
import { useToasts } from '../../store/toast-store.ts';
import { buildRunSpec, type RunFieldErrors, type RunFields } from './run-spec-parse.ts';

const EMPTY: RunFields = { name: '', command: '', ports: '', env: '', volumes: '', network: '' };

function Field(props: { id: string; label: string; hint?: string; error?: string; children: (describedBy: string | undefined) => ReactNode }) {
  const hintId = `${props.id}-hint`;
  const errorId = `${props.id}-error`;
  const describedBy = [props.error ? errorId : '', props.hint ? hintId : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div className="field">
      <label htmlFor={props.id}>{props.label}</label>
      {props.children(describedBy)}
      {props.error && <span id={errorId} className="error">{props.error}</span>}
      {props.hint && <span id={hintId} className="hint">{props.hint}</span>}
    </div>
  );
}

export function RunDialog({ image, label, onClose }: { image: string; label: string; onClose(): void }) {
  const api = useDesktopApi();
  const client = useQueryClient();
  const [, navigate] = useLocation();
  const id = useId();
  const form = useRef<HTMLDivElement>(null);
  const [fields, setFields] = useState<RunFields>(EMPTY);
  const [errors, setErrors] = useState<RunFieldErrors>({});
  const networks = useQuery({ queryKey: queryKeys.networks, queryFn: () => api.listNetworks() });
  const run = useMutation({
    mutationFn: (spec: RunSpec) => api.runContainer(spec),
    onSuccess: (result) => {
      void client.invalidateQueries({ queryKey: queryKeys.containers });
      for (const warning of result.warnings) useToasts.getState().push({ kind: 'info', title: 'The engine warned', detail: warning });
      onClose();
      navigate(routes.container(result.id));
    },
  });

  const set = (key: keyof RunFields) => (event: { target: { value: string } }) => {
    setFields((previous) => ({ ...previous, [key]: event.target.value }));
    if (errors[key]) setErrors((previous) => ({ ...previous, [key]: undefined }));
  };

  const submit = () => {
    const built = buildRunSpec(image, fields);
    if ('errors' in built) {
      setErrors(built.errors);
      // Take the user to the first field that needs them.
      queueMicrotask(() => form.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());
      return;
    }
    setErrors({});
    run.mutate(built.spec);
  };

  const input = (key: keyof RunFields, labelText: string, placeholder: string, hint?: string, multiline = false) => (
    <Field id={`${id}-${key}`} label={labelText} hint={hint} error={errors[key]}>
      {(describedBy) => {
        const common = {
          id: `${id}-${key}`,
          value: fields[key],
          onChange: set(key),
          placeholder,
          'aria-invalid': errors[key] ? true : undefined,
          'aria-describedby': describedBy,
          spellCheck: false,
          autoComplete: 'off',
        };
        return multiline ? <textarea rows={3} {...common} /> : <input type="text" {...common} />;
      }}
    </Field>
  );

  return (
    <ModalDialog
      title={`Run ${label}`}
      onClose={onClose}
      onSubmit={submit}
      className="run-dialog"
      actions={<SubmitActions label="Run" pending={run.isPending} onCancel={onClose} />}
    >
      <div ref={form} className="run-fields">
        {input('name', 'Container name', 'a random name', 'Optional. Letters, digits, _ . -')}
        {input('command', 'Command', "the image's default, e.g. sh -c 'echo hello'")}
        {input('ports', 'Ports', '8080:80, 53:53/udp', 'hostPort:containerPort, comma-separated; a lone port gets a random host port.')}
        {input('env', 'Environment variables', 'KEY=value', 'One KEY=value per line.', true)}
        {input('volumes', 'Volumes', 'name-or-path:/target[:ro]', 'One per line: a volume name or an absolute host path, then the path in the container.', true)}
        <div className="field">
          <label htmlFor={`${id}-network`}>Network</label>
          <select id={`${id}-network`} value={fields.network} onChange={set('network')}>
            <option value="">Default (bridge)</option>
            {(networks.data ?? [])
              .filter((network) => network.Name !== 'bridge')
              .map((network) => <option key={network.Id} value={network.Name}>{network.Name}</option>)}
          </select>
        </div>
        {run.error && <p role="alert" className="form-error">Could not run {label}: {run.error.message}</p>}
      </div>
    </ModalDialog>
  );
}
