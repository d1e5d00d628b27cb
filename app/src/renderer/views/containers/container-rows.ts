// Pure list logic of the Containers view: search and state filter, grouping by compose project,
// and the flat list of rows the virtualized table draws (group headers and containers).
import type { ContainerSummary, PortBinding } from '../../../common/docker-types.ts';
import { containerName } from '../../components/format.ts';

/** Compose labels its containers with their project (compose-spec: com.docker.compose.project). */
export const COMPOSE_PROJECT_LABEL = 'com.docker.compose.project';

export type StateFilter = 'all' | 'running' | 'stopped' | 'paused';

export const STATE_FILTERS: { value: StateFilter; label: string }[] = [
  { value: 'all', label: 'All' },
  { value: 'running', label: 'Running' },
  { value: 'stopped', label: 'Stopped' },
  { value: 'paused', label: 'Paused' },
];

export function matchesState(state: string, filter: StateFilter): boolean {
  switch (filter) {
    case 'all': return true;
    case 'running': return state === 'running' || state === 'restarting';
    case 'paused': return state === 'paused';
    case 'stopped': return state === 'exited' || state === 'created' || state === 'dead';
  }
}

/** Name, image or id (prefix), case-insensitive, as `docker ps --filter` users expect. */
export function matchesSearch(container: ContainerSummary, name: string, search: string): boolean {
  const needle = search.trim().toLowerCase();
  if (!needle) return true;
  return name.toLowerCase().includes(needle)
    || container.Image.toLowerCase().includes(needle)
    || container.Id.toLowerCase().startsWith(needle);
}

/** "Running", "Exited (137)", "Paused"… the word the list shows next to the state's colour. */
export function stateText(container: Pick<ContainerSummary, 'State' | 'Status'>): string {
  const state = container.State;
  if (state === 'exited') {
    const code = /Exited \((-?\d+)\)/.exec(container.Status ?? '')?.[1];
    return code === undefined ? 'Exited' : `Exited (${code})`;
  }
  return state ? state[0].toUpperCase() + state.slice(1) : 'Unknown';
}

export interface PublishedPort {
  key: string;
  label: string;
  hostPort: number;
  protocol: string;
}

/**
 * Published ports, once each: engines list a binding per host address (0.0.0.0 and ::), and
 * unpublished ports have nothing to open.
 */
export function publishedPorts(ports: PortBinding[] | null | undefined): PublishedPort[] {
  const seen = new Map<string, PublishedPort>();
  for (const port of ports ?? []) {
    if (!port.PublicPort) continue;
    const label = `${port.PublicPort}:${port.PrivatePort}`;
    const key = `${label}/${port.Type}`;
    if (!seen.has(key)) seen.set(key, { key, label, hostPort: port.PublicPort, protocol: port.Type });
  }
  return [...seen.values()].sort((a, b) => a.hostPort - b.hostPort);
}

export interface GroupItem {
  kind: 'group';
  key: string;
  project: string;
  ids: string[];
  running: number;
  collapsed: boolean;
}

export interface ContainerItem {
  kind: 'container';
  key: string;
  container: ContainerSummary;
  name: string;
  /** The compose project it is listed under, if any. */
  project?: string;
}

export type ListItem = GroupItem | ContainerItem;

export interface ListOptions {
  search: string;
  state: StateFilter;
  collapsed: Record<string, true>;
}

function byName(a: ContainerItem, b: ContainerItem): number {
  return a.name.localeCompare(b.name);
}

/** Compose projects first (by name, each with its header), then the containers of no project. */
export function buildListItems(containers: readonly ContainerSummary[], options: ListOptions): ListItem[] {
  const projects = new Map<string, ContainerItem[]>();
  const loose: ContainerItem[] = [];
  for (const container of containers) {
    const name = containerName(container);
    if (!matchesState(container.State, options.state) || !matchesSearch(container, name, options.search)) continue;
    const project = container.Labels?.[COMPOSE_PROJECT_LABEL] || undefined;
    const item: ContainerItem = { kind: 'container', key: container.Id, container, name, project };
    if (project === undefined) loose.push(item);
    else {
      const members = projects.get(project);
      if (members) members.push(item);
      else projects.set(project, [item]);
    }
  }
  const items: ListItem[] = [];
  for (const project of [...projects.keys()].sort((a, b) => a.localeCompare(b))) {
    const members = projects.get(project)!.sort(byName);
    const collapsed = options.collapsed[project] === true;
    items.push({
      kind: 'group',
      key: `project:${project}`,
      project,
      ids: members.map((member) => member.container.Id),
      running: members.filter((member) => member.container.State === 'running').length,
      collapsed,
    });
    if (!collapsed) items.push(...members);
  }
  items.push(...loose.sort(byName));
  return items;
}

/** Consecutive items of the same project, so each project's rows sit inside its own rowgroup. */
export function segmentsOf<T extends { item: ListItem }>(rows: T[]): { project?: string; rows: T[] }[] {
  const segments: { project?: string; rows: T[] }[] = [];
  for (const row of rows) {
    const project = row.item.project;
    const last = segments.at(-1);
    if (last && last.project === project) last.rows.push(row);
    else segments.push({ project, rows: [row] });
  }
  return segments;
}
