// react-query keys, one root per engine resource, so an engine event invalidates exactly the
// lists and details it touches (DESIGN.md rule 7).
export const queryKeys = {
  containers: ['containers'] as const,
  /** Every engine's containers (the merged list); under 'containers' so container events refresh it. */
  allContainers: ['containers', '@all-engines'] as const,
  container: (id: string) => ['containers', id] as const,
  containerFiles: (id: string, path: string) => ['containers', id, 'files', path] as const,
  images: ['images'] as const,
  image: (id: string) => ['images', id] as const,
  imageHistory: (id: string) => ['images', id, 'history'] as const,
  volumes: ['volumes'] as const,
  volumeFiles: (name: string, path: string) => ['volumes', name, 'files', path] as const,
  networks: ['networks'] as const,
  network: (id: string) => ['networks', id] as const,
  engine: ['engine'] as const,
  endpoints: ['engine', 'endpoints'] as const,
  engines: ['engine', 'engines'] as const,
  diskUsage: ['engine', 'disk-usage'] as const,
  capabilities: ['capabilities'] as const,
  appSettings: ['app-settings'] as const,
  /** Registry sign-ins live in the docker CLI's config, not the engine: refreshed after sign-in/out. */
  registryLogins: ['registry-logins'] as const,
  // swarm (issue 14)
  swarm: ['swarm'] as const,
  swarmStatus: ['swarm', 'status'] as const,
  swarmNodes: ['swarm', 'nodes'] as const,
  swarmServices: ['swarm', 'services'] as const,
  swarmStacks: ['swarm', 'stacks'] as const,
  swarmTasks: (serviceId: string) => ['swarm', 'tasks', serviceId] as const,
};

/** Which query roots an engine event of `type` (and `action`) makes stale. */
export function rootsForEvent(type: string, action?: string): readonly (readonly string[])[] {
  switch (type) {
    case 'container':
      // Reads that change nothing listed: an exec (the Files tab lists a running container's
      // folder with one) or an archive read. Invalidating on them made the Files tab refetch,
      // which made another exec, without end: a request storm that filled the engine's accept queue.
      if (action !== undefined && (/^exec_(create|start|die)\b/.test(action) || action === 'archive-path')) return [];
      // `docker commit` makes an image, yet dockerd reports it only as the container's "commit".
      return action === 'commit'
        ? [queryKeys.containers, queryKeys.networks, queryKeys.volumes, queryKeys.images]
        : [queryKeys.containers, queryKeys.networks, queryKeys.volumes];
    case 'image': return [queryKeys.images];
    case 'volume': return [queryKeys.volumes];
    case 'network': return [queryKeys.networks, queryKeys.containers];
    // A manager's events (API 1.30+): services and nodes change the Swarm view.
    case 'service': case 'node': return [queryKeys.swarm];
    default: return [];
  }
}
