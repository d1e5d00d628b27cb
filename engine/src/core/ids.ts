// Identifiers as Docker forms them: 64 lowercase hex characters, shown truncated to 12.
import { randomBytes } from 'node:crypto';

export function newId(): string {
  return randomBytes(32).toString('hex');
}

export const shortId = (id: string): string => id.replace(/^sha256:/, '').slice(0, 12);

/** Docker's container name rule: [a-zA-Z0-9][a-zA-Z0-9_.-]+ (daemon/names). */
export const VALID_CONTAINER_NAME = /^\/?[a-zA-Z0-9][a-zA-Z0-9_.-]+$/;

/** Resolves `ref` (full id, unique id prefix, or name) against candidates; ambiguous prefixes fail. */
export function matchByPrefix<T>(ref: string, ids: Iterable<[string, T]>): T[] {
  const matches: T[] = [];
  for (const [id, value] of ids) {
    if (id === ref) return [value];
    if (id.startsWith(ref)) matches.push(value);
  }
  return matches;
}
