// `docker push` (API "Image": POST /images/{name}/push?tag=): config and layers up, then the
// manifest. Layers go up compressed: the pulled blob when the content store has it, else a gzip
// of the layer tar (made once and remembered in the image record). Per layer the registry is
// asked first (HEAD → "Layer already exists"), then a cross-repository mount is tried from a
// repository on the same registry known to hold the blob ("Mounted from …"), then an upload.
// The progress lines are dockerd's, which the CLI renders.
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { createGzip } from 'node:zlib';
import { invalid } from '../../core/errors.ts';
import type { ImageLayerRecord, ImageRecord } from '../../core/image-store.ts';
import { parseManifestBytes } from '../../core/image-formats/manifest.ts';
import { MediaTypes } from '../../core/oci-types.ts';
import { parseReference, withTag, type ParsedReference } from '../../core/reference.ts';
import type { Credentials } from '../../platform/linux/registry/auth.ts';
import type { RegistryPusher } from '../../platform/linux/registry/registry-push.ts';
import type { ImageService } from './image-service.ts';

export interface PushDeps {
  images: ImageService;
  pusher: RegistryPusher;
  tmpDir: string;
  openRange(digest: string, start: number, end: number): Readable;
}

export interface PushRequest {
  name: string;
  tag?: string;
  auth?: Credentials;
  onProgress(message: object): void;
  signal?: AbortSignal;
}

/** Repositories (`domain/path`) known to hold each blob: pulls' repo digests and our pushes. */
const knownRepos = new Map<string, Set<string>>();

const shortId = (digest: string) => digest.replace(/^sha256:/, '').slice(0, 12);

async function gzipLayer(deps: PushDeps, record: ImageRecord, index: number): Promise<ImageLayerRecord> {
  const layer = record.layers[index];
  if (layer.digest && layer.mediaType && (await deps.images.content.has(layer.digest))) return layer;
  if (!(await deps.images.content.has(layer.diffId))) throw invalid(`layer ${layer.diffId} has no stored data to push`);
  await mkdir(deps.tmpDir, { recursive: true, mode: 0o700 });
  const spool = join(deps.tmpDir, `push-${randomBytes(8).toString('hex')}`);
  try {
    const hash = createHash('sha256');
    const file = await open(spool, 'wx', 0o600);
    try {
      for await (const chunk of deps.images.content.openRead(layer.diffId).pipe(createGzip())) {
        hash.update(chunk as Buffer);
        await file.write(chunk as Buffer);
      }
    } finally {
      await file.close();
    }
    const digest = `sha256:${hash.digest('hex')}`;
    if (!(await deps.images.content.has(digest))) await deps.images.content.write({ digest }, createReadStream(spool));
    const updated = { ...layer, digest, mediaType: MediaTypes.dockerLayerGzip };
    record.layers[index] = updated;
    await deps.images.store.put(record);
    return updated;
  } finally {
    await rm(spool, { force: true });
  }
}

/** The manifest the image was pulled with, when it came from `target`'s registry and still
 * describes exactly these layers: pushing it back keeps the digest the user already knows. */
async function originalManifest(deps: PushDeps, record: ImageRecord, target: ParsedReference): Promise<{ bytes: Buffer; mediaType: string } | undefined> {
  for (const repoDigest of record.repoDigests) {
    const [repo, digest] = repoDigest.split('@');
    if (!repo.startsWith(`${target.domain}/`) || !(await deps.images.content.has(digest))) continue;
    const bytes = await deps.images.content.read(digest);
    // What the pull stored: an index (then not this image's own manifest) or a manifest.
    const parsed = parseManifestBytes(bytes, undefined, `stored manifest ${digest}`);
    if (parsed.kind !== 'manifest') continue;
    const doc = parsed.manifest;
    if (doc.config.digest !== record.id || doc.layers.length !== record.layers.length) continue;
    if (doc.layers.every((l, i) => l.digest === record.layers[i]?.digest)) return { bytes, mediaType: parsed.mediaType };
  }
  return undefined;
}

