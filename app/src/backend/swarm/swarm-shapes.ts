// The API's node, service and task objects (API spec definitions Node, Service, Task), reduced to
// what the Swarm view shows. Only here does the backend know those shapes.
import type { SwarmNode, SwarmPort, SwarmService, SwarmTask } from '../../common/desktop-api.ts';

export interface ApiNode {
  ID: string;
  Spec?: { Role?: string; Availability?: string };
  Description?: { Hostname?: string; Engine?: { EngineVersion?: string } };
  Status?: { State?: string; Addr?: string };
  ManagerStatus?: { Leader?: boolean; Addr?: string };
}

export interface ApiService {
  ID: string;
  Version?: { Index?: number };
  UpdatedAt?: string;
  Spec: {
    Name?: string;
    Labels?: Record<string, string> | null;
    TaskTemplate?: { ContainerSpec?: { Image?: string; TTY?: boolean } };
    Mode?: { Replicated?: { Replicas?: number }; Global?: object };
  };
  Endpoint?: { Ports?: { Protocol?: string; TargetPort?: number; PublishedPort?: number; PublishMode?: string }[] | null };
  ServiceStatus?: { RunningTasks?: number; DesiredTasks?: number };
}

export interface ApiTask {
  ID: string;
  Slot?: number;
  NodeID?: string;
  UpdatedAt?: string;
  DesiredState?: string;
  Spec?: { ContainerSpec?: { Image?: string } };
  Status?: { State?: string; Message?: string; Err?: string; ContainerStatus?: { ContainerID?: string } };
}

/** The stack label `docker stack deploy` puts on everything it creates. */
export const STACK_LABEL = 'com.docker.stack.namespace';

/** Swarm pins images by digest ("busybox:1@sha256:…"); the view shows the name the user gave. */
export function shownImage(image: string | undefined): string {
  return (image ?? '').replace(/@sha256:[0-9a-f]{64}$/, '');
}

export function nodeSummary(node: ApiNode): SwarmNode {
  return {
    id: node.ID,
    hostname: node.Description?.Hostname ?? '',
    role: node.Spec?.Role ?? '',
    availability: node.Spec?.Availability ?? '',
    state: node.Status?.State ?? 'unknown',
    leader: node.ManagerStatus?.Leader === true,
    address: node.Status?.Addr ?? node.ManagerStatus?.Addr ?? '',
    engineVersion: node.Description?.Engine?.EngineVersion ?? '',
  };
}

export function serviceSummary(service: ApiService): SwarmService {
  const replicated = service.Spec.Mode?.Replicated;
  const ports: SwarmPort[] = (service.Endpoint?.Ports ?? []).map((p) => ({
    published: p.PublishedPort ?? 0,
    target: p.TargetPort ?? 0,
    protocol: p.Protocol ?? 'tcp',
    mode: p.PublishMode ?? 'ingress',
  }));
  const stack = service.Spec.Labels?.[STACK_LABEL];
  return {
    id: service.ID,
    name: service.Spec.Name ?? service.ID,
    image: shownImage(service.Spec.TaskTemplate?.ContainerSpec?.Image),
    mode: replicated ? 'replicated' : 'global',
    replicasDesired: replicated ? (replicated.Replicas ?? 0) : (service.ServiceStatus?.DesiredTasks ?? 0),
    replicasRunning: service.ServiceStatus?.RunningTasks ?? 0,
    ports,
    ...(stack ? { stack } : {}),
    updatedAt: service.UpdatedAt ?? '',
  };
}

export function taskSummary(task: ApiTask): SwarmTask {
  const containerId = task.Status?.ContainerStatus?.ContainerID;
  const error = task.Status?.Err;
  return {
    id: task.ID,
    ...(task.Slot !== undefined ? { slot: task.Slot } : {}),
    nodeId: task.NodeID ?? '',
    state: task.Status?.State ?? 'unknown',
    desiredState: task.DesiredState ?? '',
    message: task.Status?.Message ?? '',
    ...(error ? { error } : {}),
    image: shownImage(task.Spec?.ContainerSpec?.Image),
    ...(containerId ? { containerId } : {}),
    updatedAt: task.UpdatedAt ?? '',
  };
}
