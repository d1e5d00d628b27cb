// Exact copies of what another tool pushed to the test registry: the manifest bytes (and those of
// an index's children) and every blob, read back over the distribution API and stored in the
// fixture cache, so a later run can push the very same bytes — same digests, same nulls — without
// running the tool again.
import { createHash } from 'node:crypto';
import { pushBlob, pushManifest } from './registry-push.ts';

const ACCEPT = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
].join(', ');

export interface SnapshotManifest {
  /** The tag for the top document, the digest for an index's children. */
  reference: string;
  mediaType: string;
  digest: string;
}

export interface RegistrySnapshot {
  repo: string;
  tag: string;
  /** Children before the document that lists them, in push order. */
  manifests: SnapshotManifest[];
  blobs: string[];
}

export type BlobReader = (digest: string) => Buffer;
export type BlobWriter = (digest: string, data: Buffer) => void;

const digestOf = (data: Buffer) => `sha256:${createHash('sha256').update(data).digest('hex')}`;

async function get(url: string, accept?: string): Promise<{ data: Buffer; type: string }> {
  const res = await fetch(url, { headers: accept ? { accept } : {} });
  if (res.status !== 200) throw new Error(`GET ${url}: HTTP ${res.status}`);
  return { data: Buffer.from(await res.arrayBuffer()), type: (res.headers.get('content-type') ?? '').split(';')[0] };
}

/** Reads `repo:tag` (manifest, an index's children, all blobs) from the registry into `write`. */
export async function snapshotFromRegistry(registryUrl: string, repo: string, tag: string, write: BlobWriter): Promise<RegistrySnapshot> {
  const manifests: SnapshotManifest[] = [];
  const blobs = new Set<string>();
  const visit = async (reference: string, depth: number): Promise<void> => {
    const { data, type } = await get(`${registryUrl}/v2/${repo}/manifests/${reference}`, ACCEPT);
    const digest = digestOf(data);
    const doc = JSON.parse(data.toString()) as { manifests?: Array<{ digest: string }>; config?: { digest: string }; layers?: Array<{ digest: string }> | null };
    if (doc.manifests && depth === 0) for (const child of doc.manifests) await visit(child.digest, depth + 1);
    for (const blob of [doc.config, ...(doc.layers ?? [])]) if (blob) blobs.add(blob.digest);
    write(digest, data);
    manifests.push({ reference, mediaType: type, digest });
  };
  await visit(tag, 0);
  for (const digest of blobs) {
    const { data } = await get(`${registryUrl}/v2/${repo}/blobs/${digest}`);
    if (digestOf(data) !== digest) throw new Error(`registry served ${digest} with other content`);
    write(digest, data);
  }
  return { repo, tag, manifests, blobs: [...blobs] };
}

/** Pushes a snapshot's exact bytes to a (fresh) registry. */
export async function pushSnapshot(registryUrl: string, snapshot: RegistrySnapshot, read: BlobReader): Promise<void> {
  for (const digest of snapshot.blobs) {
    const data = read(digest);
    await pushBlob(registryUrl, snapshot.repo, { mediaType: 'application/octet-stream', digest, size: data.length, data });
  }
  for (const m of snapshot.manifests) {
    const data = read(m.digest);
    await pushManifest(registryUrl, snapshot.repo, m.reference, { mediaType: m.mediaType, digest: m.digest, size: data.length, data });
  }
}
