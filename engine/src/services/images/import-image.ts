// `docker import` (API "Image": POST /images/create?fromSrc=-): a one-layer image from a rootfs
// tarball in the request body (plain, gzip or zstd). The uncompressed tar is stored under its
// diff ID as it arrives, then applied like any layer, so a broken tar fails before any image
// exists.
import type { Readable } from 'node:stream';
import { invalid } from '../../core/errors.ts';
import type { ImageConfig } from '../../core/oci-types.ts';
import { parseReference, withTag } from '../../core/reference.ts';
import { openDecompressed } from '../../platform/linux/layer-decompress.ts';
import { scratchImage } from '../build/step-commit.ts';
import { applyConfigChanges } from './config-changes.ts';
import type { ImageService } from './image-service.ts';
import { storeNewImage } from './new-image.ts';

export interface ImportRequest {
  body: Readable;
  /** `fromSrc`: "-" for the body, else a URL the engine downloads the tarball from. */
  source: string;
  repo?: string;
  tag?: string;
  message?: string;
  changes: string[];
  platform?: string;
  /** Progress for the client ("Downloading from <url>"). */
  onProgress?: (message: object) => void;
}

/** A downloaded tarball, as the host's HTTP client opens it. */
export interface OpenedUrl {
  body: Readable;
  size?: number;
}
export type OpenUrl = (url: string) => Promise<OpenedUrl>;

/** dockerd's reading of `fromSrc`: no scheme means http. */
function sourceUrl(source: string): string {
  return source.includes('://') ? source : `http://${source}`;
}

export async function importImage(images: ImageService, request: ImportRequest, openUrl?: OpenUrl): Promise<string> {
  let body = request.body;
  if (request.source !== '-') {
    if (!openUrl) throw invalid('importing from a URL is not available in this engine');
    const url = sourceUrl(request.source);
    // The request body is not used: the tarball is the URL's (dockerd closes it the same way).
    request.body.resume();
    // Fails before any output (a plain error reply), as dockerd's GET does.
    body = (await openUrl(url)).body;
    request.onProgress?.({ status: `Downloading from ${url}` });
  }
  let target = request.repo ? parseReference(request.repo, { defaultTag: !request.tag }) : undefined;
  if (target?.digest) throw invalid('refusing to create a tag with a digest reference');
  if (target && request.tag) target = withTag(target, request.tag);
  const [os, architecture, variant] = (request.platform ?? '').split('/');
  const base: ImageConfig = scratchImage(request.platform ? { os, architecture, variant } : undefined).config;
  delete base.config;
  const runConfig = applyConfigChanges({}, request.changes, base);

  const { diffId, added } = await storeLayer(images, body);
  const message = request.message || `Imported from ${request.source}`;
  const id = await storeNewImage(images, {
    base,
    baseLayers: [],
    runConfig,
    history: { created_by: '', comment: message },
    comment: message,
    layerDiffId: diffId,
  }).catch(async (error: unknown) => {
    // Not a layer after all (not a tar, a bad entry): the bytes this import stored go too.
    if (added) await images.content.delete(diffId).catch(() => undefined);
    throw error instanceof Error && 'kind' in error ? error : invalid(`invalid tar: ${String(error)}`);
  });
  const stored = images.store.get(id);
  if (target && stored) await images.tagRecord(stored, target.toString());
  images.events.publish('image', 'import', id, { name: target?.familiarName() ?? id });
  return id;
}

/** Stores the uncompressed tar as content under its diff ID, hashed as it is written (the body
 * is not spooled and read back to store it); returns the diff ID. Unpacking is left to the
 * caller's applyLayer, which skips a layer that is here already: unpacking while the body
 * streams in would redo that work on every import of the same tar. `added`: the blob is new. */
async function storeLayer(images: ImageService, body: Readable): Promise<{ diffId: string; added: boolean }> {
  const { stream } = await openDecompressed(body, '');
  const blob = await images.content.ingest(stream);
  let added = false;
  try {
    added = !(await images.content.has(blob.digest));
    await blob.commit();
  } finally {
    await blob.discard();
  }
  return { diffId: blob.digest, added };
}
