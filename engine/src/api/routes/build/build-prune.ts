// `POST /build/prune` filters (what `docker builder prune --filter` and `docker system prune
// --filter` send), accepted and refused as dockerd 20.10 does. The classic builder's cache entries
// are step images: `label`/`label!` match their labels, `id` their ID, `until`/`unused-for` their
// age; the BuildKit-only fields (type, inuse, shared…) match none of them, so nothing goes.
import { invalid } from '../../../core/errors.ts';
import type { CacheEntryFacts } from '../../../services/build/build-service.ts';
import { parseUntil } from '../../../services/observability/prune-filters.ts';
import { filtersParam, matchesLabels } from '../../query.ts';

const ACCEPTED = ['id', 'parent', 'type', 'description', 'inuse', 'shared', 'private', 'unused-for', 'until', 'label', 'label!'];
const BUILDKIT_ONLY = ['parent', 'type', 'description', 'inuse', 'shared', 'private'];
const GO_DURATION = /^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/;

/** The entries a prune request selects, or an error worded as dockerd's. */
export function buildPruneSelector(query: URLSearchParams, now = Date.now()): (entry: CacheEntryFacts) => boolean {
  const filters = filtersParam(query);
  for (const key of filters.keys()) if (!ACCEPTED.includes(key)) throw invalid(`failed to prune build cache: Invalid filter '${key}'`);
  const unusedFor = filters.get('unused-for') ?? [];
  if (unusedFor.length > 1) throw invalid('failed to prune build cache: filters expect only one value');
  if (unusedFor[0] !== undefined && !GO_DURATION.test(unusedFor[0])) {
    throw invalid(`failed to prune build cache: "unused-for" filter expects a duration (e.g., '24h'): time: invalid duration "${unusedFor[0]}"`);
  }
  const cutoffs = [...unusedFor, ...(filters.get('until') ?? [])].map((value) => parseUntil(value, now)!);
  const ids = filters.get('id');
  const labels = filters.get('label');
  const notLabels = filters.get('label!');
  const unmatchable = BUILDKIT_ONLY.some((key) => filters.has(key));
  return (entry) => {
    if (unmatchable) return false;
    if (ids && !ids.some((id) => entry.id.replace(/^sha256:/, '').startsWith(id.replace(/^sha256:/, '')))) return false;
    if (!matchesLabels(entry.labels, labels) || !matchesLabels(entry.labels, notLabels, true)) return false;
    return cutoffs.every((cutoff) => entry.createdMs < cutoff);
  };
}
