// Tar streams out of a container view: `GET /containers/{id}/archive` (one path, named the way
// moby's TarResourceRebaseOpts names it) and `GET /containers/{id}/export` (the whole rootfs,
// names relative to it, the root itself left out, as archive.TarWithOptions(rootfs) does).
// The walk holds each directory open and looks its children up in it (../fs/at.ts), so a
// directory swapped for a symlink while we walk is archived as the symlink it now is, never
// followed; files are streamed, never buffered whole.
import { Readable } from 'node:stream';
import { pack as tarPack, type Pack } from 'tar-stream';
import { readdirTypedAt, type Loc } from '../fs/at.ts';
import { lookUpEntry, openEntry, packEntry, type OpenEntry, type StatEntry } from '../tar-file-entry.ts';
import type { ContainerView } from './container-view.ts';

export interface TarOutOptions {
  /** Where the tree or file to archive lives (default: the view's root), and its canonical
   * container path components. */
  loc?: Loc;
  parts: string[];
  /** Name of the top entry in the archive ('' = leave the top directory out, as export does). */
  topName: string;
  /** Prefix for the children's names (dockerd: topName, or '' when archiving "/"). */
  childPrefix: string;
  onError?: (error: unknown) => void;
}

/** Streams a tar of `options.loc` (and everything below it if it is a directory); closes the
 * view when done. */
export function tarFromView(view: ContainerView, options: TarOutOptions): Readable {
  const pack = tarPack();
  const links = new Map<string, string>();
  void (async () => {
    try {
      const loc = options.loc ?? (await view.root());
      await addTree(pack, view, links, loc, options.parts, options.topName, options.childPrefix);
      pack.finalize();
    } catch (error) {
      // Headers are gone already: all we can do is cut the stream, which clients see as an error.
      options.onError?.(error);
      pack.destroy(error instanceof Error ? error : new Error(String(error)));
    } finally {
      await view.close();
    }
  })();
  // A Node stream for the HTTP layer (tar-stream packs are streamx streams).
  return Readable.from(pack);
}

async function addTree(pack: Pack, view: ContainerView, links: Map<string, string>, loc: Loc, parts: string[], name: string, childPrefix: string): Promise<void> {
  // The container keeps running while we walk: an entry gone meanwhile is skipped, as go-archive
  // logs and skips what it cannot stat.
  const entry = await openEntry(loc);
  if (entry) await addEntryTree(pack, view, links, entry, parts, name, childPrefix);
}

/** Packs an entry, and everything below it if it is a directory; closes its handle. */
async function addEntryTree(pack: Pack, view: ContainerView, links: Map<string, string>, entry: OpenEntry | StatEntry, parts: string[], name: string, childPrefix: string): Promise<void> {
  try {
    if (pack.destroyed) return;
    if (name !== '') await packEntry(pack, entry, name, { links });
    if (!entry.handle || !entry.stats.isDirectory()) return;
    const dir = entry.handle;
    const children = await readdirTypedAt(dir).catch(() => []);
    for (const child of children) {
      const childParts = [...parts, child.name];
      const childName = childPrefix === '' && name === '' ? child.name : `${childPrefix}/${child.name}`;
      // A volume or bind mount inside the tree shows its source, as in the container.
      const mount = view.mountAt('/' + childParts.join('/'));
      if (mount) {
        await addTree(pack, view, links, await view.mountLoc(mount), childParts, childName, childName);
        continue;
      }
      // Symlinks (busybox: ~400 of them) are lstat'ed and read, not opened, stat'ed and closed.
      const found = await lookUpEntry({ dir, name: child.name }, child);
      if (found) await addEntryTree(pack, view, links, found, childParts, childName, childName);
    }
  } finally {
    await entry.handle?.close();
  }
}
