// Tar streams out of a container view: `GET /containers/{id}/archive` (one path, named the way
// moby's TarResourceRebaseOpts names it) and `GET /containers/{id}/export` (the whole rootfs,
// names relative to it, the root itself left out, as archive.TarWithOptions(rootfs) does).
// The walk holds each directory open and looks its children up in it (../fs/at.ts), so a
// directory swapped for a symlink while we walk is archived as the symlink it now is, never
// followed; files are streamed, never buffered whole.
import { Readable } from 'node:stream';
import { pack as tarPack, type Pack } from 'tar-stream';
import { readdirAt, type Loc } from '../fs/at.ts';
import { openEntry, packEntry } from '../tar-file-entry.ts';
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
  if (pack.destroyed) return;
  // The container keeps running while we walk: an entry gone meanwhile is skipped, as go-archive
  // logs and skips what it cannot stat.
  const entry = await openEntry(loc);
  if (!entry) return;
  try {
    if (name !== '') await packEntry(pack, entry, name, { links });
    if (!entry.stats.isDirectory()) return;
    const children = await readdirAt(entry.handle).catch(() => [] as string[]);
    for (const child of children) {
      const childParts = [...parts, child];
      // A volume or bind mount inside the tree shows its source, as in the container.
      const mount = view.mountAt('/' + childParts.join('/'));
      const childLoc = mount ? await view.mountLoc(mount) : { dir: entry.handle, name: child };
      const childName = childPrefix === '' && name === '' ? child : `${childPrefix}/${child}`;
      await addTree(pack, view, links, childLoc, childParts, childName, childName);
    }
  } finally {
    await entry.handle.close();
  }
}
