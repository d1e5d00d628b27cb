// Swarm calls (Docker API "Swarm", "Node", "Service", "Task"): what the Swarm view shows and does
// on an engine that is a swarm manager. Berth does not run Swarm itself; these pass the user's
// intent to the manager (dockerd in swarm mode) and report its answers as they are.
import type { SwarmNode, SwarmService, SwarmServiceSpec, SwarmStatus, SwarmTask } from '../../common/desktop-api.ts';
import { optionalString, requireInteger, requireObject, requireString, resourceId } from '../argument-checks.ts';
import type { BackendContext } from '../backend-context.ts';
import { badRequest } from '../backend-error.ts';
import { engineJson } from '../engine-request.ts';
import { nodeSummary, serviceSummary, taskSummary, type ApiNode, type ApiService, type ApiTask } from './swarm-shapes.ts';

/** A service name as swarmkit accepts it: letters, digits, - and _, up to 63 characters. */
const SERVICE_NAME = /^[a-zA-Z0-9](?:[a-zA-Z0-9_-]{0,61}[a-zA-Z0-9])?$/;

export async function swarmStatus(context: BackendContext): Promise<SwarmStatus> {
  const docker = context.target.docker;
  const info = await engineJson<{ Swarm?: { NodeID?: string; LocalNodeState?: string; ControlAvailable?: boolean } }>(docker, { method: 'GET', path: '/info' });
  const swarm = info.Swarm ?? {};
  const status: SwarmStatus = { manager: swarm.ControlAvailable === true, nodeState: swarm.LocalNodeState ?? 'inactive', nodeId: swarm.NodeID ?? '' };
  if (status.manager) return status;
  // The engine's own words for why it cannot manage a swarm (dockerd's "not a swarm manager",
  // which berthd gives too), rather than a sentence of ours.
  try {
    await engineJson(docker, { method: 'GET', path: '/nodes' });
  } catch (error) {
    status.reason = error instanceof Error ? error.message : String(error);
  }
  return status;
}

export async function listNodes(context: BackendContext): Promise<SwarmNode[]> {
  const nodes = await engineJson<ApiNode[]>(context.target.docker, { method: 'GET', path: '/nodes' });
  return nodes.map(nodeSummary).sort((a, b) => a.hostname.localeCompare(b.hostname));
}

export async function listServices(context: BackendContext): Promise<SwarmService[]> {
  // status=true (API 1.41) adds ServiceStatus: running and desired task counts.
  const services = await engineJson<ApiService[]>(context.target.docker, { method: 'GET', path: '/services', query: { status: true } });
  return services.map(serviceSummary).sort((a, b) => a.name.localeCompare(b.name));
}

export async function listServiceTasks(context: BackendContext, serviceId: unknown): Promise<SwarmTask[]> {
  const service = resourceId(serviceId, 'service id');
  const filters = JSON.stringify({ service: [service] });
  const tasks = await engineJson<ApiTask[]>(context.target.docker, { method: 'GET', path: '/tasks', query: { filters } });
  // Newest first within a slot, as `docker service ps` lists them.
  return tasks.map(taskSummary).sort((a, b) => (a.slot ?? 0) - (b.slot ?? 0) || b.updatedAt.localeCompare(a.updatedAt));
}

function checkSpec(value: unknown): SwarmServiceSpec {
  const spec = requireObject(value, 'service spec');
  const name = requireString(spec.name, 'name');
  if (!SERVICE_NAME.test(name)) throw badRequest(`service name "${name}" is not valid: use letters, digits, - and _ (at most 63), starting and ending with a letter or digit`);
  const image = requireString(spec.image, 'image').trim();
  if (!image) throw badRequest('image must not be empty');
  const replicas = requireInteger(spec.replicas, 'replicas', 0, 10_000);
  const publishedPort = spec.publishedPort === undefined || spec.publishedPort === null ? undefined : requireInteger(spec.publishedPort, 'publishedPort', 1, 65535);
  const targetPort = spec.targetPort === undefined || spec.targetPort === null ? publishedPort : requireInteger(spec.targetPort, 'targetPort', 1, 65535);
  let command: string[] | undefined;
  if (spec.command !== undefined && spec.command !== null) {
    if (!Array.isArray(spec.command) || spec.command.some((c) => typeof c !== 'string')) throw badRequest('command must be a list of strings');
    command = spec.command as string[];
  }
  return { name, image, replicas, publishedPort, targetPort, command };
}

export async function createService(context: BackendContext, value: unknown): Promise<{ id: string }> {
  const spec = checkSpec(value);
  const body = {
    Name: spec.name,
    TaskTemplate: { ContainerSpec: { Image: spec.image, ...(spec.command?.length ? { Command: spec.command } : {}) } },
    Mode: { Replicated: { Replicas: spec.replicas } },
    ...(spec.publishedPort
      ? { EndpointSpec: { Ports: [{ Protocol: 'tcp', PublishedPort: spec.publishedPort, TargetPort: spec.targetPort, PublishMode: 'ingress' }] } }
      : {}),
  };
  const created = await engineJson<{ ID: string }>(context.target.docker, { method: 'POST', path: '/services/create', body });
  return { id: created.ID };
}

/** Reads the service, changes its spec, and sends it back with the version it was read at
 * (the API's optimistic concurrency: a concurrent change makes this a 409/500, not a lost update). */
async function changeSpec(context: BackendContext, id: string, change: (spec: Record<string, unknown>) => void): Promise<void> {
  const docker = context.target.docker;
  const path = `/services/${encodeURIComponent(id)}`;
  const current = await engineJson<ApiService>(docker, { method: 'GET', path });
  const spec = structuredClone(current.Spec) as unknown as Record<string, unknown>;
  change(spec);
  await engineJson(docker, { method: 'POST', path: `${path}/update`, query: { version: current.Version?.Index ?? 0 }, body: spec });
}

export async function scaleService(context: BackendContext, id: unknown, replicas: unknown): Promise<void> {
  const service = resourceId(id, 'service id');
  const count = requireInteger(replicas, 'replicas', 0, 10_000);
  await changeSpec(context, service, (spec) => {
    const mode = spec.Mode as { Replicated?: { Replicas?: number } } | undefined;
    if (!mode?.Replicated) throw badRequest('only a replicated service can be scaled (this one is global)');
    mode.Replicated.Replicas = count;
  });
}

export async function updateServiceImage(context: BackendContext, id: unknown, image: unknown): Promise<void> {
  const service = resourceId(id, 'service id');
  const reference = optionalString(image, 'image')?.trim();
  if (!reference) throw badRequest('image must not be empty');
  await changeSpec(context, service, (spec) => {
    const template = (spec.TaskTemplate ?? {}) as { ContainerSpec?: { Image?: string } };
    template.ContainerSpec = { ...template.ContainerSpec, Image: reference };
    spec.TaskTemplate = template;
  });
}

export async function removeService(context: BackendContext, id: unknown): Promise<void> {
  await engineJson(context.target.docker, { method: 'DELETE', path: `/services/${encodeURIComponent(resourceId(id, 'service id'))}` });
}
