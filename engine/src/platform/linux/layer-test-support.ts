// Test helpers for layer unpacking and the overlay snapshotter: build real layer tars in memory
// with tar-stream, compress them with zlib, and make sure the native helper is available.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { gzipSync, zstdCompressSync } from 'node:zlib';
import { pack, type Header } from 'tar-stream';
import { berthNativePath, setBerthNativePath } from './berth-native.ts';

export interface TarEntry {
  name: string;
  type?: Header['type'];
  body?: string | Buffer;
  linkname?: string;
  mode?: number;
  uid?: number;
  gid?: number;
  mtime?: Date;
}

export async function buildTar(entries: TarEntry[]): Promise<Buffer> {
  const tar = pack();
  const chunks: Buffer[] = [];
  const done = (async () => {
    for await (const chunk of tar) chunks.push(chunk as Buffer);
  })();
  for (const entry of entries) {
    const body = entry.body === undefined ? undefined : Buffer.from(entry.body);
    const header = {
      name: entry.name,
      type: entry.type ?? 'file',
      linkname: entry.linkname,
      mode: entry.mode ?? (entry.type === 'directory' ? 0o755 : 0o644),
      uid: entry.uid ?? 0,
      gid: entry.gid ?? 0,
      mtime: entry.mtime ?? new Date(1_700_000_000_000),
      size: body?.length ?? 0,
    };
    await new Promise<void>((resolve, reject) => {
      const callback = (error?: Error | null) => (error ? reject(error) : resolve());
      if (body) tar.entry(header, body, callback);
      else tar.entry(header, callback).end(undefined);
    });
  }
  tar.finalize();
  await done;
  return Buffer.concat(chunks);
}

export const gzip = (tar: Buffer): Buffer => gzipSync(tar);
export const zstd = (tar: Buffer): Buffer => zstdCompressSync(tar);
export const diffIdOf = (tar: Buffer): string => `sha256:${createHash('sha256').update(tar).digest('hex')}`;

/** A stream that hands out `data` in `chunkSize` pieces, like a network body would. */
export function streamOf(data: Buffer, chunkSize = 64 * 1024): Readable {
  let offset = 0;
  return new Readable({
    read() {
      if (offset >= data.length) return void this.push(null);
      this.push(data.subarray(offset, offset + chunkSize));
      offset += chunkSize;
    },
  });
}

/** Uses the built helper when present; otherwise compiles native/berth-native.c into a temp dir
 * (the bootstrap builds the real one; tests must not depend on it having run). */
export function ensureNativeHelper(): void {
  const built = berthNativePath();
  const source = fileURLToPath(new URL('../../../../native/berth-native.c', import.meta.url));
  if (existsSync(built) && (!existsSync(source) || statSync(built).mtimeMs >= statSync(source).mtimeMs)) return;
  if (!existsSync(source)) throw new Error(`native helper missing: ${built}`);
  const output = join(mkdtempSync(join(tmpdir(), 'berth-native-')), 'berth-native');
  execFileSync('cc', ['-O2', '-Wall', '-o', output, source], { stdio: 'inherit' });
  setBerthNativePath(output);
}
