// <settingsDir>/compose-projects.json: the compose projects the user opened (their folder and
// files), newest first, so the Compose view can bring one up again after its containers are gone.
// Written crash-safe (DESIGN.md rule 4); a missing or broken file means "none yet".
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RememberedComposeProject } from '../../common/desktop-api.ts';
import { writeJsonAtomically } from '../atomic-json-file.ts';

const MAX_REMEMBERED = 50;

export function composeMemoryPath(settingsDir: string): string {
  return join(settingsDir, 'compose-projects.json');
}

function valid(entry: unknown): entry is RememberedComposeProject {
  const e = entry as Partial<RememberedComposeProject> | null;
  return typeof e?.project === 'string' && typeof e.workingDir === 'string' && typeof e.lastUsed === 'number'
    && Array.isArray(e.files) && e.files.every((f) => typeof f === 'string');
}

export function loadRememberedProjects(settingsDir: string): RememberedComposeProject[] {
  try {
    const raw = JSON.parse(readFileSync(composeMemoryPath(settingsDir), 'utf8')) as { projects?: unknown };
    return Array.isArray(raw.projects) ? raw.projects.filter(valid) : [];
  } catch {
    return [];
  }
}

/** Puts the project first (replacing an entry of the same name and folder) and saves. */
export function rememberProject(settingsDir: string, entry: RememberedComposeProject): RememberedComposeProject[] {
  const others = loadRememberedProjects(settingsDir).filter((e) => e.project !== entry.project || e.workingDir !== entry.workingDir);
  const projects = [entry, ...others].slice(0, MAX_REMEMBERED);
  writeJsonAtomically(composeMemoryPath(settingsDir), { projects });
  return projects;
}
