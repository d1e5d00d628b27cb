// Part of the DesktopApi contract, re-exported by desktop-api.ts:
// Compose projects as the Compose view runs them.

/** Whole-project lifecycle, done on the engine over the project's labelled containers. */
export type ComposeProjectAction = 'start' | 'stop' | 'restart';

/** What the Compose CLI is asked to do with a project's files. */
export type ComposeCommand = 'up' | 'down' | 'pull' | 'restart';

/** A compose project as files on the backend's machine. */
export interface ComposeFiles {
  /** Absolute paths; the first one's folder is the working directory unless `workingDir` is given. */
  files: string[];
  workingDir?: string;
  /** Defaults to the working directory's name, as the Compose CLI derives it. */
  project?: string;
}

/** A project the user opened before (remembered in the settings dir). */
export interface RememberedComposeProject {
  project: string;
  workingDir: string;
  files: string[];
  /** Milliseconds since the epoch. */
  lastUsed: number;
}

export interface ComposeCliInfo {
  /** The command line that runs it: ['docker', 'compose'] or ['docker-compose']; absent when none was found. */
  command?: string[];
  version?: string;
  /** Why there is none, in words a user can act on. */
  message?: string;
}

/** One line the Compose CLI printed, or its exit. */
export type ComposeOutput = { stream: 'stdout' | 'stderr'; text: string } | { exit: number };
