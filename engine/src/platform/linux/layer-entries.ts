// Writes the entries of one layer tar into a fresh, private directory (DESIGN.md rule 5).
// Entry semantics follow the OCI image spec "Image Layer Filesystem Changeset": later entries
// replace earlier ones of the same path, a directory over a directory merges, `.wh.<name>` and
// `.wh..wh..opq` are whiteouts (collected here, materialised by layer-whiteouts.ts).
import { chmod, link, lstat, lutimes, lchown, mkdir, open, rm, symlink, unlink, type FileHandle } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import type { Header } from 'tar-stream';
import { invalid } from '../../core/errors.ts';
import { BoundedWrites } from './bounded-writes.ts';
import { RootedResolver, cleanEntryName } from './safe-path.ts';
import { entryMeta, type EntryMeta } from './tar-file-entry.ts';

/** Files up to this size are read whole and written in the background; bigger ones stream. */
const SMALL_FILE = 1024 * 1024;
/** Big files are written in slices of this size, one slice in flight while the next is read. */
const WRITE_SLICE = 1024 * 1024;

/** An entry's content stream as tar-stream hands it over (a streamx Readable). */
export interface EntryBody extends AsyncIterable<unknown> {
  resume(): unknown;
  on(event: 'end' | 'error', listener: (error?: Error) => void): unknown;
}

type Meta = EntryMeta;
const metaOf = entryMeta;

export class LayerEntryWriter {
  readonly root: string;
  readonly writes = new BoundedWrites();
  readonly resolver: RootedResolver;
  /** Paths (absolute) where `.wh.<name>` asked for a whiteout. */
  readonly whiteouts: string[] = [];
  /** Directories (absolute) that `.wh..wh..opq` marked opaque. */
  readonly opaques: string[] = [];
  /** Notes about entries we chose not to reproduce (device nodes, xattrs). */
  readonly skipped: string[] = [];
  /** Sum of regular file sizes. */
  size = 0;
  entries = 0;
  /** Directory metadata, applied last: writing children changes a directory's mtime. */
  readonly #dirs = new Map<string, Meta>();
  /** Every path an entry created. The destination starts empty and is ours alone, so a path
   * neither here nor among the resolver's directories does not exist: no lstat needed. */
  readonly #created = new Set<string>();

  constructor(root: string) {
    this.root = root;
    this.resolver = new RootedResolver(root, (path) => this.writes.pending(path));
  }

  /** Handles one entry; resolves once its body is consumed (a file's write may still be running). */
  async add(header: Header, body: EntryBody): Promise<void> {
    this.writes.check();
    this.entries++;
    const rel = cleanEntryName(header.name);
    const base = rel.slice(rel.lastIndexOf('/') + 1);
    if (rel === '') return skip(body); // the layer root's own entry ("./"): the snapshotter owns it
    if (base.startsWith('.wh.')) return this.#whiteout(rel, base, body);
    switch (header.type) {
      case 'directory':
        body.resume();
        return this.#directory(rel, metaOf(header));
      case 'file':
      case 'contiguous-file':
        this.#noteXattrs(rel, header);
        return this.#file(rel, header, body);
      case 'symlink':
        body.resume();
        return this.#symlink(rel, header);
      case 'link':
        body.resume();
        return this.#hardlink(rel, header);
      default:
        // Device nodes and fifos: containers get theirs from the runtime's /dev; a layer that
        // ships them gains nothing and a host-side node would be a hazard. Skip with a note.
        this.skipped.push(`${rel}: ${header.type} not created`);
        return skip(body);
    }
  }

  /** Waits for all writes, then applies directory ownership, modes and times. */
  async finishFiles(): Promise<void> {
    await this.writes.drain();
  }

  async finishDirectories(): Promise<void> {
    for (const [path, meta] of this.#dirs) {
      const stat = await lstat(path).catch(() => undefined);
      if (!stat?.isDirectory()) continue; // replaced by a later entry
      await lchown(path, meta.uid, meta.gid);
      await chmod(path, meta.mode); // just lstat'ed: a real directory, not a symlink
      await lutimes(path, meta.atime, meta.mtime);
    }
  }

