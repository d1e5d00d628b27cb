// Reading the local registry directly: the layer ids a pull of a fixture image reports (docker
// shows the first 12 hex digits of each layer digest), read from its manifest so tests never
// hard-code digests; and what a push left there (its manifest), removed again afterwards.
const MANIFEST_TYPES = 'application/vnd.docker.distribution.manifest.v2+json, application/vnd.oci.image.manifest.v1+json';

export interface ImageManifest {
  config: { digest: string };
  layers: Array<{ digest: string }>;
  /** The registry's Docker-Content-Digest for it: what DELETE takes. */
  digest: string;
}

export async function manifestOf(registryUrl: string, repository: string, tag: string): Promise<ImageManifest> {
  const res = await fetch(`${registryUrl}/v2/${repository}/manifests/${tag}`, { headers: { accept: MANIFEST_TYPES } });
  if (!res.ok) throw new Error(`GET ${repository}:${tag} manifest → HTTP ${res.status}`);
  const manifest = (await res.json()) as Partial<ImageManifest>;
  if (!manifest.config || !manifest.layers?.length) throw new Error(`${repository}:${tag} is not a single-platform image manifest`);
  return { config: manifest.config, layers: manifest.layers, digest: res.headers.get('docker-content-digest') ?? '' };
}

export async function layerIdsOf(registryUrl: string, repository: string, tag: string): Promise<string[]> {
  const manifest = await manifestOf(registryUrl, repository, tag);
  return manifest.layers.map((l) => l.digest.slice('sha256:'.length, 'sha256:'.length + 12));
}

/** Deletes a pushed tag's manifest (the test registry runs with deletes enabled); absent is fine. */
export async function deleteManifest(registryUrl: string, repository: string, tag: string): Promise<void> {
  const found = await manifestOf(registryUrl, repository, tag).catch(() => undefined);
  if (!found?.digest) return;
  const res = await fetch(`${registryUrl}/v2/${repository}/manifests/${found.digest}`, { method: 'DELETE' });
  if (!res.ok && res.status !== 404) throw new Error(`DELETE ${repository}@${found.digest} → HTTP ${res.status}`);
}
