// `GET /containers/json` with dockerd's filters (API spec "ContainerList").
import type { ContainerRecord } from '../../../core/container-types.ts';
import { invalid } from '../../../core/errors.ts';
import type { EngineServices } from '../../../services/engine-services.ts';
import { containerSummary } from '../../presenters/container-json.ts';
import { boolParam, checkFilterKeys, filtersParam, intParam, matchesLabels } from '../../query.ts';
import { matchesNetwork, matchesPorts, matchesVolume, parsePortFilter } from './list-filters.ts';

const FILTERS = ['id', 'name', 'label', 'status', 'exited', 'ancestor', 'before', 'since', 'is-task', 'health', 'network', 'volume', 'publish', 'expose'] as const;
const STATUSES = ['created', 'restarting', 'running', 'removing', 'paused', 'exited', 'dead'];

export function listContainers(s: EngineServices, query: URLSearchParams): object[] {
  const filters = filtersParam(query);
  checkFilterKeys(filters, FILTERS);
  for (const status of filters.get('status') ?? []) {
    if (!STATUSES.includes(status)) throw invalid(`invalid filter 'status=${status}'`);
  }
  for (const health of filters.get('health') ?? []) {
    if (!['starting', 'healthy', 'unhealthy', 'none'].includes(health)) throw invalid(`Unrecognised filter value for health: ${health}`);
  }
  const all = boolParam(query, 'all');
  const limit = intParam(query, 'limit') ?? -1;
  const store = s.containers.store;
  const createdOf = (ref: string) => Date.parse(store.get(ref).Created);
  const before = filters.get('before')?.map(createdOf);
  const since = filters.get('since')?.map(createdOf);
  const ancestors = filters.has('ancestor') ? imagesDescendedFrom(s, filters.get('ancestor')!) : undefined;
  const publish = parsePortFilter('publish', filters.get('publish') ?? []);
  const expose = parsePortFilter('expose', filters.get('expose') ?? []);

  const keep = (r: ContainerRecord): boolean => {
    const statusFilter = filters.get('status');
    // A limit lists stopped containers too (dockerd: `ps -n 3` / `ps -l` need no -a).
    if (!all && !statusFilter && limit <= 0 && r.State.Status !== 'running' && r.State.Status !== 'paused') return false;
    if (statusFilter && !statusFilter.includes(r.State.Status)) return false;
    const ids = filters.get('id');
    if (ids && !ids.some((prefix) => r.Id.startsWith(prefix))) return false;
    const names = filters.get('name');
    if (names && !names.some((pattern) => safeRegExp(pattern).test(r.Name.slice(1)) || safeRegExp(pattern).test(r.Name))) return false;
    if (!matchesLabels(r.Config.Labels, filters.get('label'))) return false;
    const exited = filters.get('exited');
    if (exited && !(r.State.Status === 'exited' && exited.map(Number).includes(r.State.ExitCode))) return false;
    if (ancestors && !ancestors.has(r.Image)) return false;
    const volumes = filters.get('volume');
    if (volumes && !matchesVolume(r, volumes)) return false;
    const networks = filters.get('network');
    if (networks && !matchesNetwork(r, networks)) return false;
    if ((publish.size > 0 || expose.size > 0) && !matchesPorts(r, publish, expose)) return false;
    if (before || since) {
      const created = Date.parse(r.Created);
      if (before && !before.every((t) => created < t)) return false;
      if (since && !since.every((t) => created > t)) return false;
    }
    // dockerd: "none" for a container without a (running) health check.
    const health = filters.get('health');
    if (health && !health.includes(r.State.Health?.Status ?? 'none')) return false;
    if (filters.has('is-task') && boolParam(new URLSearchParams({ v: filters.get('is-task')![0] }), 'v')) return false;
    return true;
  };

  // Newest first. Each Created parsed once, not per comparison (n log n Date.parse calls were
  // the largest share of listing 500 containers).
  const records = store
    .list()
    .filter(keep)
    .map((r) => ({ r, created: Date.parse(r.Created) }))
    .sort((a, b) => b.created - a.created)
    .map((e) => e.r);
  const limited = limit > 0 ? records.slice(0, limit) : records;
  // Many containers share an image name: resolve each name once per listing.
  const names = new Map<string, string>();
  return limited.map((r) => {
    const key = `${r.Config.Image}\0${r.Image}`;
    let name = names.get(key);
    if (name === undefined) names.set(key, (name = imageName(s, r)));
    return containerSummary(r, name);
  });
}

/** ancestor=: the images named and every image built on them (classic builder steps record
 * their parent), as dockerd walks its image graph. Names that resolve to nothing are skipped. */
function imagesDescendedFrom(s: EngineServices, refs: string[]): Set<string> {
  const children = new Map<string, string[]>();
  for (const image of s.images.store.list()) {
    if (image.parent) children.set(image.parent, [...(children.get(image.parent) ?? []), image.id]);
  }
  const found = new Set<string>();
  const visit = (id: string) => {
    if (found.has(id)) return;
    found.add(id);
    for (const child of children.get(id) ?? []) visit(child);
  };
  for (const ref of refs) {
    const image = s.images.find(ref);
    if (image) visit(image.id);
  }
  return found;
}

/** `docker ps` shows the name the user gave, or the image ID once that name points elsewhere. */
function imageName(s: EngineServices, record: ContainerRecord): string {
  const current = s.images.find(record.Config.Image);
  return current?.id === record.Image ? record.Config.Image : record.Image;
}

function safeRegExp(pattern: string): RegExp {
  try {
    return new RegExp(pattern);
  } catch {
    throw invalid(`invalid filter 'name=${pattern}'`);
  }
}
