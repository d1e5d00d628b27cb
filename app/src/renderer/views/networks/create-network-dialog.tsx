// "Create network" (README.md): name, subnet, gateway, internal → POST /networks/create.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { useDesktopApi } from '../../api/api-context.tsx';
import { queryKeys } from '../../api/query-keys.ts';
import { ModalDialog, SubmitActions } from '../../components/modal-dialog.tsx';
import { toastSuccess } from '../../store/toast-store.ts';
import { networkFormErrors, type NetworkForm } from './network-form.ts';

export function CreateNetworkDialog({ onClose }: { onClose(): void }) {
  const api = useDesktopApi();
  const client = useQueryClient();
  const id = useId();
  const [form, setForm] = useState<NetworkForm>({ name: '', subnet: '', gateway: '', internal: false });
  const [errors, setErrors] = useState<Partial<Record<keyof NetworkForm, string>>>({});
  const create = useMutation({
    mutationFn: (spec: NetworkForm) => api.createNetwork({
      name: spec.name.trim(),
      driver: 'bridge',
      subnet: spec.subnet.trim() || undefined,
      gateway: spec.gateway.trim() || undefined,
      internal: spec.internal,
    }),
    onSuccess: (_result, spec) => {
      void client.invalidateQueries({ queryKey: queryKeys.networks });
      toastSuccess(`Created network ${spec.name.trim()}`);
      onClose();
    },
  });
  const submit = () => {
    const found = networkFormErrors(form);
    setErrors(found);
    if (Object.keys(found).length === 0) create.mutate(form);
  };
  const text = (key: 'name' | 'subnet' | 'gateway', label: string, placeholder: string) => (
    <div className="field">
      <label htmlFor={`${id}-${key}`}>{label}</label>
      <input id={`${id}-${key}`} type="text" value={form[key]} placeholder={placeholder} spellCheck={false} autoComplete="off"
        onChange={(event) => { setForm({ ...form, [key]: event.target.value }); setErrors({ ...errors, [key]: undefined }); }}
        aria-invalid={errors[key] ? true : undefined} aria-describedby={errors[key] ? `${id}-${key}-error` : undefined} />
      {errors[key] && <span id={`${id}-${key}-error`} className="error">{errors[key]}</span>}
    </div>
  );
  return (
    <ModalDialog
      title="Create network"
      onClose={onClose}
      onSubmit={submit}
      actions={<SubmitActions label="Create" pending={create.isPending} onCancel={onClose} />}
    >
      {text('name', 'Network name', 'e.g. backend')}
      {text('subnet', 'Subnet', 'optional, e.g. 10.42.0.0/24')}
      {text('gateway', 'Gateway', 'optional, e.g. 10.42.0.1')}
      <label className="check">
        <input type="checkbox" checked={form.internal} onChange={(event) => setForm({ ...form, internal: event.target.checked })} />
        Internal
        <span className="muted"> (no route to the outside world)</span>
      </label>
      {create.error && <p role="alert" className="form-error">Could not create the network: {create.error.message}</p>}
    </ModalDialog>
  );
}
