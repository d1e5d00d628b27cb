// `docker search` (API "Image": GET /images/search): the term names an index (a registry host, or
// Docker Hub's when it has none) and what to look for there; the index's v1 search answers, and
// the filters and limit apply as dockerd applies them (daemon/images SearchRegistryForImages and
// registry.Service.Search).
import { invalid } from '../../core/errors.ts';

/** One hit, as the v1 search API and the Docker API both spell it. */
export interface SearchResult {
  star_count: number;
  is_official: boolean;
  name: string;
  is_automated: boolean;
  description: string;
}

/** A registry's v1 search endpoint, as the host's HTTP client reaches it. */
export interface IndexSearch {
  search(indexHost: string, query: string, limit: number): Promise<SearchResult[]>;
}

export interface SearchRequest {
  term: string;
  /** The `limit` parameter as sent (absent: 25). */
  limit: string | null;
  filters: Map<string, string[]>;
}

const HUB_INDEX = 'index.docker.io';
const ACCEPTED_FILTERS = ['is-automated', 'is-official', 'stars'];

/** "host/name" when the first part looks like a host (a dot, a port or localhost); else Hub. */
function splitTerm(term: string): { index: string; remote: string; official: boolean } {
  const slash = term.indexOf('/');
  const first = slash < 0 ? '' : term.slice(0, slash);
  if (slash < 0 || (!first.includes('.') && !first.includes(':') && first !== 'localhost')) {
    return { index: HUB_INDEX, remote: term.startsWith('library/') ? term.slice('library/'.length) : term, official: true };
  }
  const official = first === 'docker.io' || first === HUB_INDEX;
  return { index: official ? HUB_INDEX : first, remote: term.slice(slash + 1), official };
}

function boolFilter(filters: Map<string, string[]>, key: string): boolean | undefined {
  const values = filters.get(key);
  if (!values || values.length === 0) return undefined;
  const value = values[0];
  if (value !== 'true' && value !== 'false') throw invalid(`Invalid filter '${key}=[${values.join(' ')}]'`);
  return value === 'true';
}

export async function searchImages(index: IndexSearch, request: SearchRequest): Promise<SearchResult[]> {
  const { filters } = request;
  const limitText = request.limit ?? '';
  if (limitText !== '' && !/^[+-]?\d+$/.test(limitText)) throw invalid(`strconv.Atoi: parsing "${limitText}": invalid syntax`);
  const limit = limitText === '' ? 25 : Number(limitText);
  for (const key of filters.keys()) if (!ACCEPTED_FILTERS.includes(key)) throw invalid(`Invalid filter '${key}'`);
  const automated = boolFilter(filters, 'is-automated');
  const official = boolFilter(filters, 'is-official');
  let minStars = 0;
  for (const value of filters.get('stars') ?? []) {
    if (!/^[+-]?\d+$/.test(value)) throw invalid(`Invalid filter 'stars=${value}'`);
    minStars = Math.max(minStars, Number(value));
  }
  if (request.term.includes('://')) throw invalid('Invalid repository name (ex: "registry.domain.tld/myrepos")');
  if (limit < 1 || limit > 100) throw invalid(`Limit ${limit} is outside the range of [1, 100]`);
  const { index: host, remote } = splitTerm(request.term);
  const results = await index.search(host, remote, limit);
  return results.filter((r) => (automated === undefined || r.is_automated === automated) && (official === undefined || r.is_official === official) && r.star_count >= minStars);
}
