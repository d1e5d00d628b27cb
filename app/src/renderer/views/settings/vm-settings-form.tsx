// "Virtual machine": the Berth VM's CPUs, memory and disk size (empty: the default), saved on
// "Save VM settings" after the backend checks them against this host by the rules `berth vm start`
// applies (a refusal is an `alert` under the fields, and nothing is saved); and, on Linux, where
// the engine runs (automatic, this kernel, or the VM), which the desktop app reads at launch.
import { useId, useState, type FormEvent } from 'react';
import type { AppSettings, AppSettingsApplies, AppSettingsChange, EngineLocation } from '../../../common/app-settings.ts';
import { useUpdateAppSettings } from '../../api/use-app-settings.ts';
import { toastError, toastSuccess } from '../../store/toast-store.ts';
import { describeChange, SETTING_LABELS } from './setting-labels.ts';

type VmField = 'vmCpus' | 'vmMemoryMiB' | 'vmDiskGiB' | 'vmResourceSaverMinutes';
const VM_FIELDS: { key: VmField; label: string; placeholder: string }[] = [
  { key: 'vmCpus', label: SETTING_LABELS.vmCpus, placeholder: 'default: half of this computer’s' },
  { key: 'vmMemoryMiB', label: SETTING_LABELS.vmMemoryMiB, placeholder: 'default: 2048' },
  { key: 'vmDiskGiB', label: SETTING_LABELS.vmDiskGiB, placeholder: 'default: 64 (sparse)' },
  { key: 'vmResourceSaverMinutes', label: SETTING_LABELS.vmResourceSaverMinutes, placeholder: 'off' },
];

const LOCATIONS: { value: EngineLocation; label: string }[] = [
  { value: 'auto', label: 'Automatic' },
  { value: 'local', label: 'This computer’s kernel' },
  { value: 'vm', label: 'Virtual machine' },
];

/** A field's text as a setting: empty is the default (null), else a whole number; undefined when it is neither. */
function parseField(text: string): number | null | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return null;
  return /^\d+$/.test(trimmed) && Number(trimmed) >= 1 ? Number(trimmed) : undefined;
}

export function VmSettingsForm({ settings, applies, platform, notApplied, save }: {
  settings: AppSettings;
  applies: AppSettingsApplies;
  platform: string | undefined;
  /** Why a setting is disabled in this shell. */
  notApplied: string;
  save(change: AppSettingsChange): void;
}) {
  const id = useId();
  const [drafts, setDrafts] = useState<Partial<Record<VmField, string>>>({});
  const [problem, setProblem] = useState<string>();
  const update = useUpdateAppSettings({
    onSuccess: (_settings, change) => {
      setDrafts({});
      setProblem(undefined);
      toastSuccess('Settings saved', describeChange(change));
    },
    onError: (error, change) => {
      setProblem(error.message);
      toastError(`Could not save ${describeChange(change)}`, error);
    },
  });
  const text = (key: VmField) => drafts[key] ?? (settings[key] === null ? '' : String(settings[key]));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const change: AppSettingsChange = {};
    for (const { key, label } of VM_FIELDS) {
      const value = parseField(text(key));
      if (value === undefined) {
        setProblem(`${label}: "${text(key).trim()}" is not a whole number from 1 up (leave it empty for the default)`);
        return;
      }
      if (value !== settings[key]) change[key] = value;
    }
    if (Object.keys(change).length === 0) return;
    update.mutate(change);
  };
  return (
    <form className="settings-panel vm-settings" aria-labelledby={`${id}-legend`} onSubmit={submit} noValidate>
      <h2 id={`${id}-legend`} className="settings-legend">Virtual machine</h2>
      <div className="vm-fields">
        {VM_FIELDS.map(({ key, label, placeholder }) => (
          <label key={key} className="field">
            <span>{label}</span>
            <input type="text" inputMode="numeric" value={text(key)} placeholder={placeholder} spellCheck={false} autoComplete="off"
              aria-invalid={problem ? true : undefined} aria-describedby={problem ? `${id}-problem` : `${id}-note`}
              onChange={(event) => { setDrafts((d) => ({ ...d, [key]: event.target.value })); setProblem(undefined); }} />
          </label>
        ))}
      </div>
      <div className="vm-save-row">
        <button type="submit" disabled={update.isPending} aria-busy={update.isPending || undefined}>Save VM settings</button>
      </div>
      {problem && <p id={`${id}-problem`} role="alert" className="form-error">{problem}</p>}
      <p id={`${id}-note`} className="hint">
        CPUs and memory apply at the VM’s next start or restart; the disk size when its data disk is made (the first start, or after Reset). Empty: the default.
      </p>
      {platform === 'linux' && (
        <fieldset className="engine-location" role="radiogroup" aria-labelledby={`${id}-location`} aria-describedby={`${id}-location-note`}>
          <legend id={`${id}-location`}>{SETTING_LABELS.engineLocation}</legend>
          <div className="theme-choices">
            {LOCATIONS.map((choice) => (
              <label key={choice.value} className="choice">
                <input type="radio" name={`${id}-location`} value={choice.value} checked={settings.engineLocation === choice.value}
                  disabled={!applies.engineLocation} onChange={() => save({ engineLocation: choice.value })} />
                {choice.label}
              </label>
            ))}
          </div>
          <p id={`${id}-location-note`} className="hint">
            {applies.engineLocation ? '' : `${notApplied} `}
            Automatic: this kernel when Berth runs as root, else the VM (no password needed). This computer’s kernel without root asks for a password (pkexec). Takes effect at the next launch.
          </p>
        </fieldset>
      )}
    </form>
  );
}
