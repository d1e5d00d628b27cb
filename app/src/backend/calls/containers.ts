// Container calls (Docker API "Container" section): list, inspect, actions, remove, run.
import type Dockerode from 'dockerode';
import type { ContainerAction } from '../../common/desktop-api.ts';
import type { ContainerSummary } from '../../common/docker-types.ts';
import { optionsObject, optionalBoolean, requireOneOf, resourceId } from '../argument-checks.ts';
import type { BackendContext } from '../backend-context.ts';
import { BackendError } from '../backend-error.ts';
import { engineJson } from '../engine-request.ts';
import { checkRunSpec, createBody } from './run-spec.ts';

const ACTIONS: readonly ContainerAction[] = ['start', 'stop', 'restart', 'pause', 'unpause', 'kill'];

export function listContainers(context: BackendContext): Promise<ContainerSummary[]> {
  return engineJson(context.target.docker, { method: 'GET', path: '/containers/json', query: { all: 1 } });
}

export function inspectContainer(context: BackendContext, id: unknown): Promise<Record<string, unknown>> {
  return engineJson(context.target.docker, { method: 'GET', path: `/containers/${encodeURIComponent(resourceId(id, 'container id'))}/json` });
}

/** `docker`: another engine's client (a call that names its engine); the current one by default. */
export async function containerAction(context: BackendContext, id: unknown, action: unknown, docker: Dockerode = context.target.docker): Promise<void> {
  const container = encodeURIComponent(resourceId(id, 'container id'));
  const verb = requireOneOf(action, ACTIONS, 'container action');
  // Errors (409 "is not running", 404 "No such container") come back with the engine's status and words.
  await engineJson(docker, { method: 'POST', path: `/containers/${container}/${verb}` });
}

export async function removeContainer(context: BackendContext, id: unknown, options: unknown, docker: Dockerode = context.target.docker): Promise<void> {
  const container = encodeURIComponent(resourceId(id, 'container id'));
  const opts = optionsObject(options, 'remove options');
  const force = optionalBoolean(opts.force, 'force') ?? false;
  const volumes = optionalBoolean(opts.volumes, 'volumes') ?? false;
  await engineJson(docker, { method: 'DELETE', path: `/containers/${container}`, query: { force, v: volumes } });
}

export async function runContainer(context: BackendContext, value: unknown): Promise<{ id: string; warnings: string[] }> {
  const spec = checkRunSpec(value);
  const docker = context.target.docker;
  const created = await engineJson<{ Id: string; Warnings?: string[] | null }>(docker, {
    method: 'POST', path: '/containers/create', query: { name: spec.name }, body: createBody(spec),
  });
  try {
    await engineJson(docker, { method: 'POST', path: `/containers/${created.Id}/start` });
  } catch (error) {
    // Like `docker run`, leave nothing behind when the start fails, and report why it failed.
    await engineJson(docker, { method: 'DELETE', path: `/containers/${created.Id}`, query: { force: true, v: true } }).catch(() => {});
    const status = (error as { statusCode?: number }).statusCode ?? 500;
    throw new BackendError(status, `The container was created but could not start, so it was removed: ${(error as Error).message}`);
  }
  return { id: created.Id, warnings: created.Warnings ?? [] };
}
