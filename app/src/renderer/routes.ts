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
  composeProject: (project: string) => `/compose/${encodeURIComponent(project)}`,
};

export const CONTAINER_TABS = ['logs', 'inspect', 'stats', 'terminal', 'files'] as const;
export type ContainerTab = (typeof CONTAINER_TABS)[number];
