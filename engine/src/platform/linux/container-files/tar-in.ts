// `PUT /containers/{id}/archive`: extracts an uploaded tar into a directory of a container view,
// with dockerd's rules (moby daemon/archive_unix.go containerExtractToDir and go-archive Unpack):
// entry names are cleaned and may not climb out of the extraction directory; every parent is
// resolved in the view chroot-style, one name at a time in directories held open (../fs/at.ts),
// and every entry is created by name in its parent's handle without following anything there,
// so neither a symlink planted by an earlier entry nor one the running container swaps in leads
// a write out of the rootfs or volume (CVE-2018-15664, CVE-2019-14271); noOverwriteDirNonDir
// keeps directories and non-directories from replacing each other; ownership comes from the tar
// unless `chown` overrides it.
import type { FileHandle } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { extract as tarExtract, type Header } from 'tar-stream';
import { invalid } from '../../../core/errors.ts';
import { at, createFileAt, HandleScope, linkAt, lchownAt, lstatAt, lutimesAt, mkdirAt, openDirAt, removeAt, symlinkAt, type Loc } from '../fs/at.ts';
import { openDecompressed } from '../layer-decompress.ts';
import { cleanEntryName } from '../safe-path.ts';
import { entryMeta, type EntryMeta } from '../tar-file-entry.ts';
import { chmod, chown, utimes } from 'node:fs/promises';
import type { ContainerView, ViewMount } from './container-view.ts';

export interface ExtractOptions {
  /** Canonical container path of the extraction directory (symlinks already resolved). */
  dest: string;
  noOverwriteDirNonDir: boolean;
  /** copyUIDGID with a container user: every entry is owned by this uid/gid instead. */
  chown?: { uid: number; gid: number };
}

/** Parent directories kept open between entries (a tar lists a directory's entries together). */
const MAX_CACHED_DIRS = 256;

interface Parent {
  dir: FileHandle;
  /** Canonical container path of the directory. */
  path: string;
}

export async function extractIntoView(view: ContainerView, body: Readable, options: ExtractOptions): Promise<void> {
  // gzip and zstd uploads are accepted as dockerd accepts compressed ones (DecompressStream).
  const { stream } = await openDecompressed(body, '');
  const extract = tarExtract();
  stream.on('error', (error) => extract.destroy(error));
  stream.pipe(extract as unknown as NodeJS.WritableStream);
  const extractor = new ViewExtractor(view, options);
  try {
    for await (const entry of extract) {
      await extractor.add(entry.header, entry);
    }
    await extractor.finish();
  } finally {
    stream.destroy();
    await extractor.close();
  }
}

class ViewExtractor {
  readonly #view: ContainerView;
  readonly #options: ExtractOptions;
  /** Raw container path of a parent → its open directory. */
  readonly #parents = new Map<string, Parent>();
  /** Directories created or merged, for their times at the end (raw container paths). */
  readonly #dirs: Array<{ path: string; meta: EntryMeta }> = [];

  constructor(view: ContainerView, options: ExtractOptions) {
    this.#view = view;
    this.#options = options;
  }

  async add(header: Header, body: AsyncIterable<unknown>): Promise<void> {
    let rel: string;
    try {
      rel = cleanEntryName(header.name);
    } catch {
      // go-archive Unpack: a name that is not local to the extraction root is a breakout.
      throw invalid(`invalid entry name ${JSON.stringify(header.name)}: it escapes the extraction directory ${this.#options.dest}`);
    }
    if (rel === '') return drain(body);
    // Between entries, so no handle is in use: bound the open directories.
    if (this.#parents.size >= MAX_CACHED_DIRS) await this.#forgetParents();
    const path = this.#containerPath(rel);
    const slash = path.lastIndexOf('/');
    const parent = await this.#parent(path.slice(0, slash) || '/');
    const name = path.slice(slash + 1);
    const canonical = `${parent.path === '/' ? '' : parent.path}/${name}`;
    const type = header.type ?? 'file';
    const mountPoint = this.#view.mountAt(canonical);
    if (mountPoint) {
      // A directory merges into a directory mount. Anything else would replace the mount point,
      // which dockerd's extraction cannot unlink either (`docker cp f ctr:/etc/hosts`: "unlinkat
      // /etc/hosts: device or resource busy", moby#22281); dropping it would report a copy that
      // never reached what the container sees.
      if (type === 'directory' && (await this.#view.mountLoc(mountPoint)).name === '') return drain(body);
      throw invalid(`unlinkat ${canonical}: device or resource busy`);
    }
    this.#checkWritable(this.#view.mountOf(canonical));
    const loc: Loc = { dir: parent.dir, name };
    const existing = await lstatAt(loc);
    if (existing) {
      // Wording and argument order as go-archive's Unpack (entry name, then destination).
      if (this.#options.noOverwriteDirNonDir && existing.isDirectory() && type !== 'directory') {
        throw invalid(`cannot overwrite directory ${JSON.stringify(rel)} with non-directory ${JSON.stringify(this.#options.dest)}`);
      }
      if (this.#options.noOverwriteDirNonDir && !existing.isDirectory() && type === 'directory') {
        throw invalid(`cannot overwrite non-directory ${JSON.stringify(rel)} with directory ${JSON.stringify(this.#options.dest)}`);
      }
      if (!existing.isDirectory() || type !== 'directory') {
        await removeAt(loc);
        // Another cached parent may have been reached through what was just removed (this
        // entry's own parent cannot have been: the removed entry lies inside it).
        if (existing.isDirectory() || existing.isSymbolicLink()) await this.#forgetParents(parent);
      }
    }
    const meta = this.#meta(header);
    switch (type) {
      case 'directory':
        await drain(body);
        if (!existing?.isDirectory()) await mkdirAt(loc, 0o700);
        await withDir(loc, async (dir) => {
          // Through the handle: the directory we made or found, whatever the name holds by now.
          await chown(at({ dir, name: '' }), meta.uid, meta.gid);
          await chmod(at({ dir, name: '' }), meta.mode);
        });
        this.#dirs.push({ path, meta });
        return;
      case 'file':
      case 'contiguous-file':
        return writeFile(loc, body, meta);
      case 'symlink':
        await drain(body);
        // Stored verbatim: it is only ever resolved inside the container.
        await symlinkAt(header.linkname ?? '', loc);
        await lchownAt(loc, meta.uid, meta.gid);
        await lutimesAt(loc, meta.mtime, meta.mtime);
        return;
      case 'link':
        await drain(body);
        return this.#hardlink(rel, header.linkname ?? '', loc, canonical);
      default:
        // Device nodes and fifos need mknod(2), which Node lacks; containers get theirs from /dev.
        return drain(body);
    }
  }

  /** Directory times last: creating entries inside a directory changes its mtime. */
  async finish(): Promise<void> {
    await this.#forgetParents();
    for (const { path, meta } of this.#dirs.reverse()) {
      const scope = new HandleScope();
      try {
        const found = await this.#view.resolve(path, false, scope);
        if (found) await withDir(found.loc, (dir) => utimes(at({ dir, name: '' }), meta.mtime, meta.mtime));
      } finally {
        await scope.close();
      }
    }
  }

  close(): Promise<void> {
    return this.#forgetParents();
  }

  #containerPath(rel: string): string {
    return `${this.#options.dest === '/' ? '' : this.#options.dest}/${rel}`;
  }

  #checkWritable(mount: ViewMount | undefined): void {
    if (mount && !mount.rw) throw invalid('mounted volume is marked read-only');
  }

  /** The directory at container path `path`, created (0755) where missing, as go-archive creates
   * the parents an archive did not list; symlinks on the way are followed inside the view. */
  async #parent(path: string): Promise<Parent> {
    const cached = this.#parents.get(path);
    if (cached) return cached;
    const scope = new HandleScope();
    try {
      const found = await this.#view.resolve(path, true, scope, (canonical) => this.#checkWritable(this.#view.mountOf(canonical)));
      if (!found) throw invalid(`${path}: not a directory`);
      const dir = await openDirAt(found.loc);
      if (typeof dir === 'string') throw invalid(`${path}: not a directory`);
      const parent = { dir, path: found.path };
      this.#parents.set(path, parent);
      return parent;
    } finally {
      await scope.close();
    }
  }