  async #whiteout(rel: string, base: string, body: EntryBody): Promise<void> {
    await skip(body);
    if (base === '.wh..wh..opq') {
      const parent = rel.includes('/') ? rel.slice(0, rel.lastIndexOf('/')) : '';
      this.opaques.push(await this.resolver.resolveDir(parent));
      return;
    }
    // Other `.wh..wh.` names are AUFS bookkeeping (e.g. `.wh..wh.plnk`), not whiteouts.
    if (base.startsWith('.wh..wh.')) return;
    const name = base.slice('.wh.'.length);
    if (name === '' || name === '.' || name === '..') throw invalid(`layer entry ${JSON.stringify(rel)}: bad whiteout name`);
    const { dir } = await this.resolver.resolve(rel);
    this.whiteouts.push(`${dir}/${name}`);
  }

  async #directory(rel: string, meta: Meta): Promise<void> {
    const { path } = await this.resolver.resolve(rel);
    if ((await this.#clear(path, true)) !== 'dir') await mkdir(path, { mode: 0o700 });
    this.resolver.noteDir(path);
    this.#created.add(path);
    this.#dirs.set(path, meta);
  }

  async #symlink(rel: string, header: Header): Promise<void> {
    const { path } = await this.resolver.resolve(rel);
    if (!header.linkname) throw invalid(`layer entry ${JSON.stringify(rel)}: symlink without a target`);
    await this.#clear(path, false);
    // The target is stored verbatim: it is only ever resolved inside the container's root.
    await symlink(header.linkname, path);
    this.#created.add(path);
    const meta = metaOf(header);
    // Created with our own ids: as for files (applyMeta), only a different owner costs a call,
    // which matters in a layer of ~400 busybox applet links.
    if (meta.uid !== EUID || meta.gid !== EGID) await lchown(path, meta.uid, meta.gid);
    await lutimes(path, meta.atime, meta.mtime);
  }

  async #hardlink(rel: string, header: Header): Promise<void> {
    // The target is a path in this same archive (POSIX tar "LNKTYPE"); resolve it under the root
    // like any entry, and insist it already exists here: a link to anything else is refused.
    const targetRel = cleanEntryName(header.linkname);
    if (targetRel === '') throw invalid(`layer entry ${JSON.stringify(rel)}: hardlink to the layer root`);
    const target = await this.resolver.resolve(targetRel, false);
    await this.writes.pending(target.path);
    this.writes.check();
    const stat = await lstat(target.path).catch(() => undefined);
    if (!stat) throw invalid(`layer entry ${JSON.stringify(rel)}: hardlink target ${JSON.stringify(header.linkname)} is not in this layer`);
    if (stat.isDirectory()) throw invalid(`layer entry ${JSON.stringify(rel)}: hardlink to a directory`);
    const { path } = await this.resolver.resolve(rel);
    if (path === target.path) return;
    await this.#clear(path, false);
    // link(2) on Linux does not follow a symlink target; the new name shares the target's inode.
    await link(target.path, path);
    this.#created.add(path);
  }

  async #file(rel: string, header: Header, body: EntryBody): Promise<void> {
    const { path } = await this.resolver.resolve(rel);
    await this.#clear(path, false);
    this.#created.add(path);
    const meta = metaOf(header);
    this.size += header.size;
    if (header.size <= SMALL_FILE) {
      const chunks: Buffer[] = [];
      for await (const chunk of body) chunks.push(chunk as Buffer);
      await this.writes.start(path, header.size, () => writeSmall(path, chunks, meta));
      return;
    }
    const handle = await open(path, 'wx', meta.mode);
    let inFlight: Promise<unknown> = Promise.resolve();
    try {
      let slice: Buffer[] = [];
      let sliceBytes = 0;
      for await (const chunk of body) {
        slice.push(chunk as Buffer);
        sliceBytes += (chunk as Buffer).length;
        if (sliceBytes >= WRITE_SLICE) {
          await inFlight;
          inFlight = writeAll(handle, slice);
          // Observed now, rethrown by the next await: a write failing (ENOSPC) while the next
          // slice is read must not be an unhandled rejection, which ends the process.
          inFlight.catch(() => undefined);
          slice = [];
          sliceBytes = 0;
        }
      }
      await inFlight;
      await writeAll(handle, slice);
      await applyMeta(handle, meta);
    } finally {
      await inFlight.catch(() => undefined); // never close under a write still running
      await handle.close();
    }
  }

  /** Makes room for a new entry at `path`: waits for its pending write, removes what is there
   * unless both are directories (tar merges those). */
  async #clear(path: string, isDir: boolean): Promise<'absent' | 'dir' | 'removed'> {
    if (!this.#created.has(path) && !this.resolver.knowsDir(path)) return 'absent';
    await this.writes.pending(path);
    const stat = await lstat(path).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return undefined;
      throw error;
    });
    if (!stat) return 'absent';
    if (stat.isDirectory()) {
      if (isDir) return 'dir';
      await this.writes.drain(); // files may still be landing inside it
      await rm(path, { recursive: true, force: true });
      this.resolver.forget(path);
      return 'removed';
    }
    await unlink(path);
    return 'removed';
  }

  #noteXattrs(rel: string, header: Header): void {
    const pax = header.pax as Record<string, string> | null | undefined;
    if (!pax) return;
    const names = Object.keys(pax).filter((key) => key.startsWith('SCHILY.xattr.'));
    if (names.length > 0) this.skipped.push(`${rel}: xattrs not applied (${names.map((n) => n.slice(13)).join(', ')})`);
  }
}

