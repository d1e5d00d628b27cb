// "Engine endpoint at launch": the Docker-API endpoint the app connects to when it starts; empty
// means the one last chosen in the Engine view. Saved on Save (or Enter), not per keystroke; the
// backend checks the form and says what is wrong, and what the user typed stays to be fixed.
import { useId, useState, type FormEvent } from 'react';
import type { AppSettingsChange } from '../../../common/desktop-api.ts';
import { SETTING_LABELS } from './setting-labels.ts';

export function LaunchEndpointForm({ current, save }: { current: string | null; save(change: AppSettingsChange): void }) {
  const id = useId();
  /** What the user typed, until then the saved value. */
  const [draft, setDraft] = useState<string>();
  const text = draft ?? current ?? '';
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const engineEndpoint = text.trim() === '' ? null : text.trim();
    if (engineEndpoint !== current) save({ engineEndpoint });
  };
  return (
    <form className="settings-panel launch-endpoint" onSubmit={submit} noValidate>
      <label className="field" htmlFor={`${id}-input`}>{SETTING_LABELS.engineEndpoint}</label>
      <div className="launch-endpoint-row">
        <input id={`${id}-input`} type="text" value={text} onChange={(event) => setDraft(event.target.value)}
          placeholder="the endpoint last chosen in the Engine view" aria-describedby={`${id}-hint`} spellCheck={false} autoComplete="off" />
        <button type="submit">Save endpoint</button>
      </div>
      <p id={`${id}-hint`} className="hint">unix:///path/to/docker.sock or tcp://host:port; empty: the endpoint last chosen in the Engine view. Takes effect at the next launch.</p>
    </form>
  );
}
