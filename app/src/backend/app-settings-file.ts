// settings.json on disk, for both shells: Electron's main keeps it through main/settings.ts, the
// dashboard's backend through app-settings-call.ts. Loading never fails: a missing file gives the
// defaults; one that does not parse or holds wrong values gives the defaults for what is wrong, a
// warning that says what, and the bad file kept as .bak so nothing the user wrote is lost. Writes
// are atomic (temp file, fsync, rename) and refuse invalid settings.
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_SETTINGS, validateSettings, type AppSettings, type LoadedSettings } from '../common/app-settings.ts';
import { writeJsonAtomically } from './atomic-json-file.ts';

export function appSettingsPath(settingsDir: string): string {
  return join(settingsDir, 'settings.json');
}

export function loadSettings(path: string): LoadedSettings {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { settings: structuredClone(DEFAULT_SETTINGS), warnings: [] };
    return { settings: structuredClone(DEFAULT_SETTINGS), warnings: [`cannot read ${path}: ${(error as Error).message}; using the defaults`] };
  }
  let loaded: LoadedSettings;
  try {
    loaded = validateSettings(JSON.parse(text));
  } catch (error) {
    loaded = { settings: structuredClone(DEFAULT_SETTINGS), warnings: [`${path} is not valid JSON (${(error as Error).message})`] };
  }
  if (loaded.warnings.length > 0) {
    copyFileSync(path, `${path}.bak`);
    loaded.warnings.push(`kept the file as ${path}.bak; the values above are back to their defaults`);
  }
  return loaded;
}

export function saveSettings(path: string, settings: AppSettings): void {
  const { settings: checked, warnings } = validateSettings(settings);
  if (warnings.length > 0) throw new Error(`refusing to save invalid settings: ${warnings.join('; ')}`);
  writeJsonAtomically(path, checked);
}
