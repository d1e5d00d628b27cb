// "Shared folders": the folders the Berth VM shares at the same path besides the home (which it
// always shares), so binds from them work. Added or removed one at a time; the backend checks a
// new folder exists and is one the VM can share (a refusal is an `alert`, nothing is saved).
// The VM picks the list up at its next start or restart.
import { useId, useState, type FormEvent } from 'react';
import type { AppSettings } from '../../../common/app-settings.ts';
import { useUpdateAppSettings } from '../../api/use-app-settings.ts';
import { toastError, toastSuccess } from '../../store/toast-store.ts';
import { describeChange, SETTING_LABELS } from './setting-labels.ts';

const ABSOLUTE = /^(\/|[A-Za-z]:[\\/])/;

export function SharedFoldersForm({ settings }: { settings: AppSettings }) {
  const id = useId();
  const [draft, setDraft] = useState('');
  const [problem, setProblem] = useState<string>();
  const update = useUpdateAppSettings({
    onSuccess: (_settings, change) => {
      setDraft('');
      setProblem(undefined);
      toastSuccess('Settings saved', describeChange(change));
    },
    onError: (error, change) => {
      setProblem(error.message);
      toastError(`Could not save ${describeChange(change)}`, error);
    },
  });
  const shares = settings.vmShares;
  const add = (event: FormEvent) => {
    event.preventDefault();
    const path = draft.trim();
    if (!ABSOLUTE.test(path)) {
      setProblem(`"${path}" is not an absolute path (for example /srv/projects)`);
      return;
    }
    if (shares.includes(path)) {
      setProblem(`${path} is shared already`);
      return;
    }
    update.mutate({ vmShares: [...shares, path] });
  };
  return (
    <form className="settings-panel shared-folders" aria-labelledby={`${id}-legend`} onSubmit={add} noValidate>
      <h2 id={`${id}-legend`} className="settings-legend">{SETTING_LABELS.vmShares}</h2>
      <ul className="shared-list" aria-label="Shared folders besides the home folder">
        <li className="muted">Your home folder (always shared)</li>
        {shares.map((path) => (
          <li key={path}>
            <code>{path}</code>
            <button type="button" aria-label={`Remove ${path}`} disabled={update.isPending}
              onClick={() => update.mutate({ vmShares: shares.filter((other) => other !== path) })}>Remove</button>
          </li>
        ))}
      </ul>
      <div className="shared-add">
        <label className="field">
          <span>Folder to share</span>
          <input type="text" value={draft} placeholder="/absolute/path" spellCheck={false} autoComplete="off"
            aria-invalid={problem ? true : undefined} aria-describedby={problem ? `${id}-problem` : `${id}-note`}
            onChange={(event) => { setDraft(event.target.value); setProblem(undefined); }} />
        </label>
        <button type="submit" disabled={update.isPending || draft.trim() === ''} aria-busy={update.isPending || undefined}>Add folder</button>
      </div>
      {problem && <p id={`${id}-problem`} role="alert" className="form-error">{problem}</p>}
      <p id={`${id}-note`} className="hint">
        Shared at the same path inside the VM, so <code>docker run -v</code> and compose binds from them work; a bind from anywhere else is refused. Changes apply at the VM’s next start or restart.
      </p>
    </form>
  );
}
