// Unpacks an image archive (`docker save` output or an OCI image layout tar, optionally gzip or
// zstd) into a fresh private directory, refusing anything that could reach outside it: entry
// names are cleaned and `..` or absolute names rejected (CVE-2014-9356 / CVE-2019-14271 class),
// only regular files and directories are written, and symlinks (legacy `docker save` links
// duplicate layers as `../<id>/layer.tar`) are recorded, never created, and resolved by name
// inside the archive when read. The caller removes the directory when done.
// Layer blobs are not written as files: as each arrives it goes in one pass into the content
// store's ingest area (hashed) and into the snapshotter (unpacked, diff ID computed), so the
// loader only has to file them once the manifest, which usually comes last, says where. A blob
// whose name says it holds a layer that is unpacked here already is only ingested.
import { createReadStream } from 'node:fs';
import { mkdir, open, readFile, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { extract as tarExtract, type Header } from 'tar-stream';
import { invalid } from '../../../core/errors.ts';
import type { IngestedBlob, StagedLayer } from '../../../core/interfaces.ts';
import { tee } from '../../../core/stream-tee.ts';
import { detectCompression, openDecompressed } from '../layer-decompress.ts';

/** Where arriving layer blobs go (ContentStore.ingest, Snapshotter.stageLayer). */
export interface LayerSinks {
  ingest(source: Readable): Promise<IngestedBlob>;
  stage(source: Readable): Promise<StagedLayer>;
  /** True when the layer in a blob of this digest is unpacked here already (an image that was
   * only untagged, a base layer other images share): such a blob is ingested, not unpacked. The
   * name is only a claim; the loader files layers by the config's chain IDs, and unpacks from the
   * ingested blob whatever it still needs after all. */
  unpacked?(digest: string): Promise<boolean>;
}

/** What the loader reads from an unpacked archive. Paths are archive-relative. */
export interface ArchiveSource {
  has(path: string): Promise<boolean>;
  readJson(path: string): Promise<unknown>;
  /** Raw bytes of a (small) file. */
  read(path: string): Promise<Buffer>;
  open(path: string): Readable;
  size(path: string): Promise<number>;
  /** The layer unpacked on arrival, if `path` was one and unpacked cleanly. Taken at most once. */
  takeStaged(path: string): StagedLayer | undefined;
  /** Commits the blob at `path` to the content store if its digest is `digest`; false if not. */
  keep(path: string, digest: string): Promise<boolean>;
  /** Drops what was neither committed nor kept (a taken staged layer included). */
  dispose(): Promise<void>;
}

/** JSON documents in an archive are small; a huge one is an attack, not an image. */
const MAX_JSON = 16 * 1024 * 1024;

/** `./a//b/` → `a/b`; throws on `..`, absolute names and empty names. */
export function cleanArchivePath(name: string): string {
  if (name.startsWith('/')) throw invalid(`invalid archive: absolute path ${JSON.stringify(name)}`);
  const parts: string[] = [];
  for (const part of name.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') throw invalid(`invalid archive: path ${JSON.stringify(name)} leads outside the archive`);
    parts.push(part);
  }
  if (parts.length === 0) return '';
  return parts.join('/');
}

export class ExtractedArchive implements ArchiveSource {
  readonly dir: string;
  /** Symlink entries: archive path → archive path it names (already resolved and cleaned). */
  readonly #links = new Map<string, string>();
  /** Layer blobs by archive path, in the content store's ingest area rather than in `dir`. */
  readonly #blobs = new Map<string, IngestedBlob>();
  readonly #staged = new Map<string, StagedLayer>();
  readonly #taken = new Set<string>();
  /** Blobs already filed in the content store by keep(). */
  readonly #committed = new Set<string>();

  constructor(dir: string) {
    this.dir = dir;
  }

  addLink(path: string, target: string): void {
    // Targets are relative to the link's directory; resolution must stay inside the archive.
    const base = dirname(path) === '.' ? '' : dirname(path);
    const joined = target.startsWith('/') ? target : `${base}/${target}`;
    const parts: string[] = [];
    for (const part of joined.split('/')) {
      if (part === '' || part === '.') continue;
      if (part === '..') {
        if (parts.length === 0) throw invalid(`invalid archive: symlink ${path} points outside the archive`);
        parts.pop();
      } else parts.push(part);
    }
    if (target.startsWith('/')) throw invalid(`invalid archive: symlink ${path} has an absolute target`);
    this.#links.set(path, parts.join('/'));
  }

  addBlob(path: string, blob: IngestedBlob, staged: StagedLayer | undefined): void {
    this.#blobs.set(path, blob);
    if (staged) this.#staged.set(path, staged);
  }

  #name(path: string): string {
    let current = cleanArchivePath(path);
    for (let hops = 0; this.#links.has(current); hops++) {
      if (hops > 16) throw invalid(`invalid archive: symlink loop at ${path}`);
      current = this.#links.get(current) as string;
    }
    return current;
  }

  #resolve(path: string): string {
    return join(this.dir, this.#name(path));
  }

  async has(path: string): Promise<boolean> {
    if (this.#blobs.has(this.#name(path))) return true;
    return (await stat(this.#resolve(path)).catch(() => undefined))?.isFile() === true;
  }

  takeStaged(path: string): StagedLayer | undefined {
    const name = this.#name(path);
    if (this.#taken.has(name)) return undefined;
    this.#taken.add(name);
    return this.#staged.get(name);
  }

  async keep(path: string, digest: string): Promise<boolean> {
    const name = this.#name(path);
    const blob = this.#blobs.get(name);
    if (!blob || blob.digest !== digest) return false;
    // Kept in #blobs: a second image of the archive may share the layer and open it after this
    // one committed it (open() then reads the stored blob; dispose() leaves a committed one be).
    if (!this.#committed.has(name)) await blob.commit();
    this.#committed.add(name);
    return true;
  }

  async dispose(): Promise<void> {
    for (const staged of this.#staged.values()) await staged.discard().catch(() => undefined);
    for (const blob of this.#blobs.values()) await blob.discard().catch(() => undefined);
    this.#staged.clear();
    this.#taken.clear();
    this.#blobs.clear();
    this.#committed.clear();
  }

  async size(path: string): Promise<number> {
    const blob = this.#blobs.get(this.#name(path));
    if (blob) return blob.size;
    const info = await stat(this.#resolve(path)).catch(() => undefined);
    if (!info?.isFile()) throw invalid(`invalid archive: ${path} is missing`);
    return info.size;
  }

  async read(path: string): Promise<Buffer> {
    if ((await this.size(path)) > MAX_JSON) throw invalid(`invalid archive: ${path} is too large`);
    return readFile(this.#resolve(path));
  }

  async readJson(path: string): Promise<unknown> {
    const text = (await this.read(path)).toString('utf8');
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw invalid(`invalid archive: ${path} is not valid JSON`);
    }
  }

  open(path: string): Readable {
    return this.#blobs.get(this.#name(path))?.open() ?? createReadStream(this.#resolve(path));
  }
}

/** Unpacks `body` into `dir` (existing, empty, private). */
export async function extractArchive(body: Readable, dir: string, sinks?: LayerSinks): Promise<ExtractedArchive> {
  const archive = new ExtractedArchive(dir);
  const { stream } = await openDecompressed(body, '');
  const parser = tarExtract();
  const seen = new Set<string>();
  const done = new Promise<void>((resolve, reject) => {
    parser.on('entry', (header, source, next) => {
      const entry = source as unknown as Readable;
      entry.on('error', () => undefined);
      writeEntry(archive, seen, header, entry, sinks).then(
        () => next(),
        (error: unknown) => {
          entry.resume();
          reject(error);
          parser.destroy();
          stream.destroy();
        },
      );
    });
    parser.on('finish', resolve);
    parser.on('error', (error) => reject(invalid(`invalid archive: ${error.message}`)));
    stream.on('error', (error) => reject(invalid(`invalid archive: ${error.message}`)));
  });
  stream.pipe(parser);
  try {
    await done;
  } catch (error) {
    await archive.dispose();
    throw error;
  }
  return archive;
}

async function writeEntry(archive: ExtractedArchive, seen: Set<string>, header: Header, entry: Readable, sinks: LayerSinks | undefined): Promise<void> {
  const path = cleanArchivePath(header.name);
  if (path === '' && header.type === 'directory') return entry.resume(), undefined;
  if (seen.has(path)) throw invalid(`invalid archive: duplicate entry ${path}`);
  seen.add(path);
  const host = join(archive.dir, path);
  if (header.type === 'directory') {
    await mkdir(host, { recursive: true, mode: 0o700 });
    entry.resume();
    return;
  }
  if (header.type === 'symlink') {
    archive.addLink(path, header.linkname ?? '');
    entry.resume();
    return;
  }
  if (header.type !== 'file' && header.type !== 'contiguous-file') {
    throw invalid(`invalid archive: unsupported entry type ${header.type ?? 'unknown'} for ${path}`);
  }
  // Parents are created as real directories inside `dir`; a symlink entry is never a directory
  // on disk, so no later entry can be written through one.
  await mkdir(dirname(host), { recursive: true, mode: 0o700 });
  // One iterator over the entry throughout: breaking out of a for-await would destroy it.
  const chunks = (entry as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
  const head = sinks ? await readHead(chunks, TAR_HEADER) : Buffer.alloc(0);
  if (sinks && looksLikeLayer(head)) return stageEntry(archive, path, Readable.from(prepend(head, chunks)), sinks);
  const file = await open(host, 'wx', 0o600);
  try {
    for await (const chunk of prepend(head, chunks)) await file.write(chunk);
  } finally {
    await file.close();
  }
}

async function* prepend(head: Buffer, rest: AsyncIterator<Buffer>): AsyncGenerator<Buffer> {
  if (head.length > 0) yield head;
  for (;;) {
    const next = await rest.next();
    if (next.done) return;
    yield next.value;
  }
}

/** A tar's first header block: enough to tell a layer from a JSON document. */
const TAR_HEADER = 512;

/** Compressed (gzip, zstd) or a tar ("ustar" magic of POSIX and GNU headers at offset 257).
 * Anything else (JSON, an empty layer of zero blocks) is written as a file and read from there. */
function looksLikeLayer(head: Buffer): boolean {
  return detectCompression(head) !== 'none' || (head.length >= TAR_HEADER && head.subarray(257, 262).toString('latin1') === 'ustar');
}

async function readHead(chunks: AsyncIterator<Buffer>, bytes: number): Promise<Buffer> {
  const read: Buffer[] = [];
  let length = 0;
  while (length < bytes) {
    const next = await chunks.next();
    if (next.done) break;
    read.push(next.value);
    length += next.value.length;
  }
  return Buffer.concat(read);
}

/** One pass: the ingest keeps the bytes (the loader may want them as content, or read them
 * again if the unpack failed), the snapshotter unpacks them. A blob that does not unpack is
 * still a blob: its layer will fail (or not be needed) when the manifest is read. */
async function stageEntry(archive: ExtractedArchive, path: string, entry: Readable, sinks: LayerSinks): Promise<void> {
  const claimed = blobDigestOf(path);
  if (claimed && (await sinks.unpacked?.(claimed))) {
    archive.addBlob(path, await sinks.ingest(entry), undefined);
    return;
  }
  const split = tee(entry, 2);
  const [ingested, staged] = await Promise.allSettled([sinks.ingest(split.branches[0]), sinks.stage(split.branches[1])]);
  await split.done;
  const stagedLayer = staged.status === 'fulfilled' ? staged.value : undefined;
  if (ingested.status === 'rejected') {
    await stagedLayer?.discard().catch(() => undefined);
    throw ingested.reason;
  }
  archive.addBlob(path, ingested.value, stagedLayer);
}

/** The digest an OCI image layout names a blob by (`blobs/sha256/<hex>`, image-layout spec
 * "Blobs"); `docker save` of dockerd 25+ and ours write layers there too. */
function blobDigestOf(path: string): string | undefined {
  const match = /^blobs\/sha256\/([a-f0-9]{64})$/.exec(path);
  return match ? `sha256:${match[1]}` : undefined;
}
