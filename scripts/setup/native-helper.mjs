// Builds native/berth-native (syscalls and socket types Node lacks) with the system C compiler.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export function nativeHelperPath(root) {
  return join(root, '.berth', 'bin', 'berth-native');
}

export function ensureNativeHelper(root, log) {
  const source = join(root, 'native', 'berth-native.c');
  const output = nativeHelperPath(root);
  if (!existsSync(source)) return;
  if (existsSync(output) && statSync(output).mtimeMs >= statSync(source).mtimeMs) return;
  log('building native/berth-native.c');
  mkdirSync(join(root, '.berth', 'bin'), { recursive: true });
  const result = spawnSync('cc', ['-O2', '-Wall', '-Werror', '-o', output, source], { stdio: 'inherit' });
  if (result.status !== 0) throw new Error('building native/berth-native.c failed');
}
