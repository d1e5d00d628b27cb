// Turns the whiteout entries of one layer into overlayfs's own representation (OCI image spec
// "Whiteouts"; kernel Documentation/filesystems/overlayfs.rst "whiteouts and opaque directories"):
// `.wh.<name>` becomes a 0:0 character device `<name>`, `.wh..wh..opq` in D sets
// `trusted.overlay.opaque=y` on D. Run after every regular entry is written, in one batch.
import { lstat } from 'node:fs/promises';
import { runBerthNative } from './berth-native.ts';

export async function applyWhiteouts(whiteouts: readonly string[], opaques: readonly string[]): Promise<void> {
  const devices: string[] = [];
  const opaqueDirs = new Set(opaques);
  for (const path of new Set(whiteouts)) {
    const stat = await lstat(path).catch(() => undefined);
    // The spec: a whiteout applies only to lower layers. If this layer also ships `<name>`:
    //  - a directory means "delete the lower one, then create this one": it must not show the
    //    lower directory's contents, which is exactly an opaque directory;
    //  - anything else already hides the lower entry on its own, so there is nothing to add.
    if (stat?.isDirectory()) opaqueDirs.add(path);
    else if (!stat) devices.push(path);
  }
  if (devices.length > 0) await runBerthNative('whiteout', devices);
  if (opaqueDirs.size > 0) await runBerthNative('opaque', [...opaqueDirs]);
}