async function writeSmall(path: string, chunks: Buffer[], meta: Meta): Promise<void> {
  // 'wx' = O_CREAT|O_EXCL: never opens through a symlink someone slipped in at the final name.
  const handle = await open(path, 'wx', meta.mode);
  try {
    await writeAll(handle, chunks);
    await applyMeta(handle, meta);
  } finally {
    await handle.close();
  }
}

async function writeAll(handle: FileHandle, chunks: Buffer[]): Promise<void> {
  if (chunks.length === 0) return;
  let pending = chunks;
  while (pending.length > 0) {
    let { bytesWritten } = await handle.writev(pending);
    const rest: Buffer[] = [];
    for (const chunk of pending) {
      if (bytesWritten >= chunk.length) bytesWritten -= chunk.length;
      else {
        rest.push(chunk.subarray(bytesWritten));
        bytesWritten = 0;
      }
    }
    pending = rest;
  }
}

/** Files are created with their final mode (open(2) keeps setuid/setgid bits); each metadata call
 * is a thread-pool round trip, so only the ones that change something are made. */
async function applyMeta(handle: FileHandle, meta: Meta): Promise<void> {
  const chown = meta.uid !== EUID || meta.gid !== EGID;
  if (chown) await handle.chown(meta.uid, meta.gid);
  // chown clears setuid/setgid bits, even for root; and the umask may have cut bits at open.
  if ((chown && (meta.mode & 0o7000) !== 0) || (meta.mode & currentUmask()) !== 0) await handle.chmod(meta.mode);
  await handle.utimes(meta.atime, meta.mtime);
}

const EUID = process.geteuid?.() ?? -1;
const EGID = process.getegid?.() ?? -1;
let umask: number | undefined;

/** Read from /proc: process.umask() without an argument is deprecated (it briefly changes it). */
function currentUmask(): number {
  if (umask === undefined) {
    const match = /^Umask:\s*([0-7]+)$/m.exec(readProcStatus());
    umask = match ? parseInt(match[1], 8) : 0o777;
  }
  return umask;
}

function readProcStatus(): string {
  try {
    return readFileSync('/proc/self/status', 'utf8');
  } catch {
    return '';
  }
}

function skip(body: EntryBody): Promise<void> {
  return new Promise((resolve, reject) => {
    body.on('end', () => resolve());
    body.on('error', reject);
    body.resume();
  });
}