  /** Closes the cached parents, all but `keep` (still in use by the entry being written). */
  async #forgetParents(keep?: Parent): Promise<void> {
    const handles: FileHandle[] = [];
    for (const [key, p] of this.#parents) {
      if (p === keep) continue;
      handles.push(p.dir);
      this.#parents.delete(key);
    }
    await Promise.all(handles.map((h) => h.close().catch(() => undefined)));
  }

  async #hardlink(rel: string, linkname: string, to: Loc, canonical: string): Promise<void> {
    // A tar hard link names another entry of the same archive (relative to the extraction
    // directory): resolve it the same way, and refuse anything that is not already there.
    let linkRel: string;
    try {
      linkRel = cleanEntryName(linkname);
    } catch {
      throw invalid(`invalid hardlink ${JSON.stringify(rel)} -> ${JSON.stringify(linkname)}: it escapes the extraction directory`);
    }
    if (linkRel === '') throw invalid(`invalid hardlink ${JSON.stringify(rel)} -> ${JSON.stringify(linkname)}`);
    const path = this.#containerPath(linkRel);
    const slash = path.lastIndexOf('/');
    const parent = await this.#parent(path.slice(0, slash) || '/');
    const from: Loc = { dir: parent.dir, name: path.slice(slash + 1) };
    const source = `${parent.path === '/' ? '' : parent.path}/${from.name}`;
    if (this.#view.mountOf(source) !== this.#view.mountOf(canonical)) throw invalid(`invalid hardlink ${JSON.stringify(rel)} -> ${JSON.stringify(linkname)}: across mounts`);
    const stat = await lstatAt(from);
    if (!stat || stat.isDirectory()) throw invalid(`invalid hardlink ${JSON.stringify(rel)} -> ${JSON.stringify(linkname)}: target missing or a directory`);
    await linkAt(from, to);
  }

  #meta(header: Header): EntryMeta {
    const meta = entryMeta(header);
    return this.#options.chown ? { ...meta, ...this.#options.chown } : meta;
  }
}

/** Runs `fn` with the directory at `loc` held open (not followed if it is a symlink by now). */
async function withDir(loc: Loc, fn: (dir: FileHandle) => Promise<unknown>): Promise<void> {
  const dir = await openDirAt(loc);
  if (typeof dir === 'string') return;
  try {
    await fn(dir);
  } finally {
    await dir.close();
  }
}

async function writeFile(loc: Loc, body: AsyncIterable<unknown>, meta: EntryMeta): Promise<void> {
  // O_CREAT|O_EXCL|O_NOFOLLOW in the parent we hold: never opens through anything at the name.
  const handle = await createFileAt(loc, 0o600);
  try {
    for await (const chunk of body) await handle.write(chunk as Buffer);
    await handle.chown(meta.uid, meta.gid);
    await handle.chmod(meta.mode); // after chown, which clears setuid/setgid
    await handle.utimes(meta.mtime, meta.mtime);
  } finally {
    await handle.close();
  }
}

async function drain(body: AsyncIterable<unknown>): Promise<void> {
  for await (const _chunk of body) {
    // discard
  }
}
