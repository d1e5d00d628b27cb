// Crash-safe writes for the small files of the app and its backend (DESIGN.md rule 4): temp file,
// fsync, rename, so a crash or power cut leaves either the old file or the new one, never half.
import { chmodSync, closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

/** `mode` is set exactly (not through the umask) before the rename, so the file never shows another. */
export function writeFileAtomically(path: string, content: string, mode = 0o600): void {
  mkdirSync(dirname(path), { recursive: true });
  const temp = `${path}.${process.pid}.tmp`;
  const fd = openSync(temp, 'w', 0o600);
  try {
    writeSync(fd, content);
    fsyncSync(fd);
    closeSync(fd);
    chmodSync(temp, mode);
    renameSync(temp, path);
  } catch (error) {
    try { closeSync(fd); } catch { /* already closed */ }
    rmSync(temp, { force: true });
    throw error;
  }
}

export function writeJsonAtomically(path: string, value: unknown): void {
  writeFileAtomically(path, `${JSON.stringify(value, null, 2)}\n`);
}
