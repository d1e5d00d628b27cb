// <settingsDir>/endpoints.json: the endpoint the user chose and the ones they added, kept across
// launches. Written crash-safe (DESIGN.md rule 4): temp file, fsync, rename.
import { readFileSync } from 'node:fs';
import { writeJsonAtomically } from './atomic-json-file.ts';
import { join } from 'node:path';

export interface StoredEndpoint { url: string; label: string }

export interface EndpointSettings {
  current?: string;
  endpoints: StoredEndpoint[];
}

function settingsFile(settingsDir: string): string {
  return join(settingsDir, 'endpoints.json');
}

/**
 * Read once, synchronously, when the backend is created (it decides the first endpoint).
 * Missing or unreadable settings mean "nothing chosen yet"; a broken file never stops the app.
 */
export function loadEndpointSettings(settingsDir: string): EndpointSettings {
  let text: string;
  try {
    text = readFileSync(settingsFile(settingsDir), 'utf8');
  } catch {
    return { endpoints: [] };
  }
  try {
    const raw = JSON.parse(text) as { current?: unknown; endpoints?: unknown };
    const endpoints = Array.isArray(raw.endpoints)
      ? raw.endpoints.filter((e): e is StoredEndpoint => typeof e?.url === 'string' && typeof e?.label === 'string')
      : [];
    return { current: typeof raw.current === 'string' ? raw.current : undefined, endpoints };
  } catch {
    return { endpoints: [] };
  }
}

export async function saveEndpointSettings(settingsDir: string, settings: EndpointSettings): Promise<void> {
  writeJsonAtomically(settingsFile(settingsDir), settings);
}
