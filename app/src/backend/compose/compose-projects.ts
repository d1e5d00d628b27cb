// Whole-project lifecycle on the engine, from the labels Compose puts on what it creates
// (compose-spec: com.docker.compose.project on containers, networks and volumes). Works for any
// project the engine runs, whether or not its files are on this machine.
import type { ComposeProjectAction } from '../../common/desktop-api.ts';
import type { ContainerSummary, Network, Volume } from '../../common/docker-types.ts';
import { optionalBoolean, optionsObject, requireOneOf, requireString } from '../argument-checks.ts';
import type { BackendContext } from '../backend-context.ts';
import { BackendError } from '../backend-error.ts';
import { engineJson } from '../engine-request.ts';
import { checkProjectName } from './compose-input.ts';

export const PROJECT_LABEL = 'com.docker.compose.project';
export const SERVICE_LABEL = 'com.docker.compose.service';

const ACTIONS: readonly ComposeProjectAction[] = ['start', 'stop', 'restart'];

function labelFilter(project: string): string {
  return JSON.stringify({ label: [`${PROJECT_LABEL}=${project}`] });
}

export function projectArg(value: unknown): string {
  return checkProjectName(requireString(value, 'project'));
}

export function projectContainers(context: BackendContext, project: string): Promise<ContainerSummary[]> {
  return engineJson(context.target.docker, { method: 'GET', path: '/containers/json', query: { all: 1, filters: labelFilter(project) } });
}

async function containersOrNotFound(context: BackendContext, project: string): Promise<ContainerSummary[]> {
  const containers = await projectContainers(context, project);
  if (containers.length === 0) throw new BackendError(404, `no containers belong to the compose project "${project}"`);
  return containers;
}

/** Every container at once; the first failure is reported after all were tried (like `docker stop a b`). */
async function eachContainer(containers: ContainerSummary[], act: (c: ContainerSummary) => Promise<unknown>): Promise<void> {
  const results = await Promise.allSettled(containers.map(act));
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
}

export async function composeProjectAction(context: BackendContext, projectValue: unknown, actionValue: unknown): Promise<void> {
  const project = projectArg(projectValue);
  const action = requireOneOf(actionValue, ACTIONS, 'compose project action');
  const containers = await containersOrNotFound(context, project);
  // Start only what is not running, stop only what runs: a 304 for the others is fine, but a
  // paused container answers 409 to start, which is not what "start the project" means.
  const targets = containers.filter((c) => action === 'restart' || (action === 'start' ? c.State !== 'running' : c.State === 'running' || c.State === 'restarting'));
  await eachContainer(targets, (c) => engineJson(context.target.docker, { method: 'POST', path: `/containers/${c.Id}/${action}` }));
}

/** `compose down` by labels: containers (forced), then the project's networks, and its volumes only when asked. */
export async function removeComposeProject(context: BackendContext, projectValue: unknown, optionsValue: unknown): Promise<{ containers: number; networks: number; volumes: number }> {
  const project = projectArg(projectValue);
  const withVolumes = optionalBoolean(optionsObject(optionsValue, 'remove options').volumes, 'volumes') ?? false;
  const docker = context.target.docker;
  const containers = await projectContainers(context, project);
  await eachContainer(containers, (c) => engineJson(docker, { method: 'DELETE', path: `/containers/${c.Id}`, query: { force: true, v: withVolumes } }));
  const networks = await engineJson<Network[]>(docker, { method: 'GET', path: '/networks', query: { filters: labelFilter(project) } });
  for (const network of networks) await engineJson(docker, { method: 'DELETE', path: `/networks/${network.Id}` });
  let volumes = 0;
  if (withVolumes) {
    const listed = await engineJson<{ Volumes?: Volume[] | null }>(docker, { method: 'GET', path: '/volumes', query: { filters: labelFilter(project) } });
    for (const volume of listed.Volumes ?? []) {
      await engineJson(docker, { method: 'DELETE', path: `/volumes/${encodeURIComponent(volume.Name)}` });
      volumes++;
    }
  }
  if (containers.length === 0 && networks.length === 0 && volumes === 0) {
    throw new BackendError(404, `nothing belongs to the compose project "${project}"`);
  }
  return { containers: containers.length, networks: networks.length, volumes };
}
