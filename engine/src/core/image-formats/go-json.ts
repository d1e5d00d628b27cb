// Schema pieces that read JSON the way dockerd's Go decoder (encoding/json) does, because the
// image documents we take in were written by Go tools and dockerd accepts what its decoder
// accepts: `null` for any slice, map, string, number or bool means "zero value" (here: absent);
// a `null` element of a string array becomes "" (Go decodes it into the element's zero value);
// object keys match case-insensitively when there is no exact match; unknown keys are ignored.
// A value of the wrong type is an error, as it is for Go.
import * as v from 'valibot';
import { invalid } from '../errors.ts';

type Shape = Record<string, v.GenericSchema>;

/** `null` and absent both become `undefined`; anything else must match `schema`. */
export function maybe<S extends v.GenericSchema>(schema: S) {
  return v.pipe(
    v.nullish(schema),
    v.transform((value): v.InferOutput<S> | undefined => value ?? undefined),
  );
}

/** Go `string` element: `null` is "". */
export const goString = v.pipe(v.nullable(v.string()), v.transform((s) => s ?? ''));

/** Go `[]string`; absent or null → undefined. */
export const goStrings = maybe(v.array(goString));

/** Docker's strslice (Entrypoint, Cmd): also accepts a lone string, as dockerd does. */
export const strSlice = maybe(v.union([v.pipe(v.string(), v.transform((s) => [s])), v.array(goString)]));

/** Go `map[string]string`: null values become "". */
export const goStringMap = maybe(v.record(v.string(), goString));

/** Go `map[string]struct{}` (ExposedPorts, Volumes): only the keys carry meaning, so any value
 * (Go would take an object or null) is read as `{}`. */
export const goKeySet = maybe(
  v.pipe(
    v.record(v.string(), v.unknown()),
    v.transform((record): Record<string, object> => Object.fromEntries(Object.keys(record).map((key) => [key, {}]))),
  ),
);

export const goInt = maybe(v.pipe(v.number(), v.integer()));
export const goBool = maybe(v.boolean());
export const goText = maybe(v.string());

/** An object whose keys match `shape` exactly or, failing that, case-insensitively (Go's rule);
 * the output holds only the keys of `shape`. */
export function goObject<T extends Shape>(shape: T) {
  const canonical = new Map(Object.keys(shape).map((key) => [key.toLowerCase(), key]));
  return v.pipe(
    v.record(v.string(), v.unknown()),
    v.transform((value) => {
      const out: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(value)) {
        if (key in shape) out[key] = item;
        else {
          const match = canonical.get(key.toLowerCase());
          if (match && !Object.hasOwn(value, match)) out[match] = item;
        }
      }
      return out;
    }),
    v.object(shape),
  );
}

/** Runs `schema` over `value`; the first issue becomes one readable error naming the field. */
export function parseDocument<S extends v.GenericSchema>(schema: S, value: unknown, what: string): v.InferOutput<S> {
  const result = v.safeParse(schema, value);
  if (result.success) return result.output;
  const issue = result.issues[0];
  const path = (issue.path ?? []).map((item) => String(item.key)).join('.');
  throw invalid(`invalid ${what}: ${path ? `${path}: ` : ''}${issue.message}`);
}

/** JSON text → value; a syntax error is an `invalid` error naming the document. */
export function parseJsonText(bytes: Uint8Array | string, what: string): unknown {
  const text = typeof bytes === 'string' ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw invalid(`invalid ${what}: not valid JSON`);
  }
}

/** Drops keys whose value is undefined, so a parsed document serialises without them. */
export function compact<T extends object>(value: T): T {
  for (const key of Object.keys(value) as Array<keyof T>) if (value[key] === undefined) delete value[key];
  return value;
}
