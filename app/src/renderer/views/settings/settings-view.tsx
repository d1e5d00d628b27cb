// Settings (route /settings): the app's own settings, read and changed through the DesktopApi, so
// the same screen works in Electron and in `berth dashboard`. Every change is saved at once (a
// `status` toast says so, an `alert` says why not). Settings the serving shell does not act on
// (the dashboard: login item, engine on quit, notifications) stay visible but disabled, with a note.
import { useId, useRef, useState } from 'react';
import type { AppSettings, AppSettingsApplies, AppSettingsChange, Theme } from '../../../common/desktop-api.ts';
import { useAppSettings, useUpdateAppSettings, withChange } from '../../api/use-app-settings.ts';
import { useCapabilities } from '../../api/use-engine-status.ts';
import { toastError, toastSuccess } from '../../store/toast-store.ts';
import { LaunchEndpointForm } from './launch-endpoint-form.tsx';
import { SharedFoldersForm } from './shared-folders-form.tsx';
import { VmSettingsForm } from './vm-settings-form.tsx';
import { SETTING_LABELS, describeChange } from './setting-labels.ts';
import './settings.css';

const THEME_CHOICES: readonly { value: Theme; label: string }[] = [
  { value: 'system', label: 'System' },
  { value: 'light', label: 'Light' },
  { value: 'dark', label: 'Dark' },
];

/** Why a setting is disabled: the dashboard acts on none of them; the desktop app may lack one (a login item in a development run, or on Linux). */
const NOT_APPLIED = { dashboard: 'Applies in the desktop app only.', electron: 'Not available in this copy of the app on this system.' } as const;

export function SettingsView() {
  const id = useId();
  const query = useAppSettings();
  const capabilities = useCapabilities().data;
  const shell = capabilities?.shell ?? 'dashboard';
  const update = useUpdateAppSettings({
    onSuccess: (_settings, change) => toastSuccess('Settings saved', describeChange(change)),
    onError: (error, change) => toastError(`Could not save ${describeChange(change)}`, error),
  });
  // Changes in flight are shown at once (a controlled radio or checkbox must move when clicked),
  // until the last one settles: then the backend's answer, or on a refusal the old value, shows.
  const [inFlight, setInFlight] = useState<AppSettingsChange | null>(null);
  const pending = useRef(0);
  const save = (change: AppSettingsChange) => {
    setInFlight((shown) => (shown ? { ...shown, ...change, notifications: { ...shown.notifications, ...change.notifications } } : change));
    pending.current += 1;
    void update.mutateAsync(change).catch(() => {}).finally(() => {
      pending.current -= 1;
      if (pending.current === 0) setInFlight(null);
    });
  };
  const shown = query.data && inFlight ? withChange(query.data.settings, inFlight) : query.data?.settings;
  return (
    <section aria-labelledby={`${id}-heading`} className="settings-view">
      <header className="view-header"><h1 id={`${id}-heading`}>Settings</h1></header>
      {query.error && <p role="alert" className="query-error">Could not read the settings: {query.error.message}</p>}
      {!query.data && !query.error && <p role="status" className="muted">Reading the settings…</p>}
      {query.data && shown && <SettingsForm settings={shown} applies={query.data.applies} note={NOT_APPLIED[shell]} platform={capabilities?.platform} save={save} />}
    </section>
  );
}

function SettingsForm({ settings, applies, note: why, platform, save }: {
  settings: AppSettings; applies: AppSettingsApplies; note: string; platform: string | undefined; save(change: AppSettingsChange): void;
}) {
  const id = useId();
  const note = (applied: boolean, noteId: string) => (applied ? null : <p id={noteId} className="setting-note">{why}</p>);
  return (
    <div className="settings-panels">
      <fieldset className="settings-panel" role="radiogroup" aria-labelledby={`${id}-theme`}>
        <legend id={`${id}-theme`}>Theme</legend>
        <div className="theme-choices">
          {THEME_CHOICES.map((choice) => (
            <label key={choice.value} className="choice">
              <input type="radio" name={`${id}-theme`} value={choice.value} checked={settings.theme === choice.value}
                onChange={() => save({ theme: choice.value })} />
              {choice.label}
            </label>
          ))}
        </div>
      </fieldset>

      <LaunchEndpointForm current={settings.engineEndpoint} save={save} />

      <fieldset className="settings-panel">
        <legend>Startup and quit</legend>
        <Toggle label={SETTING_LABELS.startAtLogin} checked={settings.startAtLogin} enabled={applies.startAtLogin}
          noteId={`${id}-login-note`} onChange={(startAtLogin) => save({ startAtLogin })} />
        {note(applies.startAtLogin, `${id}-login-note`)}
        <Toggle label={SETTING_LABELS.keepEngineRunningOnQuit} checked={settings.keepEngineRunningOnQuit} enabled={applies.keepEngineRunningOnQuit}
          noteId={`${id}-quit-note`} onChange={(keepEngineRunningOnQuit) => save({ keepEngineRunningOnQuit })} />
        {note(applies.keepEngineRunningOnQuit, `${id}-quit-note`)}
        <p className="hint">Containers keep running when the app quits either way.</p>
      </fieldset>

      <fieldset className="settings-panel" aria-describedby={applies.notifications ? undefined : `${id}-notify-note`}>
        <legend>Notifications</legend>
        <Toggle label={SETTING_LABELS.containerFailed} checked={settings.notifications.containerFailed} enabled={applies.notifications}
          noteId={`${id}-notify-note`} onChange={(containerFailed) => save({ notifications: { containerFailed } })} />
        <Toggle label={SETTING_LABELS.containerUnhealthy} checked={settings.notifications.containerUnhealthy} enabled={applies.notifications}
          noteId={`${id}-notify-note`} onChange={(containerUnhealthy) => save({ notifications: { containerUnhealthy } })} />
        {note(applies.notifications, `${id}-notify-note`)}
        <p className="hint">A desktop notification when a container exits with a non-zero code, or its health check turns unhealthy.</p>
      </fieldset>

      <VmSettingsForm settings={settings} applies={applies} platform={platform} notApplied={why} save={save} />
      <SharedFoldersForm settings={settings} />
    </div>
  );
}

function Toggle({ label, checked, enabled, noteId, onChange }: { label: string; checked: boolean; enabled: boolean; noteId: string; onChange(value: boolean): void }) {
  return (
    <label className="choice">
      <input type="checkbox" checked={checked} disabled={!enabled} aria-describedby={enabled ? undefined : noteId}
        onChange={(event) => onChange(event.target.checked)} />
      {label}
    </label>
  );
}
