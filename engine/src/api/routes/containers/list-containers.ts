// `GET /containers/json` with dockerd's filters (API spec "ContainerList").
import type { ContainerRecord } from '../../../core/container-types.ts';
import { invalid } from '../../../core/errors.ts';
import type { EngineServices } from '../../../services/engine-services.ts';
import { containerSummary } from '../../presenters/container-json.ts';
import { boolParam, checkFilterKeys, filtersParam, intParam, matchesLabels } from '../../query.ts';

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
  const ancestors = filters.get('ancestor')?.map((ref) => s.images.find(ref)?.id ?? ref);

  const keep = (r: ContainerRecord): boolean => {
    const statusFilter = filters.get('status');
    if (!all && !statusFilter && r.State.Status !== 'running' && r.State.Status !== 'paused') return false;
    if (statusFilter && !statusFilter.includes(r.State.Status)) return false;
    const ids = filters.get('id');
    if (ids && !ids.some((prefix) => r.Id.startsWith(prefix))) return false;
    const names = filters.get('name');
    if (names && !names.some((pattern) => safeRegExp(pattern).test(r.Name.slice(1)) || safeRegExp(pattern).test(r.Name))) return false;
    if (!matchesLabels(r.Config.Labels, filters.get('label'))) return false;
    const exited = filters.get('exited');
    if (exited && !(r.State.Status === 'exited' && exited.map(Number).includes(r.State.ExitCode))) return false;
    if (ancestors && !ancestors.includes(r.Image) && !ancestors.includes(r.Config.Image)) return false;
    const created = Date.parse(r.Created);
    if (before && !before.every((t) => created < t)) return false;
    if (since && !since.every((t) => created > t)) return false;
    // dockerd: "none" for a container without a (running) health check.
    const health = filters.get('health');
    if (health && !health.includes(r.State.Health?.Status ?? 'none')) return false;
    if (filters.has('is-task') && boolParam(new URLSearchParams({ v: filters.get('is-task')![0] }), 'v')) return false;
    return true;
  };

  const records = store.list().filter(keep).sort((a, b) => Date.parse(b.Created) - Date.parse(a.Created));
  const limited = limit > 0 ? records.slice(0, limit) : records;
  return limited.map((r) => containerSummary(r, imageName(s, r)));
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
