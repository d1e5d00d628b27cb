// The one place the engine turns filesystem entries into tar entries and tar headers back into
// metadata: cp out, export, build layers and COPY sources write through packEntry; cp in, build
// contexts and layer unpacking read ownership, modes and times through entryMeta. Entries are
// opened race-free (fs/at.ts): the header and the bytes come from the same inode, and only a
// regular file is ever opened for reading.
import type { BigIntStats } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import type { Header, Pack } from 'tar-stream';
import { lstatAt, openPathAt, readlinkAt, reopenForRead, type Loc } from './fs/at.ts';

const READ_CHUNK = 1024 * 1024;

export type TarHeader = Partial<Header> & { name: string };

/** Linux's dev_t encoding (glibc gnu_dev_major / gnu_dev_minor): 12+20 bits split around the low
 * byte, the high bits in the upper word. */
export function devNumbers(rdev: bigint): { devmajor: number; devminor: number } {
  const devmajor = ((rdev >> 8n) & 0xfffn) | ((rdev >> 32n) & 0xfffff000n);
  const devminor = (rdev & 0xffn) | ((rdev >> 12n) & 0xffffff00n);
  return { devmajor: Number(devmajor), devminor: Number(devminor) };
}

/** overlayfs's (and the OCI image spec's on-disk) whiteout: a 0:0 character device. */
export function isWhiteoutDevice(stats: BigIntStats): boolean {
  return stats.isCharacterDevice() && stats.rdev === 0n;
}

/** An entry held open (O_PATH, no side effects) with its stat: what packEntry writes. */
export interface OpenEntry {
  loc: Loc;
  handle: FileHandle;
  stats: BigIntStats;
}

/** An entry looked at without opening it: a symlink, a device, a fifo or a socket, whose tar
 * entry is its stat (and a symlink's target, which is read by name either way). */
export interface StatEntry {
  loc: Loc;
  handle?: undefined;
  stats: BigIntStats;
}

/** The entry at `loc` for packing, with one lstat (and no open and close) when the directory
 * listing said it is neither a directory nor a regular file: those two are opened, as their
 * header and their bytes or children must come from the inode that was looked at. The listing's
 * type is only a hint: if the lstat finds a directory or a regular file, it is opened after all.
 * Undefined when the entry is gone; the caller closes `handle` if there is one. */
export async function lookUpEntry(loc: Loc, listedAs: { isDirectory(): boolean; isFile(): boolean }): Promise<OpenEntry | StatEntry | undefined> {
  if (listedAs.isDirectory() || listedAs.isFile()) return openEntry(loc);
  const stats = await lstatAt(loc);
  if (!stats) return undefined;
  if (stats.isDirectory() || stats.isFile()) return openEntry(loc);
  return { loc, stats };
}

/** Opens the entry at `loc` without following it; undefined when it is gone. The caller closes
 * `handle` (a directory's handle is what its children are looked up in). */
export async function openEntry(loc: Loc): Promise<OpenEntry | undefined> {
  const handle = await openPathAt(loc);
  if (!handle) return undefined;
  try {
    return { loc, handle, stats: await handle.stat({ bigint: true }) };
  } catch (error) {
    await handle.close();
    throw error;
  }
}

export interface PackOptions {
  /** dev:ino → first name, so later names of a multiply-linked file become tar hard links (as
   * go-archive does: the busybox image alone holds ~400 links to one binary). */
  links?: Map<string, string>;
  /** Owner for the entry instead of the file's (COPY --chown and the builder's defaults). */
  owner?: { uid: number; gid: number };
}

/** Writes the tar entry for an open filesystem entry. Sockets are skipped as go-archive skips
 * them; a symlink that stopped being one since it was opened is skipped too. */
