// Query-string parsing with dockerd's rules (compat notes: "Filters", booleans).
import { invalid } from '../core/errors.ts';

const FALSE_VALUES = new Set(['', '0', 'no', 'false', 'none']);

/** A query boolean: absent → fallback; "", 0, no, false, none → false; anything else → true. */
export function boolParam(query: URLSearchParams, name: string, fallback = false): boolean {
  const value = query.get(name);
  if (value === null) return fallback;
  return !FALSE_VALUES.has(value.toLowerCase());
}

export function intParam(query: URLSearchParams, name: string): number | undefined {
  const value = query.get(name);
  if (value === null || value === '') return undefined;
  if (!/^-?\d+$/.test(value)) throw invalid(`invalid value for ${name}: ${JSON.stringify(value)} is not an integer`);
  return Number(value);
}

/** Filters arrive as JSON: Go clients send {"label":{"k=v":true}}, dockerode {"label":["k=v"]}. */
export function filtersParam(query: URLSearchParams): Map<string, string[]> {
  const raw = query.get('filters');
  const filters = new Map<string, string[]>();
  if (!raw) return filters;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw invalid(`invalid filter: ${raw}`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw invalid(`invalid filter: ${raw}`);
  for (const [key, value] of Object.entries(parsed)) {
    if (Array.isArray(value)) filters.set(key, value.map(String));
    else if (value && typeof value === 'object') filters.set(key, Object.keys(value).filter((k) => (value as Record<string, unknown>)[k]));
    else throw invalid(`invalid filter: ${raw}`);
  }
  return filters;
}

/** Rejects filter keys the endpoint does not know, as dockerd does ("invalid filter 'x'"). */
export function checkFilterKeys(filters: Map<string, string[]>, allowed: readonly string[]): void {
  for (const key of filters.keys()) if (!allowed.includes(key)) throw invalid(`invalid filter '${key}'`);
}

/** Matches `label` filters: "key" (present) or "key=value". */
export function matchesLabels(labels: Record<string, string> | null | undefined, wanted: string[] | undefined, negate = false): boolean {
  if (!wanted || wanted.length === 0) return true;
  return wanted.every((want) => {
    const eq = want.indexOf('=');
    const key = eq < 0 ? want : want.slice(0, eq);
    const hit = labels != null && key in labels && (eq < 0 || labels[key] === want.slice(eq + 1));
    return negate ? !hit : hit;
  });
}
