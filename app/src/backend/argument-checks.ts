// Everything the renderer sends arrives as JSON over a wire, so its types are only a promise.
// These checks turn a wrong shape into a 400 that names the argument, never a crash further down.
import { posix } from 'node:path';
import { badRequest } from './backend-error.ts';

export function requireString(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.length === 0) throw badRequest(`${field} must be a non-empty string`);
  return value;
}

export function optionalString(value: unknown, field: string): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') throw badRequest(`${field} must be a string`);
  return value;
}

export function requireBoolean(value: unknown, field: string): boolean {
  if (typeof value !== 'boolean') throw badRequest(`${field} must be true or false`);
  return value;
}

export function optionalBoolean(value: unknown, field: string): boolean | undefined {
  if (value === undefined || value === null) return undefined;
  return requireBoolean(value, field);
}

export function requireObject(value: unknown, field: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw badRequest(`${field} must be an object`);
  return value as Record<string, unknown>;
}

/** An object argument the renderer may omit (e.g. remove options): missing means all defaults. */
export function optionsObject(value: unknown, field: string): Record<string, unknown> {
  if (value === undefined || value === null) return {};
  return requireObject(value, field);
}

export function requireInteger(value: unknown, field: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw badRequest(`${field} must be an integer from ${min} to ${max}`);
  }
  return value;
}

export function stringArray(value: unknown, field: string): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'string')) throw badRequest(`${field} must be a list of strings`);
  return value as string[];
}

export function requireOneOf<T extends string>(value: unknown, allowed: readonly T[], field: string): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw badRequest(`${field} must be one of ${allowed.join(', ')}`);
  }
  return value as T;
}

/**
 * An absolute path inside a container or volume, normalized: `..` stops at `/` (POSIX rule), so
 * the result never names anything above the root it is resolved against.
 */
export function absolutePath(value: unknown, field: string): string {
  const path = requireString(value, field);
  if (!path.startsWith('/')) throw badRequest(`${field} must be an absolute path (starting with /), got "${path}"`);
  if (path.includes('\0')) throw badRequest(`${field} must not contain NUL bytes`);
  const normalized = posix.normalize(path);
  return normalized.length > 1 && normalized.endsWith('/') ? normalized.slice(0, -1) : normalized;
}

/** Container, image, volume and network ids or names go into URL paths: keep them to one segment. */
export function resourceId(value: unknown, field: string): string {
  const id = requireString(value, field);
  if (id.length > 512 || /[\0\s?#]/.test(id) || id === '.' || id === '..') throw badRequest(`${field} "${id}" is not a valid id or name`);
  return id;
}
