// Finding programs the way a shell does: the first executable file of that name on PATH.
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/** Whether the file exists and this process may run it. */
export function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The first `name` in the PATH-style list `path` that may be run; empty entries are skipped. */
export function findOnPath(name: string, path = process.env.PATH ?? ''): string | undefined {
  for (const dir of path.split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}
