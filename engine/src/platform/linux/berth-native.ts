// The project's native helper (native/berth-native.c): mknod(2) and setxattr(2) are out of
// Node's reach, and overlayfs whiteouts need both. One process per batch of paths, so a layer
// with thousands of whiteouts costs a handful of spawns, not thousands.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { systemError } from '../../core/errors.ts';

/** Found by walking up from this file: in a checkout where scripts/setup/native-helper.mjs builds
 * it (`<repo>/.berth/bin/berth-native`, from engine/src or engine/.dist); in a package beside the
 * engine bundle (`/usr/lib/berth/berth-native` in the .deb, `resources/engine/berth-native` in the
 * desktop app), so no environment has to carry it through pkexec or systemd. */
function defaultPath(): string {
  for (let dir = dirname(fileURLToPath(import.meta.url)); dir !== dirname(dir); dir = dirname(dir)) {
    for (const candidate of [join(dir, '.berth', 'bin', 'berth-native'), join(dir, 'berth-native')]) {
      if (existsSync(candidate)) return candidate;
    }
  }
  return '/usr/lib/berth/berth-native';
}
const DEFAULT_PATH = defaultPath();

let configuredPath: string | undefined;

/** The helper binary: set by the entry file, else $BERTH_NATIVE, else the repo's build output. */
export function berthNativePath(): string {
  return configuredPath ?? process.env.BERTH_NATIVE ?? DEFAULT_PATH;
}

export function setBerthNativePath(path: string | undefined): void {
  configuredPath = path;
}

/** Keeps each argv well under ARG_MAX (2 MiB on Linux, shared with the environment). */
const MAX_BATCH_CHARS = 256 * 1024;

/** Runs `berth-native <command> <paths...>` in as few invocations as argv limits allow. */
export async function runBerthNative(command: 'whiteout' | 'opaque', paths: readonly string[]): Promise<void> {
  let batch: string[] = [];
  let chars = 0;
  for (const path of paths) {
    if (batch.length > 0 && chars + path.length + 1 > MAX_BATCH_CHARS) {
      await runOnce(command, batch);
      batch = [];
      chars = 0;
    }
    batch.push(path);
    chars += path.length + 1;
  }
  if (batch.length > 0) await runOnce(command, batch);
}

function runOnce(command: string, paths: string[]): Promise<void> {
  const binary = berthNativePath();
  return new Promise((resolve, reject) => {
    // `--` is not needed: the helper takes every argument after the command as a path, and our
    // paths are absolute, so none can look like an option.
    execFile(binary, [command, ...paths], { maxBuffer: 1024 * 1024 }, (error, _stdout, stderr) => {
      if (!error) return resolve();
      const code = (error as NodeJS.ErrnoException).code;
      const why = code === 'ENOENT' ? `native helper not found at ${binary} (run npm run setup)` : String(stderr).trim() || error.message;
      reject(systemError(`berth-native ${command} failed: ${why}`, error));
    });
  });
}