export async function packEntry(pack: Pack, entry: OpenEntry | StatEntry, name: string, options: PackOptions = {}): Promise<void> {
  const { stats } = entry;
  const header: TarHeader = {
    name,
    mode: Number(stats.mode) & 0o7777,
    uid: options.owner?.uid ?? Number(stats.uid),
    gid: options.owner?.gid ?? Number(stats.gid),
    mtime: new Date(Number(stats.mtimeMs)),
  };
  if (stats.isDirectory()) return addEntry(pack, { ...header, name: name.endsWith('/') ? name : `${name}/`, type: 'directory' });
  if (stats.isSymbolicLink()) {
    const linkname = await readlinkAt(entry.loc);
    if (linkname !== undefined) await addEntry(pack, { ...header, type: 'symlink', linkname });
    return;
  }
  if (stats.isSocket()) return;
  if (stats.isFIFO()) return addEntry(pack, { ...header, type: 'fifo' });
  if (stats.isCharacterDevice() || stats.isBlockDevice()) {
    return addEntry(pack, { ...header, type: stats.isCharacterDevice() ? 'character-device' : 'block-device', ...devNumbers(stats.rdev) });
  }
  if (stats.nlink > 1n && options.links) {
    const key = `${stats.dev}:${stats.ino}`;
    const first = options.links.get(key);
    if (first !== undefined) return addEntry(pack, { ...header, type: 'link', linkname: first });
    options.links.set(key, name);
  }
  // lookUpEntry opens every regular file; a stat alone cannot prove the bytes are that inode's.
  if (!entry.handle) throw new Error(`${name}: a regular file must be packed from an open handle`);
  const file = await reopenForRead(entry.handle);
  try {
    await packFileEntry(pack, { ...header, type: 'file', size: Number(stats.size) }, file);
  } finally {
    await file.close();
  }
}

/** Adds an entry without content (a file entry gets an empty body, else it would wait for one). */
export function addEntry(pack: Pack, header: TarHeader): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = (error?: Error | null) => (error ? reject(error) : resolve());
    if (header.type === 'file' || header.type === undefined) pack.entry({ size: 0, ...header }, Buffer.alloc(0), done);
    else pack.entry(header, done);
  });
}

/** Streams an open regular file into a pack entry with backpressure. The header already promised
 * the size, so a file that shrank meanwhile is padded with zeros and one that grew is cut, and
 * the archive stays well-formed. */
export function packFileEntry(pack: Pack, header: TarHeader & { size: number }, handle: FileHandle): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const sink = pack.entry(header, (error) => (error ? reject(error) : resolve()));
    void (async () => {
      let left = header.size;
      try {
        while (left > 0) {
          const buffer = Buffer.alloc(Math.min(READ_CHUNK, left));
          const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
          const chunk = bytesRead === 0 ? buffer : buffer.subarray(0, bytesRead);
          left -= chunk.length;
          if (!sink.write(chunk)) await new Promise((r) => sink.once('drain', () => r(undefined)));
        }
        (sink as unknown as { end(): void }).end();
      } catch (error) {
        sink.destroy(error as Error);
        reject(error);
      }
    })();
  });
}

/** Ownership, permissions and times a tar header asks for. */
export interface EntryMeta {
  mode: number;
  uid: number;
  gid: number;
  atime: number;
  mtime: number;
}

/** Reads an entry's metadata: PAX records (POSIX.1-2001 "pax Header Block") carry ids beyond
 * ustar's 8-digit octal fields and sub-second times; tar-stream leaves them in `pax`. */
export function entryMeta(header: Header): EntryMeta {
  const pax = (header.pax ?? {}) as Record<string, string>;
  const mtimeRaw = pax.mtime !== undefined ? Number(pax.mtime) : (header.mtime?.getTime() ?? 0) / 1000;
  const mtime = Number.isFinite(mtimeRaw) ? mtimeRaw : 0;
  const atime = pax.atime !== undefined ? Number(pax.atime) : mtime;
  return {
    mode: (header.mode ?? 0o644) & 0o7777,
    uid: pax.uid !== undefined ? Number(pax.uid) : (header.uid ?? 0),
    gid: pax.gid !== undefined ? Number(pax.gid) : (header.gid ?? 0),
    atime: Number.isFinite(atime) ? atime : mtime,
    mtime,
  };
}
