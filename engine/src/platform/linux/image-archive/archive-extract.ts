// Unpacks an image archive (`docker save` output or an OCI image layout tar, optionally gzip or
// zstd) into a fresh private directory, refusing anything that could reach outside it: entry
// names are cleaned and `..` or absolute names rejected (CVE-2014-9356 / CVE-2019-14271 class),
// only regular files and directories are written, and symlinks (legacy `docker save` links
// duplicate layers as `../<id>/layer.tar`) are recorded, never created, and resolved by name
// inside the archive when read. The caller removes the directory when done.
import { createReadStream } from 'node:fs';
import { mkdir, open, readFile, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import { extract as tarExtract, type Header } from 'tar-stream';
import { invalid } from '../../../core/errors.ts';
import { openDecompressed } from '../layer-decompress.ts';

/** What the loader reads from an unpacked archive. Paths are archive-relative. */
export interface ArchiveSource {
  has(path: string): Promise<boolean>;
  readJson(path: string): Promise<unknown>;
  /** Raw bytes of a (small) file. */
  read(path: string): Promise<Buffer>;
  open(path: string): Readable;
  size(path: string): Promise<number>;
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

  #resolve(path: string): string {
    let current = cleanArchivePath(path);
    for (let hops = 0; this.#links.has(current); hops++) {
      if (hops > 16) throw invalid(`invalid archive: symlink loop at ${path}`);
      current = this.#links.get(current) as string;
    }
    return join(this.dir, current);
  }

  async has(path: string): Promise<boolean> {
    return (await stat(this.#resolve(path)).catch(() => undefined))?.isFile() === true;
  }

  async size(path: string): Promise<number> {
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
    return createReadStream(this.#resolve(path));
  }
}

/** Unpacks `body` into `dir` (existing, empty, private). */
export async function extractArchive(body: Readable, dir: string): Promise<ExtractedArchive> {
  const archive = new ExtractedArchive(dir);
  const { stream } = await openDecompressed(body, '');
  const parser = tarExtract();
  const seen = new Set<string>();
  const done = new Promise<void>((resolve, reject) => {
    parser.on('entry', (header, source, next) => {
      const entry = source as unknown as Readable;
      entry.on('error', () => undefined);
      writeEntry(archive, seen, header, entry).then(
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
  await done;
  return archive;
}

async function writeEntry(archive: ExtractedArchive, seen: Set<string>, header: Header, entry: Readable): Promise<void> {
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
  const file = await open(host, 'wx', 0o600);
  try {
    for await (const chunk of entry) await file.write(chunk as Buffer);
  } finally {
    await file.close();
  }
}
