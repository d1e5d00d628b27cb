// Bind sources inside the Berth VM: only the host folders shared into the guest (9p, mounted at
// the same path as on the host) hold the user's files. Any other path names the guest's own
// filesystem, which the user never sees, so binding it would show an empty or unrelated
// directory. berthd in the VM is told the shared roots (--vm-shared-path) and refuses the rest
// with dockerd's "invalid mount config" wording (a 400 at create, which the docker CLI prints).
import { posix } from 'node:path';
import { invalid, type EngineError } from '../errors.ts';

export interface SharedRoots {
  /** Host folders shared into the VM, at the same path in the guest. */
  roots: readonly string[];
  /** Guest paths a bind may name although no share covers them (the engine's own sockets). */
  exempt: readonly string[];
}

function within(path: string, root: string): boolean {
  if (root === '/') return true;
  return path === root || path.startsWith(`${root}/`);
}

/** The source lexically normalised: `/home/u/../../etc` is /etc, never inside /home/u. */
export function isShared(source: string, shared: SharedRoots): boolean {
  const path = posix.normalize(source).replace(/(.)\/+$/, '$1');
  if (shared.exempt.some((exempt) => posix.normalize(exempt) === path)) return true;
  return shared.roots.some((root) => within(path, posix.normalize(root).replace(/(.)\/+$/, '$1')));
}

export function unsharedBindError(source: string): EngineError {
  return invalid(
    `invalid mount config for type "bind": bind source path is not shared with the Berth VM: ${source}; ` +
      'add it (or a folder above it) in Settings → Virtual machine → Shared folders, ' +
      'or restart the VM with `berth vm restart --share DIR` naming a folder that holds it',
  );
}

/** Throws when the VM's engine may not bind `source`; a no-op on a native engine (no roots). */
export function checkShared(source: string, shared: SharedRoots | undefined): void {
  if (shared && !isShared(source, shared)) throw unsharedBindError(source);
}
