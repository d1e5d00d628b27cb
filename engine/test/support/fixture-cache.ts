// Turns an uncompressed layer tar into a pushable layer blob, caching the compressed bytes on disk
// because compressing is the slow step (seconds for the benchmark image). The cache only saves
// time: a hit is accepted only after decompressing it and re-checking the diffId, so a stale,
// truncated or foreign file is rebuilt, never trusted.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { blobOf, type LayerBlob } from './oci.ts';
import { compress, decompress, diffIdOf, type Compression } from './tar-layer.ts';

/** <repo>/.berth/fixtures (gitignored), resolved from this file so it works from any cwd. */
export const FIXTURE_CACHE_ROOT =
  process.env.BERTH_FIXTURE_CACHE ??
  join(dirname(fileURLToPath(import.meta.url)), '../../../.berth/fixtures');

export interface LayerBlobOptions {
  compression: Compression;
  mediaType: string;
  /** Sub-directory of the cache (e.g. keyed by the busybox sha256); undefined = no caching. */
  cacheDir?: string;
}

function readVerified(file: string, how: Compression, diffId: string): Buffer | undefined {
  try {
    const data = readFileSync(file);
    return diffIdOf(decompress(data, how)) === diffId ? data : undefined;
  } catch {
    return undefined;
  }
}

function writeAtomically(file: string, data: Buffer): void {
  try {
    mkdirSync(dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, data);
    renameSync(tmp, file);
  } catch {
    // A read-only or full disk only costs speed next time.
  }
}

export function layerBlob(tarBytes: Buffer, opts: LayerBlobOptions): LayerBlob {
  const diffId = diffIdOf(tarBytes);
  const ext = opts.compression === 'gzip' ? 'tar.gz' : 'tar.zst';
  const file = opts.cacheDir
    ? join(FIXTURE_CACHE_ROOT, opts.cacheDir, `${diffId.slice('sha256:'.length)}.${ext}`)
    : undefined;
  let data = file ? readVerified(file, opts.compression, diffId) : undefined;
  if (!data) {
    data = compress(tarBytes, opts.compression);
    if (file) writeAtomically(file, data);
  }
  return { ...blobOf(opts.mediaType, data), diffId, uncompressedSize: tarBytes.length };
}
