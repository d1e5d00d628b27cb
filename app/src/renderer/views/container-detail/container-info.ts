// The few fields of GET /containers/{id}/json (Docker API "Inspect a container") the detail view
// shows, read defensively: the answer is typed as a plain record on the wire.
export interface PublishedPort {
  containerPort: string;
  hostIp: string;
  hostPort: string;
}

export interface ContainerInfo {
  id: string;
  name: string;
  image: string;
  status: string;
  running: boolean;
  paused: boolean;
  startedAt: string | undefined;
  exitCode: number | undefined;
  ports: PublishedPort[];
}

const record = (value: unknown): Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

export function containerInfo(inspect: Record<string, unknown>, fallbackId: string): ContainerInfo {
  const state = record(inspect.State);
  const config = record(inspect.Config);
  const portMap = record(record(inspect.NetworkSettings).Ports);
  const ports: PublishedPort[] = [];
  for (const [containerPort, bindings] of Object.entries(portMap)) {
    if (!Array.isArray(bindings)) continue;
    for (const binding of bindings) {
      const hostPort = text(record(binding).HostPort);
      if (hostPort) ports.push({ containerPort, hostIp: text(record(binding).HostIp) ?? '', hostPort });
    }
  }
  return {
    id: text(inspect.Id) ?? fallbackId,
    name: (text(inspect.Name) ?? fallbackId).replace(/^\//, ''),
    image: text(config.Image) ?? text(inspect.Image) ?? '',
    status: text(state.Status) ?? 'unknown',
    running: state.Running === true,
    paused: state.Paused === true,
    startedAt: text(state.StartedAt),
    exitCode: typeof state.ExitCode === 'number' ? state.ExitCode : undefined,
    ports,
  };
}
