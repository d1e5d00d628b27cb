// Content-addressed blob store on the local filesystem (DESIGN.md rule 4). Layout:
//   <root>/blobs/sha256/<hex>   committed blobs, immutable
//   <root>/ingest/<random>      in-flight writes; anything here at start-up is crash debris
// A blob becomes visible only by rename(2) after its digest and size were checked and the file
// was fsynced, so a crash leaves either the complete blob or ingest garbage, never a torn blob.
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { open, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { ContentStore, IngestedBlob } from '../../core/interfaces.ts';
import { EngineError, invalid, notFound, systemError } from '../../core/errors.ts';

const READ_CHUNK = 1024 * 1024;

const DIGEST_RE = /^sha256:([a-f0-9]{64})$/;

function hexOf(digest: string): string {
  const m = DIGEST_RE.exec(digest);
  if (!m) throw invalid(`invalid digest: ${digest} (only sha256 is supported)`);
  return m[1];
}

export class FsContentStore implements ContentStore {
  readonly root: string;
  private readonly blobDir: string;
  private readonly ingestDir: string;

  constructor(root: string) {
    this.root = root;
    this.blobDir = join(root, 'blobs', 'sha256');
    this.ingestDir = join(root, 'ingest');
    mkdirSync(this.blobDir, { recursive: true });
    // Synchronous on purpose: debris from a crash must be gone before the first write starts.
    mkdirSync(this.ingestDir, { recursive: true });
    for (const name of readdirSync(this.ingestDir)) rmSync(join(this.ingestDir, name), { recursive: true, force: true });
  }

  /** Path of a committed blob (for callers that hand files to other processes). */
  blobPath(digest: string): string {
    return join(this.blobDir, hexOf(digest));
  }

  async has(digest: string): Promise<boolean> {
    return (await this.size(digest)) !== undefined;
  }

  async size(digest: string): Promise<number | undefined> {
    try {
      return (await stat(this.blobPath(digest))).size;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  async read(digest: string): Promise<Buffer> {
    try {
      return await readFile(this.blobPath(digest));
    } catch (error) {
      throw this.mapMissing(error, digest);
    }
  }

  openRead(digest: string): Readable {
    // Blobs are read whole and in order (save, push, apply): 1 MiB reads instead of the 64 KiB
    // default mean a sixteenth of the chunks through every stream stage downstream.
    const stream = createReadStream(this.blobPath(digest), { highWaterMark: READ_CHUNK });
    // Rewrite ENOENT so consumers see the same not-found error as read().
    const originalDestroy = stream._destroy.bind(stream);
    stream._destroy = (error, callback) => originalDestroy(error ? this.mapMissing(error, digest) : error, callback);
    return stream;
  }

  async write(expected: { digest: string; size?: number }, source: Readable, onBytes?: (total: number) => void): Promise<void> {
    const hex = hexOf(expected.digest);
    const ingestPath = join(this.ingestDir, `${hex}-${randomBytes(6).toString('hex')}`);
    const hash = createHash('sha256');
    let total = 0;
    const file = await open(ingestPath, 'wx', 0o644);
    let committed = false;
    try {
      for await (const chunk of source) {
        const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array);
        hash.update(buf);
        total += buf.length;
        // Stop early rather than filling the disk when a server sends more than promised.
        if (expected.size !== undefined && total > expected.size) {
          throw invalid(`size mismatch for ${expected.digest}: expected ${expected.size} bytes, got more than that`);
        }
        await file.write(buf);
        onBytes?.(total);
      }
      const actual = 'sha256:' + hash.digest('hex');
      if (expected.size !== undefined && total !== expected.size) {
        throw invalid(`size mismatch for ${expected.digest}: expected ${expected.size} bytes, got ${total}`);
      }
      if (actual !== expected.digest) {
        throw invalid(`digest mismatch: expected ${expected.digest}, got ${actual}`);
      }
      await file.sync();
      await file.close();
      await rename(ingestPath, this.blobPath(expected.digest));
      committed = true;
      await this.syncDir(this.blobDir);
    } finally {
      if (!committed) {
        await file.close().catch(() => {});
        await rm(ingestPath, { force: true });
        source.destroy();
      }
    }
  }

  async put(data: Buffer): Promise<string> {
    const digest = 'sha256:' + createHash('sha256').update(data).digest('hex');
    if (await this.has(digest)) return digest;
    await this.write({ digest, size: data.length }, Readable.from([data]));
    return digest;
  }

  async ingest(source: Readable): Promise<IngestedBlob> {
    const ingestPath = join(this.ingestDir, `any-${randomBytes(8).toString('hex')}`);
    const hash = createHash('sha256');
    let size = 0;
    const file = await open(ingestPath, 'wx', 0o644);
    try {
      for await (const chunk of source) {
        const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array);
        hash.update(buf);
        size += buf.length;
        await file.write(buf);
      }
    } catch (error) {
      await file.close().catch(() => {});
      await rm(ingestPath, { force: true });
      source.destroy();
      throw error;
    }
    const digest = 'sha256:' + hash.digest('hex');
    let state: 'open' | 'committed' | 'gone' = 'open';
    return {
      digest,
      size,
      // Once committed the bytes live under their digest (another image of the archive may still read them).
      open: () => createReadStream(state === 'committed' ? this.blobPath(digest) : ingestPath),
      commit: async () => {
        if (state !== 'open') throw invalid(`ingested blob ${digest} was committed or discarded already`);
        try {
          if (await this.has(digest)) {
            await file.close();
            await rm(ingestPath, { force: true });
          } else {
            // Flushed before the rename, as write() does (DESIGN.md rule 4).
            await file.sync();
            await file.close();
            await rename(ingestPath, this.blobPath(digest));
            await this.syncDir(this.blobDir);
          }
        } finally {
          state = 'committed';
        }
      },
      discard: async () => {
        if (state !== 'open') return;
        state = 'gone';
        await file.close().catch(() => {});
        await rm(ingestPath, { force: true });
      },
    };
  }

  async delete(digest: string): Promise<void> {
    await rm(this.blobPath(digest), { force: true });
  }

  async list(): Promise<string[]> {
    const names = await readdir(this.blobDir);
    return names.filter((n) => /^[a-f0-9]{64}$/.test(n)).map((n) => `sha256:${n}`);
  }

  private mapMissing(error: unknown, digest: string): Error {
    if (error instanceof EngineError) return error;
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return notFound(`content ${digest}: not found`);
    return error instanceof Error ? error : systemError(String(error));
  }

  /** Makes the rename itself durable (the directory entry lives in the directory's data). */
  private async syncDir(dir: string): Promise<void> {
    const handle = await open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  }
}
