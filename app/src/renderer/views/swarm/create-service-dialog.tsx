// "Create service": POST /services/create with a name, an image, a replica count, optionally a
// port published on the routing mesh and a command (split like a shell, as the Run dialog does).
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import type { SwarmServiceSpec } from '../../../common/desktop-api.ts';
import { useDesktopApi } from '../../api/api-context.tsx';
import { queryKeys } from '../../api/query-keys.ts';
import { ModalDialog, SubmitActions } from '../../components/modal-dialog.tsx';
import { toastSuccess } from '../../store/toast-store.ts';
import { parseCommand } from '../images/run-spec-parse.ts';

const SERVICE_NAME = /^[a-zA-Z0-9](?:[a-zA-Z0-9_-]{0,61}[a-zA-Z0-9])?$/;

type Fields = { name: string; image: string; replicas: string; published: string; target: string; command: string };

/** The spec, or the first field that is wrong and why. */
export function parseServiceForm(f: Fields): { spec: SwarmServiceSpec } | { field: keyof Fields; problem: string } {
  const name = f.name.trim();
  if (!SERVICE_NAME.test(name)) return { field: 'name', problem: 'letters, digits, "-" and "_" (at most 63), starting and ending with a letter or digit' };
  const image = f.image.trim();
  if (!image) return { field: 'image', problem: 'the image to run, e.g. nginx:alpine' };
  if (!/^\d+$/.test(f.replicas.trim())) return { field: 'replicas', problem: 'a whole number' };
  const port = (text: string) => (text.trim() === '' ? undefined : /^\d+$/.test(text.trim()) && Number(text) >= 1 && Number(text) <= 65535 ? Number(text) : NaN);
  const published = port(f.published);
  if (Number.isNaN(published)) return { field: 'published', problem: 'a port from 1 to 65535' };
  const target = port(f.target);
  if (Number.isNaN(target)) return { field: 'target', problem: 'a port from 1 to 65535' };
  if (target !== undefined && published === undefined) return { field: 'published', problem: 'a container port is published on a host port: give both' };
  const command = parseCommand(f.command);
  if (!command.ok) return { field: 'command', problem: command.error };
  return {
    spec: {
      name, image, replicas: Number(f.replicas),
      ...(published !== undefined ? { publishedPort: published, targetPort: target ?? published } : {}),
      ...(command.value.length ? { command: command.value } : {}),
    },
  };
}

export function CreateServiceDialog({ onClose }: { onClose(): void }) {
  const api = useDesktopApi();
  const client = useQueryClient();
  const id = useId();
  const [fields, setFields] = useState<Fields>({ name: '', image: '', replicas: '1', published: '', target: '', command: '' });
  const [problem, setProblem] = useState<{ field: keyof Fields; text: string }>();
  const create = useMutation({
    mutationFn: (spec: SwarmServiceSpec) => api.createSwarmService(spec),
    onSuccess: (_r, spec) => {
      void client.invalidateQueries({ queryKey: queryKeys.swarm });
      toastSuccess(`Created service ${spec.name}`);
      onClose();
    },
  });
  const submit = () => {
    const parsed = parseServiceForm(fields);
    if ('field' in parsed) setProblem({ field: parsed.field, text: parsed.problem });
    else create.mutate(parsed.spec);
  };
  const input = (field: keyof Fields, label: string, placeholder: string, type = 'text') => (
    <div className="field">
      <label htmlFor={`${id}-${field}`}>{label}</label>
      <input id={`${id}-${field}`} type={type} value={fields[field]} placeholder={placeholder} spellCheck={false} autoComplete="off"
        onChange={(e) => { setFields({ ...fields, [field]: e.target.value }); setProblem(undefined); }}
        aria-invalid={problem?.field === field || undefined} aria-describedby={problem?.field === field ? `${id}-problem` : undefined} />
      {problem?.field === field && <span id={`${id}-problem`} className="error">{problem.text}</span>}
    </div>
  );
  return (
    <ModalDialog title="Create service" onClose={onClose} onSubmit={submit}
      actions={<SubmitActions label="Create" pending={create.isPending} onCancel={onClose} />}>
      {input('name', 'Service name', 'e.g. web')}
      {input('image', 'Image', 'e.g. nginx:alpine')}
      {input('replicas', 'Replicas', '1', 'number')}
      {input('published', 'Published port', 'optional, e.g. 8080')}
      {input('target', 'Container port', 'defaults to the published port')}
      {input('command', 'Command', "the image's default, e.g. sh -c 'echo hello; sleep 600'")}
      {create.error && <p role="alert" className="form-error">Could not create the service: {create.error.message}</p>}
    </ModalDialog>
  );
}
