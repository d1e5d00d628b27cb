// Whole-project lifecycle on the engine, from the labels Compose puts on what it creates
// (compose-spec: com.docker.compose.project on containers, networks and volumes). Works for any
// project the engine runs, whether or not its files are on this machine.
import type { ComposeProjectAction } from '../../common/desktop-api.ts';
import type { ContainerSummary, Network, Volume } from '../../common/docker-types.ts';
import { optionalBoolean, optionsObject, requireOneOf, requireString } from '../argument-checks.ts';
import type { BackendContext } from '../backend-context.ts';
import { BackendError, badRequest } from '../backend-error.ts';
import { engineJson } from '../engine-request.ts';
import { isOneOff, startWaves, type OrderedContainer } from './compose-order.ts';

export const PROJECT_LABEL = 'com.docker.compose.project';
export const SERVICE_LABEL = 'com.docker.compose.service';

const ACTIONS: readonly ComposeProjectAction[] = ['start', 'stop', 'restart'];

function labelFilter(project: string): string {
  return JSON.stringify({ label: [`${PROJECT_LABEL}=${project}`] });
}

/**
 * A project as its containers' label names it. Not held to the compose-spec name rule: the view
 * lists whatever the label says (another tool, an older CLI or a hand-made label may use ".", "+"
 * or capitals), so acting on it must work too; the name only ever travels as a filter value.
 */
export function projectArg(value: unknown): string {
  const project = requireString(value, 'project');
  if (/[\u0000-\u001f\u007f]/.test(project)) throw badRequest('a compose project name must not contain control characters');
  return project;
}

export function projectContainers(context: BackendContext, project: string): Promise<ContainerSummary[]> {
  return engineJson(context.target.docker, { method: 'GET', path: '/containers/json', query: { all: 1, filters: labelFilter(project) } });
}

async function containersOrNotFound(context: BackendContext, project: string): Promise<ContainerSummary[]> {
  const containers = await projectContainers(context, project);
  if (containers.length === 0) throw new BackendError(404, `no containers belong to the compose project "${project}"`);
  return containers;
}

/** Every container given at once; the first failure is reported after all were tried (like `docker stop a b`). */
async function eachContainer<T>(containers: T[], act: (c: T) => Promise<unknown>): Promise<void> {
  const results = await Promise.allSettled(containers.map(act));
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
}

interface ContainerInspect {
  Id: string;
  Name?: string;
  Config?: { Labels?: Record<string, string> | null };
  HostConfig?: { Links?: string[] | null; NetworkMode?: string; PidMode?: string; IpcMode?: string; VolumesFrom?: string[] | null };
}

interface ActionTarget extends OrderedContainer {
  state: string;
}

async function orderTargets(context: BackendContext, containers: ContainerSummary[]): Promise<ActionTarget[]> {
  const inspected = await Promise.all(containers.map(async (c): Promise<ActionTarget | undefined> => {
    const info = await engineJson<ContainerInspect>(context.target.docker, { method: 'GET', path: `/containers/${c.Id}/json` }).catch(() => undefined);
    // Removed since the listing: nothing to act on.
    if (!info) return undefined;
    const labels = info.Config?.Labels ?? c.Labels ?? {};
    return {
      id: c.Id, name: (info.Name ?? '').replace(/^\//, ''), service: labels[SERVICE_LABEL] ?? c.Id, labels, state: c.State,
      links: info.HostConfig?.Links, networkMode: info.HostConfig?.NetworkMode, pidMode: info.HostConfig?.PidMode,
      ipcMode: info.HostConfig?.IpcMode, volumesFrom: info.HostConfig?.VolumesFrom,
    };
  }));
  return inspected.filter((t): t is ActionTarget => t !== undefined);
}

/**
 * Start and restart go wave by wave in dependency order (compose-order.ts), stop in the reverse
 * order, as `compose start/stop/restart` do; a wave's containers go at once. A failed wave ends
 * the action: its dependents would only fail after it (or run without what they need).
 */
export async function composeProjectAction(context: BackendContext, projectValue: unknown, actionValue: unknown): Promise<void> {
  const project = projectArg(projectValue);
  const action = requireOneOf(actionValue, ACTIONS, 'compose project action');
  const containers = (await containersOrNotFound(context, project)).filter((c) => !isOneOff(c.Labels));
  if (containers.length === 0) throw new BackendError(404, `the compose project "${project}" has only one-off containers (compose run), which it does not start or stop`);
  const waves = startWaves(await orderTargets(context, containers));
  if (action === 'stop') waves.reverse();
  // Start only what is not running, stop only what runs: a 304 for the others is fine, but a
  // paused container answers 409 to start, which is not what "start the project" means.
  const wanted = (t: ActionTarget) => action === 'restart' || (action === 'start' ? t.state !== 'running' : t.state === 'running' || t.state === 'restarting');
  for (const wave of waves) {
    await eachContainer(wave.filter(wanted), (t) => engineJson(context.target.docker, { method: 'POST', path: `/containers/${t.id}/${action}` }));
  }
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
