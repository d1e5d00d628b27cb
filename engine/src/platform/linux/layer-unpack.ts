// Unpacks one compressed layer blob into a directory and computes its diff ID: the sha256 of the
// uncompressed tar (OCI image spec "Layer DiffID"), which the caller compares with the image
// config's rootfs.diff_ids. Streaming end to end: decompressor → hash → tar parser → file writes,
// with backpressure all the way back to the source, so memory stays bounded for any layer size.
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { extract as tarExtract, type Header } from 'tar-stream';
import { errorMessage, invalid, systemError } from '../../core/errors.ts';
import { openDecompressed, type Compression } from './layer-decompress.ts';
import { LayerEntryWriter, type EntryBody } from './layer-entries.ts';
import { applyWhiteouts } from './layer-whiteouts.ts';

export interface UnpackLayerOptions {
  /** The compressed (or plain) layer blob. */
  source: Readable;
  /** The descriptor's media type; the stream's magic bytes decide the compression. */
  mediaType: string;
  /** An existing, empty directory private to this unpack; entries never land outside it. */
  dest: string;
  onBytes?: (compressedBytesRead: number) => void;
}

export interface UnpackLayerResult {
  /** `sha256:<hex>` of the uncompressed tar stream. */
  diffId: string;
  /** Sum of regular file sizes. */
  size: number;
  compression: Compression;
  entries: number;
  /** Entries not reproduced (device nodes, fifos, xattrs), one note each. */
  skipped: string[];
}

/** The tar parser buffers this much before pushing back on the feeder. */
const PARSER_HIGH_WATER_MARK = 1024 * 1024;

export async function unpackLayer(options: UnpackLayerOptions): Promise<UnpackLayerResult> {
  const { stream, compression, sourceError } = await openDecompressed(options.source, options.mediaType, options.onBytes);
  const hash = createHash('sha256');
  const writer = new LayerEntryWriter(options.dest);
  const parser = tarExtract({ highWaterMark: PARSER_HIGH_WATER_MARK });

  let failure: unknown;
  /** The source's error if it had failed before anything else did. Giving up tears the source
   * down too, and it then reports that as its own error ("Premature close"): a disk that filled
   * up must read as ENOSPC, not as a broken download. */
  let sourceFailure: unknown;
  /** The entry being written; awaited on failure so nothing writes into `dest` after we return. */
  let current: Promise<void> = Promise.resolve();
  const fail = (error: unknown) => {
    if (failure === undefined) {
      failure = error;
      sourceFailure = sourceError();
    }
    stream.destroy();
    parser.destroy();
  };

  const parsed = new Promise<void>((resolve, reject) => {
    parser.on('entry', (header: Header, body: EntryBody, next: (error?: Error | null) => void) => {
      // A body torn down with the parser re-emits the parser's error; that error is already
      // handled below, and an 'error' without a listener would crash the process.
      body.on('error', () => undefined);
      current = writer.add(header, body).then(
        () => next(),
        (error: unknown) => {
          fail(error);
          next(error instanceof Error ? error : new Error(String(error)));
        },
      );
    });
    parser.on('finish', resolve);
    parser.on('error', (error: Error) => {
      fail(error); // stop feeding: nothing more can be parsed
      reject(error);
    });
    parser.on('close', () => (failure ? reject(failure) : resolve()));
  });
  parsed.catch(() => undefined); // observed below; avoid an unhandled rejection in the meantime

  try {
    for await (const chunk of stream) {
      // The diff ID covers every uncompressed byte, including the end-of-archive zero blocks
      // and any padding after them, exactly as the producer hashed it.
      if (failure) break;
      hash.update(chunk as Buffer);
      if (!parser.write(chunk as Buffer)) await drained(parser);
    }
    if (!failure) parser.end(undefined);
    await parsed;
  } catch (error) {
    fail(error);
  }
  if (failure) {
    // Nothing may still be writing when the caller deletes `dest`.
    await current.catch(() => undefined);
    await writer.writes.drain().catch(() => undefined);
    throw wrap(failure, sourceFailure);
  }
  await writer.finishFiles();
  await applyWhiteouts(writer.whiteouts, writer.opaques);
  await writer.finishDirectories();
  return {
    diffId: `sha256:${hash.digest('hex')}`,
    size: writer.size,
    compression,
    entries: writer.entries,
    skipped: writer.skipped,
  };
}

function drained(parser: ReturnType<typeof tarExtract>): Promise<void> {
  return new Promise((resolve) => {
    if (parser.destroyed) return resolve();
    const done = () => {
      parser.off('drain', done);
      parser.off('close', done);
      resolve();
    };
    parser.on('drain', done);
    parser.on('close', done);
  });
}

/** Engine errors pass through; a failing source stays a system error (a broken download is not
 * a bad layer); decompression and tar errors become "invalid layer". */
function wrap(error: unknown, sourceError: unknown): Error {
  if (error instanceof Error && 'kind' in error) return error;
  if (sourceError !== undefined) return systemError(`reading layer: ${errorMessage(sourceError)}`, sourceError);
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (typeof code === 'string' && code.startsWith('Z_')) return invalid(`invalid layer: decompression failed: ${errorMessage(error)}`);
  if (typeof code === 'string' && code.startsWith('E')) return systemError(`unpacking layer: ${errorMessage(error)}`, error);
  return invalid(`invalid layer: ${errorMessage(error)}`);
}
