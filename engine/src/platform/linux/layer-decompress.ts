// Turns a compressed layer blob into its uncompressed tar stream. OCI image spec "Image Layer
// Filesystem Changeset" / media types: `application/vnd.oci.image.layer.v1.tar` (+gzip, +zstd),
// Docker's `application/vnd.docker.image.rootfs.diff.tar.gzip` (and the foreign/nondistributable
// variants). The magic bytes decide, as Docker's DetectCompression does: some registries and
// tools label an uncompressed or zstd layer as gzip, and the bytes never lie.
import { PassThrough, Readable, pipeline } from 'node:stream';
import { createGunzip, createZstdDecompress } from 'node:zlib';
import { invalid } from '../../core/errors.ts';

export type Compression = 'gzip' | 'zstd' | 'none';

/** Bigger than zlib's 16 KiB default: fewer chunks means less per-chunk work downstream. */
const CHUNK_SIZE = 256 * 1024;

const GZIP_MAGIC = Buffer.from([0x1f, 0x8b]);
const ZSTD_MAGIC = Buffer.from([0x28, 0xb5, 0x2f, 0xfd]);

/** The compression a layer media type declares; throws for media types that are not layers. */
export function compressionOfMediaType(mediaType: string): Compression {
  const type = mediaType.split(';')[0].trim().toLowerCase();
  if (type === '' || type === 'application/octet-stream') return 'none'; // unknown: bytes decide
  if (type.endsWith('.tar.gzip') || type.endsWith('tar+gzip')) return 'gzip';
  if (type.endsWith('tar+zstd')) return 'zstd';
  if (type.endsWith('.tar') || type.endsWith('.v1.tar')) return 'none';
  throw invalid(`unsupported layer media type: ${mediaType}`);
}

export function detectCompression(head: Buffer): Compression {
  if (head.subarray(0, 2).equals(GZIP_MAGIC)) return 'gzip';
  if (head.subarray(0, 4).equals(ZSTD_MAGIC)) return 'zstd';
  return 'none';
}

export interface DecompressedLayer {
  stream: Readable;
  compression: Compression;
  /** The source's own error, if it failed (a broken download, not a bad layer). */
  sourceError(): unknown;
}

/**
 * Reads the first bytes of `source` to pick the decompressor, then returns the uncompressed tar
 * stream. Errors anywhere in the chain surface on the returned stream. `onBytes` sees the running
 * total of compressed bytes read (for pull progress).
 */
export async function openDecompressed(
  source: Readable,
  mediaType: string,
  onBytes?: (compressedBytesRead: number) => void,
): Promise<DecompressedLayer> {
  compressionOfMediaType(mediaType); // reject non-layer blobs before reading anything
  const { head, rest } = await peek(source, 4);
  const compression = detectCompression(head);
  const decoder =
    compression === 'gzip'
      ? createGunzip({ chunkSize: CHUNK_SIZE })
      : compression === 'zstd'
        ? createZstdDecompress({ chunkSize: CHUNK_SIZE })
        : new PassThrough({ highWaterMark: CHUNK_SIZE });
  let sourceError: unknown;
  // Reading the source through a generator tells its own failures (a broken download) apart
  // from ours: when we give up, the generator is merely returned, never thrown into.
  async function* counted(input: Readable): AsyncGenerator<Buffer> {
    let total = 0;
    try {
      for await (const chunk of input) {
        total += (chunk as Buffer).length;
        onBytes?.(total);
        yield chunk as Buffer;
      }
    } catch (error) {
      sourceError = error;
      throw error;
    }
  }
  // pipeline destroys every stage on the first error, so the consumer of `decoder` sees it; and
  // destroying `decoder` (consumer gave up) tears the source down too.
  pipeline(Readable.from(counted(rest)), decoder, () => undefined);
  return { stream: decoder, compression, sourceError: () => sourceError };
}

/** Waits until `bytes` bytes are buffered (or the stream ends) and puts them back unread; `rest`
 * is the stream to read from afterwards (a fresh one when the source already ended). */
async function peek(source: Readable, bytes: number): Promise<{ head: Buffer; rest: Readable }> {
  const chunks: Buffer[] = [];
  let length = 0;
  while (length < bytes) {
    const chunk = source.read() as Buffer | string | null;
    if (chunk !== null) {
      const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      chunks.push(buffer);
      length += buffer.length;
      continue;
    }
    if (source.readableEnded || source.destroyed) break;
    const ended = await new Promise<boolean>((resolve, reject) => {
      const cleanup = () => {
        source.off('readable', onReadable);
        source.off('end', onEnd);
        source.off('error', onError);
        source.off('close', onEnd);
      };
      const onReadable = () => (cleanup(), resolve(false));
      const onEnd = () => (cleanup(), resolve(true));
      const onError = (error: Error) => (cleanup(), reject(error));
      source.on('readable', onReadable);
      source.on('end', onEnd);
      source.on('error', onError);
      source.on('close', onEnd);
    });
    if (ended) break;
  }
  const head = Buffer.concat(chunks);
  if (source.readableEnded) return { head, rest: Readable.from(head.length > 0 ? [head] : []) };
  if (head.length > 0) source.unshift(head);
  return { head, rest: source };
}
