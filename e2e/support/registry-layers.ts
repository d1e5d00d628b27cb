// The layer ids a pull of a fixture image reports (docker shows the first 12 hex digits of each
// layer digest), read from the local registry's manifest so tests never hard-code digests.
export async function layerIdsOf(registryUrl: string, repository: string, tag: string): Promise<string[]> {
  const res = await fetch(`${registryUrl}/v2/${repository}/manifests/${tag}`, {
    headers: { accept: 'application/vnd.docker.distribution.manifest.v2+json, application/vnd.oci.image.manifest.v1+json' },
  });
  if (!res.ok) throw new Error(`GET ${repository}:${tag} manifest → HTTP ${res.status}`);
  const manifest = (await res.json()) as { layers?: Array<{ digest: string }> };
  if (!manifest.layers?.length) throw new Error(`${repository}:${tag} is not a single-platform image manifest`);
  return manifest.layers.map((l) => l.digest.slice('sha256:'.length, 'sha256:'.length + 12));
}
