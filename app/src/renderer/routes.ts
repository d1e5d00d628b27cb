// Hash routes (they work from a file:// page in Electron and from the dashboard alike, and a
// berth:// deep link maps onto them). One place builds every path so links and tests agree.
export const routes = {
  containers: '/containers',
  container: (id: string, tab: ContainerTab = 'logs') => `/containers/${encodeURIComponent(id)}/${tab}`,
  images: '/images',
  image: (id: string) => `/images/${encodeURIComponent(id)}`,
  build: '/build',
  volumes: '/volumes',
  volume: (name: string) => `/volumes/${encodeURIComponent(name)}`,
  networks: '/networks',
  network: (id: string) => `/networks/${encodeURIComponent(id)}`,
  engine: '/engine',
  swarm: '/swarm',
  engines: '/engines',
  hostTerminal: '/terminal',
  settings: '/settings',
  troubleshoot: '/troubleshoot',
  // Compose projects (issue 15)
  compose: '/compose',
  // Encoded twice: wouter runs decodeURI over the whole path before matching, which would turn the
  // "%25" of a project named "100%" back into a bare "%" that no decoding survives. A project name
  // is whatever a label holds, so it may contain "%", "/" or "+".
  composeProject: (project: string) => `/compose/${encodeURIComponent(encodeURIComponent(project))}`,
};

/** The project named by a /compose/:project route's parameter (see routes.composeProject). */
export function composeProjectParam(param: string): string {
  try {
    return decodeURIComponent(param);
  } catch {
    return param;
  }
}

export const CONTAINER_TABS = ['logs', 'inspect', 'stats', 'terminal', 'files'] as const;
export type ContainerTab = (typeof CONTAINER_TABS)[number];