export async function pushImage(deps: PushDeps, request: PushRequest): Promise<void> {
  let target = parseReference(request.name, { defaultTag: !request.tag });
  if (request.tag) target = withTag(target, request.tag);
  const tag = target.tag ?? 'latest';
  const { record } = await deps.images.resolve(target.familiarName());
  const progress = request.onProgress;
  progress({ status: `The push refers to repository [${target.familiarRepository()}]` });
  const session = deps.pusher.session(target, request.auth, request.signal);
  const repoKey = target.repository();
  for (const repoDigest of record.repoDigests) {
    const repo = repoDigest.split('@')[0];
    for (const layer of record.layers) if (layer.digest) (knownRepos.get(layer.digest) ?? knownRepos.set(layer.digest, new Set()).get(layer.digest)!).add(repo);
  }

  const layers = [...record.layers].reverse(); // dockerd lists the top layer first
  for (const layer of layers) progress({ status: 'Preparing', progressDetail: {}, id: shortId(layer.diffId) });
  for (const layer of layers) progress({ status: 'Waiting', progressDetail: {}, id: shortId(layer.diffId) });
  const descriptors: Array<{ mediaType: string; digest: string; size: number }> = [];
  for (let i = 0; i < record.layers.length; i++) {
    const id = shortId(record.layers[i].diffId);
    const layer = await gzipLayer(deps, record, i);
    const digest = layer.digest as string;
    const size = (await deps.images.content.size(digest)) as number;
    descriptors.push({ mediaType: layer.mediaType as string, digest, size });
    if (await session.blobExists(digest)) {
      progress({ status: 'Layer already exists', progressDetail: {}, id });
    } else {
      const from = [...(knownRepos.get(digest) ?? [])].find((repo) => repo !== repoKey && repo.startsWith(`${target.domain}/`));
      if (from && (await session.mount(digest, from.slice(target.domain.length + 1)))) {
        // dockerd names the source by its path in the registry ("Mounted from library/ubuntu").
        progress({ status: `Mounted from ${from.slice(target.domain.length + 1)}`, progressDetail: {}, id });
      } else {
        await session.upload(digest, size, (start, end) => deps.openRange(digest, start, end), (current) =>
          progress({ status: 'Pushing', progressDetail: { current, total: size }, id }),
        );
        progress({ status: 'Pushed', progressDetail: {}, id });
      }
    }
    (knownRepos.get(digest) ?? knownRepos.set(digest, new Set()).get(digest)!).add(repoKey);
  }

  const configSize = (await deps.images.content.size(record.id)) as number;
  if (!(await session.blobExists(record.id))) await session.upload(record.id, configSize, (start, end) => deps.openRange(record.id, start, end));

  const original = await originalManifest(deps, record, target);
  const oci = descriptors.some((d) => d.mediaType.startsWith('application/vnd.oci.'));
  const manifest = original ?? {
    mediaType: oci ? MediaTypes.ociManifest : MediaTypes.dockerManifest,
    bytes: Buffer.from(
      JSON.stringify(
        {
          schemaVersion: 2,
          mediaType: oci ? MediaTypes.ociManifest : MediaTypes.dockerManifest,
          config: { mediaType: oci ? MediaTypes.ociConfig : MediaTypes.dockerConfig, size: configSize, digest: record.id },
          layers: descriptors,
        },
        null,
        3,
      ),
    ),
  };
  await session.putManifest(tag, manifest.mediaType, manifest.bytes);
  const digest = `sha256:${createHash('sha256').update(manifest.bytes).digest('hex')}`;
  await deps.images.content.put(manifest.bytes);
  const repoDigest = `${repoKey}@${digest}`;
  if (!record.repoDigests.includes(repoDigest)) {
    record.repoDigests.push(repoDigest);
    await deps.images.store.put(record);
  }
  progress({ status: `${tag}: digest: ${digest} size: ${manifest.bytes.length}` });
  progress({ progressDetail: {}, aux: { Tag: tag, Digest: digest, Size: manifest.bytes.length } });
  deps.images.events.publish('image', 'push', target.familiarName(), { name: target.familiarName() });
}
