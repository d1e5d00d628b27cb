// Part of the DesktopApi contract, re-exported by desktop-api.ts:
// Swarm as the Swarm view shows it.

/** Whether the current engine can manage a swarm (Info.Swarm.ControlAvailable), and if not, the
 * engine's own reason (dockerd's or berthd's answer to GET /nodes). */
export interface SwarmStatus {
  manager: boolean;
  /** Info.Swarm.LocalNodeState: inactive, pending, active, error, locked. */
  nodeState: string;
  nodeId: string;
  reason?: string;
}

export interface SwarmNode {
  id: string;
  hostname: string;
  role: string;
  availability: string;
  /** ready, down, unknown, disconnected. */
  state: string;
  leader: boolean;
  address: string;
  engineVersion: string;
}

export interface SwarmPort {
  published: number;
  target: number;
  protocol: string;
  /** ingress (routing mesh) or host. */
  mode: string;
}

export interface SwarmService {
  id: string;
  name: string;
  image: string;
  /** replicated or global. */
  mode: string;
  /** Desired replicas; for a global service, the tasks the orchestrator wants. */
  replicasDesired: number;
  replicasRunning: number;
  ports: SwarmPort[];
  /** The stack it was deployed with (label com.docker.stack.namespace). */
  stack?: string;
  updatedAt: string;
}

export interface SwarmTask {
  id: string;
  slot?: number;
  nodeId: string;
  state: string;
  desiredState: string;
  message: string;
  error?: string;
  image: string;
  containerId?: string;
  updatedAt: string;
}

export interface SwarmServiceSpec {
  name: string;
  image: string;
  replicas: number;
  /** Published on the routing mesh; targetPort defaults to the same number. */
  publishedPort?: number;
  targetPort?: number;
  /** Overrides the image's command (e.g. a busybox that stays up). */
  command?: string[];
}

export interface StackSummary {
  name: string;
  services: number;
}

/** One line a CLI run printed (`docker stack deploy`). */
export interface CliOutputLine {
  stream: 'stdout' | 'stderr';
  text: string;
}
