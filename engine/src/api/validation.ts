// Request body validation with zod. Docker's Go server decodes JSON with encoding/json, which
// matches keys case-insensitively and accepts null for any slice or map: the helpers here give
// zod the same tolerance, and turn its issues into one readable 400 message.
import { z } from 'zod';
import { invalid } from '../core/errors.ts';

/** An object schema whose keys match case-insensitively, unknown keys kept. */
export function ciObject<T extends z.ZodRawShape>(shape: T) {
  const canonical = new Map(Object.keys(shape).map((key) => [key.toLowerCase(), key]));
  return z.preprocess((value) => {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[canonical.get(key.toLowerCase()) ?? key] = item;
    return out;
  }, z.looseObject(shape));
}

/** Docker's strslice: a JSON string or an array of strings (or null). */
export const strSlice = z
  .union([z.string().transform((s) => [s]), z.array(z.string())])
  .nullable()
  .optional();

export const stringArray = z.array(z.string()).nullable().optional();
export const stringMap = z.record(z.string(), z.string()).nullable().optional();
export const int = z.number().int();

export function parseBody<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const result = schema.safeParse(value ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const where = issue.path.length > 0 ? issue.path.join('.') : what;
  throw invalid(`invalid ${what}: ${where}: ${issue.message}`);
}
