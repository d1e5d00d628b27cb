// The Inspect tab's filter: keeps the parts of the inspect JSON whose key or value contains the
// query (case-insensitive), with the path that leads to them, so "ipaddress" leaves
// NetworkSettings → Networks → bridge → IPAddress and nothing else.
type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function matches(text: string, needle: string): boolean {
  return text.toLowerCase().includes(needle);
}

function prune(value: Json, needle: string): Json | undefined {
  if (value === null || typeof value !== 'object') return matches(String(value), needle) ? value : undefined;
  if (Array.isArray(value)) {
    const kept = value.map((item) => prune(item, needle)).filter((item) => item !== undefined);
    return kept.length > 0 ? kept : undefined;
  }
  const kept: Record<string, Json> = {};
  let any = false;
  for (const [key, child] of Object.entries(value)) {
    // A matching key keeps its whole subtree; otherwise keep only matching descendants.
    const result = matches(key, needle) ? child : prune(child, needle);
    if (result !== undefined) {
      kept[key] = result;
      any = true;
    }
  }
  return any ? kept : undefined;
}

/** The filtered document; an empty object when nothing matches. */
export function filterJson(value: Record<string, unknown>, query: string): Record<string, unknown> {
  const needle = query.trim().toLowerCase();
  if (needle === '') return value;
  return (prune(value as Json, needle) as Record<string, unknown> | undefined) ?? {};
}
