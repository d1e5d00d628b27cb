// Builds layer tarballs in memory with tar-stream, deterministically (fixed mtime, root owner,
// caller-given order) so the same spec always yields the same diffId and the fixture cache can be
// keyed by it.
import { gunzipSync, gzipSync, zstdCompressSync, zstdDecompressSync } from 'node:zlib';
import tar from 'tar-stream';
import { sha256 } from './oci.ts';

/** 2024-01-01T00:00:00Z: a fixed timestamp keeps layers reproducible across runs. */
export const FIXED_MTIME = new Date(Date.UTC(2024, 0, 1));

export type LayerEntry =
  | { type: 'file'; path: string; content: Buffer | string; mode?: number; uid?: number; gid?: number }
  | { type: 'dir'; path: string; mode?: number; uid?: number; gid?: number }
  | { type: 'symlink'; path: string; target: string }
  | { type: 'hardlink'; path: string; target: string };

export type Compression = 'gzip' | 'zstd';

/** Layer tar paths are relative ("bin/sh"), as docker and buildkit write them. */
function tarPath(p: string): string {
  return p.replace(/^\/+/, '').replace(/\/+$/, '');
}

/**
 * Adds the missing parent directories in front of each entry: real layers always carry them, and
 * an unpacker that only sees "a/b/c" must not be the only path our tests ever exercise.
 */
function withParents(entries: LayerEntry[]): LayerEntry[] {
  const seen = new Set<string>();
  const out: LayerEntry[] = [];
  for (const e of entries) {
    const parts = tarPath(e.path).split('/');
    for (let i = 1; i < parts.length; i++) {
      const dir = parts.slice(0, i).join('/');
      if (!seen.has(dir)) {
        seen.add(dir);
        out.push({ type: 'dir', path: dir });
      }
    }
    const self = tarPath(e.path);
    if (e.type === 'dir' && seen.has(self)) {
      // An explicit dir entry after an implied one would duplicate it; keep the explicit mode.
      const i = out.findIndex((x) => x.type === 'dir' && tarPath(x.path) === self);
      out[i] = e;
      continue;
    }
    seen.add(self);
    out.push(e);
  }
  return out;
}

function header(e: LayerEntry): Partial<tar.Header> & { name: string } {
  const uid = e.type === 'file' || e.type === 'dir' ? (e.uid ?? 0) : 0;
  const gid = e.type === 'file' || e.type === 'dir' ? (e.gid ?? 0) : 0;
  // Names only for root: extractors such as GNU tar prefer uname over uid, and a name that means
  // something else on the unpacking host must not change the numeric owner the image declares.
  const base = { name: tarPath(e.path), mtime: FIXED_MTIME, uid, gid, uname: uid === 0 ? 'root' : '', gname: gid === 0 ? 'root' : '' };
  switch (e.type) {
    case 'file':
      return { ...base, type: 'file', mode: e.mode ?? 0o644 };
    case 'dir':
      return { ...base, name: base.name + '/', type: 'directory', mode: e.mode ?? 0o755 };
    case 'symlink':
      return { ...base, type: 'symlink', mode: 0o777, linkname: e.target };
    case 'hardlink':
      return { ...base, type: 'link', mode: 0o644, linkname: tarPath(e.target) };
  }
}

/** Writes the entries (parents first) into an uncompressed tar. */
export async function buildTar(entries: LayerEntry[]): Promise<Buffer> {
  const pack = tar.pack();
  const chunks: Buffer[] = [];
  const done = (async () => {
    for await (const c of pack) chunks.push(c as Buffer);
  })();
  for (const e of withParents(entries)) {
    await new Promise<void>((resolve, reject) => {
      const cb = (err?: Error | null) => (err ? reject(err) : resolve());
      if (e.type === 'file') {
        const data = typeof e.content === 'string' ? Buffer.from(e.content) : e.content;
        pack.entry({ ...header(e), size: data.length }, data, cb);
      } else {
        pack.entry(header(e), cb);
      }
    });
  }
  pack.finalize();
  await done;
  return Buffer.concat(chunks);
}

export function compress(data: Buffer, how: Compression): Buffer {
  return how === 'gzip' ? gzipSync(data, { level: 6 }) : zstdCompressSync(data);
}

export function decompress(data: Buffer, how: Compression): Buffer {
  return how === 'gzip' ? gunzipSync(data) : zstdDecompressSync(data);
}

export function diffIdOf(tarBytes: Buffer): string {
  return sha256(tarBytes);
}
