// Part of the DesktopApi contract, re-exported by desktop-api.ts:
// Builds as the Build view runs and remembers them.

/** What the Build view sends: a folder on the backend's machine becomes the build context. */
export interface BuildSpec {
  /** Absolute path of the context folder. */
  folder: string;
  /** The Dockerfile, relative to the folder. */
  dockerfile: string;
  tags: string[];
  buildArgs: Record<string, string>;
  target?: string;
  noCache: boolean;
}

/** What the Build view offers for a folder: its Dockerfiles, and for the one chosen its stages and ARGs. */
export interface BuildFolderInfo {
  folder: string;
  dockerfiles: string[];
  dockerfile?: string;
  stages: string[];
  args: Array<{ name: string; default?: string }>;
}

export type BuildOutcome = 'succeeded' | 'failed' | 'cancelled';

/** One item of the build stream. `lines` come batched (a build may print 50,000 lines/s). */
export type BuildItem =
  | { kind: 'started'; buildId: string }
  | { kind: 'lines'; lines: string[] }
  /** "Step N/M : INSTRUCTION", with the Dockerfile line (1-based) of that instruction. */
  | { kind: 'step'; step: number; total: number; instruction: string; line?: number }
  | { kind: 'done'; imageId: string; tags: string[]; durationMs: number }
  /** The build failed; `line`/`lineText` point at the Dockerfile line when it is known. */
  | { kind: 'failed'; message: string; line?: number; lineText?: string; durationMs: number };

/** A build as the Recent builds list keeps it (across launches, in the settings dir). */
export interface BuildRecord {
  buildId: string;
  folder: string;
  dockerfile: string;
  tags: string[];
  target?: string;
  outcome: BuildOutcome;
  /** Milliseconds since the epoch. */
  startedAt: number;
  durationMs: number;
  imageId?: string;
  message?: string;
}
