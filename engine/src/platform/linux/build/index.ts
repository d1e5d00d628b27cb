// The Linux side of the classic builder (the BuildPlatform seam).
import { randomBytes } from 'node:crypto';
import { constants, createReadStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { PassThrough, type Readable } from 'node:stream';
import { EngineError, errorMessage, invalid } from '../../../core/errors.ts';
import type { BuildPlatform, CopyItem, SourceEntry } from '../../../services/build/build-platform.ts';
import { withTreeView } from '../container-files/container-view.ts';
import { extractIntoView } from '../container-files/tar-in.ts';
import type { OverlayLayout } from '../overlay-layout.ts';
import { openDecompressed } from '../layer-decompress.ts';
import { hashTarEntries, type ContentHashes } from './context-hashes.ts';
import { completeGoTarEnd } from './context-tar-end.ts';
import { openFileAt } from '../fs/at.ts';
import { checksumItems, isArchive, listTreeAt, packCopy } from './copy-sources.ts';
import { layerFromUpper } from './upper-layer.ts';

/** Context-relative path with `..` refused: nothing outside the context is reachable. */
function contextRel(rel: string): string {
  const parts: string[] = [];
  for (const part of rel.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (parts.length === 0) throw invalid(`forbidden path outside the build context: ${rel}`);
      parts.pop();
    } else parts.push(part);
  }
  return parts.join('/');
}

export class LinuxBuildPlatform implements BuildPlatform {
  readonly #layout: OverlayLayout;
  readonly #tmpDir: string;
  /** Content digests per unpacked context directory, dropped with the directory. */
  readonly #hashes = new Map<string, ContentHashes>();

  /** `tmpDir`: where contexts are unpacked (under the data root: contexts can be large). */
  constructor(options: { layout: OverlayLayout; tmpDir: string }) {
    this.#layout = options.layout;
    this.#tmpDir = options.tmpDir;
  }

  async unpackContext(body: Readable): Promise<{ dir: string; dispose(): Promise<void> }> {
    await mkdir(this.#tmpDir, { recursive: true, mode: 0o700 });
    const dir = join(this.#tmpDir, `context-${randomBytes(8).toString('hex')}`);
    await mkdir(dir, { mode: 0o700 });
    const dispose = async () => {
      this.#hashes.delete(dir);
      await rm(dir, { recursive: true, force: true });
    };
    try {
      const { stream: unpacked } = await openDecompressed(body, '');
      const stream = unpacked.pipe(completeGoTarEnd());
      unpacked.on('error', (error) => stream.destroy(error));
      // One stream, two readers: the extractor writes the files while the hasher digests them.
      const toDisk = new PassThrough({ highWaterMark: 1024 * 1024 });
      const toHash = new PassThrough({ highWaterMark: 1024 * 1024 });
      stream.pipe(toDisk);
      stream.pipe(toHash);
      stream.on('error', (error) => {
        toDisk.destroy(error);
        toHash.destroy(error);
      });
      // The `docker cp` extractor: entry names are cleaned and resolved chroot-style in `dir`.
      const [, hashes] = await Promise.all([
        withTreeView(dir, (view) => extractIntoView(view, toDisk, { dest: '/', noOverwriteDirNonDir: false })).catch((error: unknown) => {
          stream.destroy(error as Error);
          unpacked.destroy(error as Error);
          throw error;
        }),
        hashTarEntries(toHash),
      ]);
      this.#hashes.set(dir, hashes);
    } catch (error) {
      await dispose();
      // A context that does not decompress or unpack is the client's: a 400 naming why. Errors
      // of the host's own (a full disk) stay what they are.
      if (error instanceof EngineError || (error as NodeJS.ErrnoException).syscall) throw error;
      throw invalid(`invalid build context: ${errorMessage(error)}`);
    }
    return { dir, dispose };
  }

  async readContextFile(dir: string, rel: string): Promise<Buffer | undefined> {
    // Resolved chroot-style: a context symlink (`-f link/Dockerfile`, link → /) must not make the
    // engine read a host file.
    return withTreeView(dir, async (view) => {
      const found = await view.resolve(`/${contextRel(rel)}`);
      const file = found && (await openFileAt(found.loc));
      if (!file) return undefined;
      try {
        return await file.handle.readFile();
      } finally {
        await file.handle.close();
      }
    });
  }

  async listTree(root: string, under: string): Promise<{ base: string; entries: SourceEntry[] }> {
    const rel = contextRel(under);
    return withTreeView(root, async (view) => {
      const resolved = await view.resolve(`/${rel}`);
      if (!resolved) return { base: rel, entries: [] };
      const base = resolved.path.slice(1);
      return { base, entries: await listTreeAt(resolved.loc, base) };
    });
  }

  checksum(root: string, items: readonly CopyItem[]): Promise<string> {
    return checksumItems(root, items, this.#hashes.get(root));
  }

  packCopy(input: { root: string; items: readonly CopyItem[]; dirs: readonly string[]; uid: number; gid: number }): Readable {
    return packCopy(input);
  }

  sourcePath(root: string, rel: string): string {
    return join(root, contextRel(rel));
  }

  isArchive(hostPath: string): Promise<boolean> {
    return isArchive(hostPath);
  }

  openFile(hostPath: string): Readable {
    // The path came from a no-follow listing; O_NOFOLLOW|O_NONBLOCK keep it a plain file read.
    // (Node takes numeric open(2) flags here too; its types only list the string forms.)
    return createReadStream(hostPath, { flags: (constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK) as unknown as string });
  }

  async snapshotLayer(id: string, topChainId: string | undefined, merged?: string): Promise<{ tar: Buffer; diffId: string }> {
    const lowers: string[] = [];
    const seen = new Set<string>();
    for (let current = topChainId ?? null; current !== null && !seen.has(current); ) {
      seen.add(current);
      lowers.push(join(this.#layout.layerDir(current), 'diff'));
      current = (await this.#layout.readMeta(current))?.parent ?? null;
    }
    return layerFromUpper({ upper: join(this.#layout.containerDir(id), 'upper'), lowers, merged });
  }
}
