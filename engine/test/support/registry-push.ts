// Pushes built fixtures to a registry with plain fetch (OCI distribution spec, "Push"): the engine
// is what's under test, so `docker push` through it cannot be used to seed the registry.
import type { Blob, BuiltArtifact, BuiltImage } from './oci.ts';

async function expectStatus(res: Response, ok: number[], what: string): Promise<void> {
  if (!ok.includes(res.status)) {
    const body = await res.text().catch(() => '');
    throw new Error(`${what}: HTTP ${res.status} ${body.slice(0, 500)}`);
  }
}

/** HEAD /v2/<name>/blobs/<digest>: 200 means the registry already has it. */
export async function blobExists(registryUrl: string, repo: string, digest: string): Promise<boolean> {
  const res = await fetch(`${registryUrl}/v2/${repo}/blobs/${digest}`, { method: 'HEAD' });
  return res.status === 200;
}

/**
 * Monolithic upload: POST /v2/<name>/blobs/uploads/ opens a session, PUT <location>?digest=
 * sends the whole blob and closes it (distribution spec, "Pushing a blob monolithically").
 */
export async function pushBlob(registryUrl: string, repo: string, blob: Blob): Promise<void> {
  if (await blobExists(registryUrl, repo, blob.digest)) return;
  const start = await fetch(`${registryUrl}/v2/${repo}/blobs/uploads/`, { method: 'POST' });
  await expectStatus(start, [202], `start upload of ${blob.digest} to ${repo}`);
  const location = start.headers.get('location');
  if (!location) throw new Error(`registry gave no upload Location for ${repo}`);
  // Location may be absolute or relative, and may already carry a query (upload state).
  const url = new URL(location, registryUrl);
  url.searchParams.set('digest', blob.digest);
  const put = await fetch(url, {
    method: 'PUT',
    headers: { 'content-type': 'application/octet-stream' },
    body: blob.data,
  });
  await expectStatus(put, [201], `upload ${blob.digest} to ${repo}`);
}

/** PUT /v2/<name>/manifests/<tag-or-digest> with the manifest's own media type. */
export async function pushManifest(registryUrl: string, repo: string, reference: string, manifest: Blob): Promise<void> {
  const res = await fetch(`${registryUrl}/v2/${repo}/manifests/${reference}`, {
    method: 'PUT',
    headers: { 'content-type': manifest.mediaType },
    body: manifest.data,
  });
  await expectStatus(res, [201], `push manifest ${repo}:${reference}`);
  const digest = res.headers.get('docker-content-digest');
  if (digest && digest !== manifest.digest) {
    throw new Error(`registry stored ${repo}:${reference} as ${digest}, expected ${manifest.digest}`);
  }
}

async function pushImageContent(registryUrl: string, repo: string, image: BuiltImage): Promise<void> {
  // Sequential on purpose: the registry is local and the blobs are small; parallel uploads would
  // only make failures harder to read.
  for (const layer of image.layers) await pushBlob(registryUrl, repo, layer);
  await pushBlob(registryUrl, repo, image.config);
}

/**
 * Pushes an image or an index under `repo:tag`. An index's children go first, by digest, because
 * the registry refuses a list that points at manifests it does not have.
 */
export async function pushArtifact(registryUrl: string, repo: string, tag: string, artifact: BuiltArtifact): Promise<void> {
  if (artifact.kind === 'image') {
    await pushImageContent(registryUrl, repo, artifact);
  } else {
    for (const child of artifact.children) {
      await pushImageContent(registryUrl, repo, child);
      await pushManifest(registryUrl, repo, child.manifest.digest, child.manifest);
    }
  }
  await pushManifest(registryUrl, repo, tag, artifact.manifest);
}
