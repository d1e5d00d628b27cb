// Content digests of the build context's files, computed while the context streams in: the
// COPY/ADD cache key needs a checksum of every source file, and hashing on arrival overlaps with
// the disk writes instead of reading 50 MB back afterwards (the cost of a fully cached rebuild).
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { extract as tarExtract } from 'tar-stream';
import { cleanEntryName } from '../safe-path.ts';

/** Context-relative path (no leading slash) → sha256 hex of the file's content. */
export type ContentHashes = Map<string, string>;

export async function hashTarEntries(tar: Readable): Promise<ContentHashes> {
  const hashes: ContentHashes = new Map();
  const extract = tarExtract();
  tar.on('error', (error) => extract.destroy(error));
  tar.pipe(extract as unknown as NodeJS.WritableStream);
  for await (const entry of extract) {
    const type = entry.header.type ?? 'file';
    if (type !== 'file' && type !== 'contiguous-file') {
      entry.resume();
      continue;
    }
    const hash = createHash('sha256');
    for await (const chunk of entry) hash.update(chunk as Buffer);
    let rel: string;
    try {
      rel = cleanEntryName(entry.header.name).replace(/^\/+/, '');
    } catch {
      continue; // the extractor refuses such names itself
    }
    hashes.set(rel, hash.digest('hex'));
  }
  return hashes;
}
