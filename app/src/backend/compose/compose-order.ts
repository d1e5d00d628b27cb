// The order a compose project's services start in, read from what Compose left on its containers,
// so whole-project Start follows dependencies as `compose start` does, and Stop goes in reverse.
//
// Where the dependencies are written:
//   - compose v2 labels every container with com.docker.compose.depends_on: comma-separated
//     "service:condition:restart" entries (e.g. "db:service_healthy:false"), "" for none.
//   - docker-compose 1.29 writes no such label (compose/const.py has none); its `depends_on` is
//     lost once the containers exist. What remains visible on a v1 (or v2) container are the
//     dependencies the engine itself enforces: `links` (HostConfig.Links "/db_1:/web_1/db"),
//     network_mode/pid/ipc "service:x" (HostConfig.*Mode "container:<id>") and volumes_from
//     (HostConfig.VolumesFrom "<id or name>[:mode]"). Both sources are used, for any CLI.
// One-off containers (`compose run`, com.docker.compose.oneoff=True) are not the project's
// services: `compose start/stop` leave them alone, and so do these actions.

export const DEPENDS_ON_LABEL = 'com.docker.compose.depends_on';
export const ONEOFF_LABEL = 'com.docker.compose.oneoff';

/** What ordering needs of one container (from GET /containers/{id}/json). */
export interface OrderedContainer {
  id: string;
  /** Name without the leading "/". */
  name: string;
  service: string;
  labels: Record<string, string>;
  links?: string[] | null;
  networkMode?: string;
  pidMode?: string;
  ipcMode?: string;
  volumesFrom?: string[] | null;
}

/** compose v1 and v2 both write "True"/"False". */
export function isOneOff(labels: Record<string, string> | undefined | null): boolean {
  return (labels?.[ONEOFF_LABEL] ?? '').toLowerCase() === 'true';
}

/** The services the depends_on label names ("db:service_started:false,cache:…" → db, cache). */
export function dependsOnLabel(value: string | undefined): string[] {
  if (!value) return [];
  return value.split(',').map((entry) => entry.split(':')[0].trim()).filter(Boolean);
}

/** The service of the container an id, id prefix or name refers to, among the project's. */
function serviceOf(reference: string, containers: readonly OrderedContainer[]): string | undefined {
  const ref = reference.replace(/^\//, '');
  if (!ref) return undefined;
  return containers.find((c) => c.id === ref || c.name === ref || (ref.length >= 12 && c.id.startsWith(ref)))?.service;
}

function dependenciesOf(container: OrderedContainer, containers: readonly OrderedContainer[]): Set<string> {
  const found = new Set(dependsOnLabel(container.labels[DEPENDS_ON_LABEL]));
  // "/proj_db_1:/proj_web_1/db": the linked container's name comes first.
  for (const link of container.links ?? []) found.add(serviceOf(link.split(':')[0], containers) ?? '');
  for (const mode of [container.networkMode, container.pidMode, container.ipcMode]) {
    if (mode?.startsWith('container:')) found.add(serviceOf(mode.slice('container:'.length), containers) ?? '');
  }
  for (const from of container.volumesFrom ?? []) found.add(serviceOf(from.split(':')[0], containers) ?? '');
  found.delete('');
  found.delete(container.service);
  return found;
}

/**
 * The containers in waves: every container of a wave depends only on services of earlier waves.
 * Dependencies on services with no container here are ignored (they cannot be started from here
 * either); a cycle, which Compose itself refuses, ends up in one last wave rather than nowhere.
 */
export function startWaves<T extends OrderedContainer>(containers: readonly T[]): T[][] {
  const services = new Set(containers.map((c) => c.service));
  const needs = new Map<string, Set<string>>();
  for (const container of containers) {
    const set = needs.get(container.service) ?? new Set<string>();
    for (const dependency of dependenciesOf(container, containers)) if (services.has(dependency)) set.add(dependency);
    needs.set(container.service, set);
  }
  const waves: T[][] = [];
  const done = new Set<string>();
  let left = [...containers];
  while (left.length > 0) {
    const ready = new Set([...services].filter((s) => !done.has(s) && [...(needs.get(s) ?? [])].every((d) => done.has(d))));
    const wave = ready.size > 0 ? left.filter((c) => ready.has(c.service)) : left;
    waves.push(wave);
    for (const c of wave) done.add(c.service);
    left = left.filter((c) => !wave.includes(c));
  }
  return waves;
}
