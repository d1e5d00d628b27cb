// Pure logic of the Compose view: compose projects as the engine runs them, read from the labels
// Compose puts on every container (compose-spec: com.docker.compose.project, .service,
// .project.working_dir, .project.config_files), joined with the projects the user opened before
// (remembered with their files, so one that is down can come up again).
import type { RememberedComposeProject } from '../../../common/desktop-api.ts';
import type { ContainerSummary } from '../../../common/docker-types.ts';
import { containerName } from '../../components/format.ts';

export const LABELS = {
  project: 'com.docker.compose.project',
  service: 'com.docker.compose.service',
  workingDir: 'com.docker.compose.project.working_dir',
  configFiles: 'com.docker.compose.project.config_files',
  /** "True" on a `compose run` container (v1 and v2 alike). */
  oneOff: 'com.docker.compose.oneoff',
} as const;

export interface ComposeServiceRow {
  name: string;
  containers: { id: string; name: string; state: string }[];
  /** The service's state in one word: running when all run, stopped when none, else mixed. */
  state: 'running' | 'stopped' | 'paused' | 'mixed';
}

export interface ComposeProjectRow {
  name: string;
  services: ComposeServiceRow[];
  /** `compose run` containers: not the services' containers, not in the counts, listed apart. */
  oneOff: ComposeServiceRow['containers'];
  /** The services' containers by state (one-offs left out). */
  running: number;
  paused: number;
  stopped: number;
  total: number;
  workingDir?: string;
  /** Absolute paths of its compose files, when known (labels or memory). */
  files: string[];
  /** Remembered but with no container on the engine now. */
  down: boolean;
}

function serviceState(states: string[]): ComposeServiceRow['state'] {
  if (states.every((s) => s === 'running' || s === 'restarting')) return 'running';
  if (states.every((s) => s === 'paused')) return 'paused';
  if (states.every((s) => s === 'exited' || s === 'created' || s === 'dead')) return 'stopped';
  return 'mixed';
}

/** config_files is a comma-separated list, relative to the working directory in some CLIs. */
export function configFiles(value: string | undefined, workingDir: string | undefined): string[] {
  if (!value) return [];
  return value.split(',').map((f) => f.trim()).filter(Boolean)
    .map((f) => (f.startsWith('/') || !workingDir ? f : `${workingDir.replace(/\/$/, '')}/${f.replace(/^\.\//, '')}`));
}

export function buildProjects(containers: readonly ContainerSummary[], remembered: readonly RememberedComposeProject[] = []): ComposeProjectRow[] {
  const byProject = new Map<string, ContainerSummary[]>();
  for (const container of containers) {
    const project = container.Labels?.[LABELS.project];
    if (!project) continue;
    const members = byProject.get(project);
    if (members) members.push(container);
    else byProject.set(project, [container]);
  }
  const rows: ComposeProjectRow[] = [];
  for (const [name, members] of byProject) {
    const services = new Map<string, ComposeServiceRow['containers']>();
    const oneOff: ComposeServiceRow['containers'] = [];
    let running = 0;
    let paused = 0;
    for (const container of members) {
      if (container.Labels?.[LABELS.oneOff]?.toLowerCase() === 'true') {
        oneOff.push({ id: container.Id, name: containerName(container), state: container.State });
        continue;
      }
      const service = container.Labels?.[LABELS.service] ?? containerName(container);
      const list = services.get(service) ?? [];
      list.push({ id: container.Id, name: containerName(container), state: container.State });
      services.set(service, list);
      if (container.State === 'running' || container.State === 'restarting') running++;
      else if (container.State === 'paused') paused++;
    }
    const labels = members[0].Labels ?? {};
    const memory = remembered.find((r) => r.project === name);
    const workingDir = labels[LABELS.workingDir] || memory?.workingDir;
    const fromLabels = configFiles(labels[LABELS.configFiles], workingDir);
    rows.push({
      name,
      services: [...services].map(([service, list]) => ({
        name: service,
        containers: list.sort((a, b) => a.name.localeCompare(b.name)),
        state: serviceState(list.map((c) => c.state)),
      })).sort((a, b) => a.name.localeCompare(b.name)),
      oneOff: oneOff.sort((a, b) => a.name.localeCompare(b.name)),
      running,
      paused,
      stopped: members.length - oneOff.length - running - paused,
      total: members.length - oneOff.length,
      workingDir,
      files: fromLabels.length > 0 ? fromLabels : memory?.files ?? [],
      down: false,
    });
  }
  for (const memory of remembered) {
    if (byProject.has(memory.project) || rows.some((r) => r.name === memory.project)) continue;
    rows.push({ name: memory.project, services: [], oneOff: [], running: 0, paused: 0, stopped: 0, total: 0, workingDir: memory.workingDir, files: memory.files, down: true });
  }
  return rows.sort((a, b) => a.name.localeCompare(b.name));
}

/** "2 running, 1 stopped": the counts a project row shows, zeros left out (except "0 running"). */
export function countsText(row: Pick<ComposeProjectRow, 'running' | 'paused' | 'stopped' | 'down'>): string {
  if (row.down) return 'Down';
  const parts = [`${row.running} running`];
  if (row.paused > 0) parts.push(`${row.paused} paused`);
  if (row.stopped > 0) parts.push(`${row.stopped} stopped`);
  return parts.join(', ');
}

const SOURCE_COLOURS = 6;

/**
 * The colour class of a service's prefix (one of six): by its place among the project's services
 * (sorted by name), so the first six always differ; a service not (yet) listed gets one from its
 * name, stable across renders and reloads.
 */
export function sourceClass(source: string, services: readonly string[] = []): string {
  const index = services.indexOf(source);
  if (index >= 0) return `log-source-${index % SOURCE_COLOURS}`;
  let hash = 0;
  for (let i = 0; i < source.length; i++) hash = (hash * 31 + source.charCodeAt(i)) >>> 0;
  return `log-source-${hash % SOURCE_COLOURS}`;
}

/**
 * Whether the engine runs on another machine than the backend (and so the Compose CLI): a unix
 * socket or named pipe is this machine's (Berth's VM included: it shares $HOME at the same path),
 * so is TCP to a loopback address; any other TCP host, and ssh://, is elsewhere.
 */
export function engineIsRemote(endpoint: string | undefined): boolean {
  if (!endpoint) return false;
  const scheme = /^([a-z]+):\/\//i.exec(endpoint)?.[1]?.toLowerCase();
  if (scheme === 'unix' || scheme === 'npipe') return false;
  if (scheme === 'ssh') return true;
  let host: string;
  try {
    host = new URL(endpoint.replace(/^tcp:/i, 'http:')).hostname.replace(/^\[|\]$/g, '');
  } catch {
    return false;
  }
  return !(host === 'localhost' || host === '::1' || /^127\./.test(host));
}
