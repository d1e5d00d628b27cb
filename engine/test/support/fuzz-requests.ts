// fast-check generators of hostile HTTP/1.1 requests, written byte by byte so that nothing in
// between (Node's client) tidies them up: odd request targets, methods, headers and framing, and
// JSON bodies of real endpoints mutated with nulls, wrong types, deep nesting and cuts.
import fc from 'fast-check';

export interface FuzzRequest {
  /** The exact bytes sent. */
  bytes: Buffer;
  method: string;
  target: string;
  /** The client half-closes mid-body: no reply is owed. */
  cut: boolean;
  /** What the request was built from, for failure messages. */
  label: string;
}

export interface BodyTemplate {
  method: string;
  path: string;
  body: unknown;
}

/** A JSON value of any type, the kind a confused client sends in place of the right one. */
const wrongValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(-1, 2 ** 53, -(2 ** 63), 1e308),
  fc.string({ maxLength: 20 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.constant([]),
  fc.constant({}),
  fc.array(fc.oneof(fc.constant(null), fc.integer(), fc.string({ maxLength: 5 })), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.oneof(fc.constant(null), fc.integer(), fc.string({ maxLength: 5 })), { maxKeys: 3 }),
  fc.integer({ min: 1, max: 3000 }).map((depth) => JSON.parse(`${'['.repeat(depth)}${']'.repeat(depth)}`) as unknown),
);

/** Every path to a value inside `value` (the root included). */
function paths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  const out = [prefix];
  if (Array.isArray(value)) value.forEach((item, i) => out.push(...paths(item, [...prefix, i])));
  else if (value !== null && typeof value === 'object') for (const [key, item] of Object.entries(value)) out.push(...paths(item, [...prefix, key]));
  return out;
}

function mutate(base: unknown, pick: number, kind: 'replace' | 'delete' | 'nest', replacement: unknown): unknown {
  const copy = structuredClone(base);
  const all = paths(copy);
  const path = all[pick % all.length];
  if (path.length === 0) return kind === 'nest' ? [copy] : replacement;
  const parent = path.slice(0, -1).reduce<unknown>((node, key) => (node as Record<string | number, unknown>)[key], copy) as Record<string | number, unknown>;
  const key = path[path.length - 1];
  if (kind === 'delete' && !Array.isArray(parent)) delete parent[key];
  else if (kind === 'nest') parent[key] = { [String(key)]: parent[key] };
  else parent[key] = replacement;
  return copy;
}

/** The body of a template, mutated (or not), as text, perhaps cut or padded. */
export function bodyText(template: BodyTemplate): fc.Arbitrary<string> {
  const mutated = fc.oneof(
    { weight: 1, arbitrary: fc.constant(template.body) },
    { weight: 6, arbitrary: fc.tuple(fc.nat(), fc.constantFrom('replace', 'delete', 'nest') as fc.Arbitrary<'replace' | 'delete' | 'nest'>, wrongValue).map(([pick, kind, value]) => mutate(template.body, pick, kind, value)) },
    { weight: 2, arbitrary: fc.tuple(fc.nat(), wrongValue, fc.nat(), wrongValue).map(([a, va, b, vb]) => mutate(mutate(template.body, a, 'replace', va), b, 'replace', vb)) },
  );
  return fc.oneof(
    { weight: 8, arbitrary: mutated.map((value) => JSON.stringify(value) ?? 'null') },
    // Cut anywhere, or with junk after the JSON.
    { weight: 2, arbitrary: fc.tuple(mutated, fc.double({ min: 0, max: 1, noNaN: true })).map(([value, at]) => { const text = JSON.stringify(value) ?? ''; return text.slice(0, Math.floor(text.length * at)); }) },
    { weight: 1, arbitrary: fc.tuple(mutated, fc.string({ maxLength: 10 })).map(([value, junk]) => `${JSON.stringify(value)}${junk}`) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 200 }) },
  );
}

/** Request targets: real endpoints bent out of shape. */
export function requestTarget(paths: readonly string[]): fc.Arbitrary<string> {
  const real = fc.constantFrom(...paths);
  return fc.oneof(
    { weight: 4, arbitrary: real },
    { weight: 1, arbitrary: real.map((p) => `/v1.${p.length % 60}${p}`) },
    { weight: 2, arbitrary: fc.tuple(real, fc.constantFrom('//', '//a:99999', '//[', '//x%zz', '//u:p@[::1', '/./', '/../', '%', '%zz', '%ff', '%00', '[', ']', '..', '?', '#', '*', ';', '\\', 'é', '\u00ff', '%2F..%2F')).map(([p, junk]) => `${junk}${p}`) },
    { weight: 2, arbitrary: fc.tuple(real, fc.nat(), fc.constantFrom('//', '%zz', '%', '[', '/../..', '?filters=%zz', '?filters={"label":{"a":1}}', '?filters=[]', '?t=-1&h=x&w=99999999999999999999', '?tail=-5', '?since=x&until=y', '?all=maybe')).map(([p, at, junk]) => `${p.slice(0, at % (p.length + 1))}${junk}${p.slice(at % (p.length + 1))}`) },
    { weight: 1, arbitrary: fc.constantFrom('*', 'x:80', 'http://x/_ping', 'http://[::1', '', ' ', '/\u0000', `/${'a'.repeat(70_000)}`, `/containers/${'x'.repeat(5000)}/json`, `/_ping?${'a=1&'.repeat(5000)}`) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary-ascii', minLength: 1, maxLength: 60 }).map((s) => `/${s.replace(/[\s]/g, '')}`) },
  );
}

export const methodArb: fc.Arbitrary<string> = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'HEAD') },
  { weight: 2, arbitrary: fc.constantFrom('CONNECT', 'OPTIONS', 'PATCH', 'TRACE', 'PROPFIND', 'get', 'FOO', 'M-SEARCH', 'SOURCE') },
  { weight: 1, arbitrary: fc.stringMatching(/^[A-Za-z!#$%&'*+.^_`|~-]{1,12}$/) },
);

interface Framing {
  headers: readonly string[];
  body: Buffer;
  cut: boolean;
}

/** How the body is framed: honest Content-Length, lies, chunked (whole or cut), duplicates. */
function framing(body: string): fc.Arbitrary<Framing> {
  const bytes = Buffer.from(body);
  return fc.oneof(
    { weight: 10, arbitrary: fc.constant({ headers: [`Content-Length: ${bytes.length}`], body: bytes, cut: false }) },
    { weight: 1, arbitrary: fc.constant({ headers: [], body: Buffer.alloc(0), cut: false }) },
    { weight: 1, arbitrary: fc.constantFrom('abc', '-1', '1e3', ` ${bytes.length}`, '99999999999999999999', `${bytes.length}, ${bytes.length + 1}`).map((v) => ({ headers: [`Content-Length: ${v}`], body: bytes, cut: false })) },
    { weight: 1, arbitrary: fc.constant({ headers: [`Content-Length: ${bytes.length}`, `Content-Length: ${bytes.length + 3}`], body: bytes, cut: false }) },
    { weight: 1, arbitrary: fc.constant({ headers: ['Transfer-Encoding: chunked', `Content-Length: ${bytes.length}`], body: bytes, cut: false }) },
    {
      weight: 2,
      arbitrary: fc.constant({ headers: ['Transfer-Encoding: chunked'], body: Buffer.concat([Buffer.from(`${bytes.length.toString(16)}\r\n`), bytes, Buffer.from('\r\n0\r\n\r\n')]), cut: false }),
    },
    // A chunked body cut short (or with a broken chunk size), the client then gone.
    {
      weight: 2,
      arbitrary: fc.tuple(fc.nat(), fc.boolean()).map(([at, badSize]) => {
        const whole = Buffer.concat([Buffer.from(badSize ? 'zz\r\n' : `${(bytes.length + 10).toString(16)}\r\n`), bytes]);
        return { headers: ['Transfer-Encoding: chunked'], body: whole.subarray(0, at % (whole.length + 1)), cut: true };
      }),
    },
    // Content-Length promises more than comes, the client then gone.
    { weight: 1, arbitrary: fc.constant({ headers: [`Content-Length: ${bytes.length + 100}`], body: bytes, cut: true }) },
  );
}

const extraHeader: fc.Arbitrary<readonly string[]> = fc.oneof(
  { weight: 6, arbitrary: fc.constant([]) },
  { weight: 1, arbitrary: fc.constant(['Content-Type: application/json', 'Content-Type: text/plain']) },
  { weight: 1, arbitrary: fc.constantFrom('application/json', 'text/plain', 'application/x-tar', 'application/json; charset=latin1', '').map((t) => [`Content-Type: ${t}`]) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 400 }).map((kb) => [`X-Registry-Auth: ${'A'.repeat(kb * 1024)}`]) },
  { weight: 1, arbitrary: fc.constant([`X-Big: ${'b'.repeat(1100 * 1024)}`]) },
  { weight: 1, arbitrary: fc.constantFrom('e30=', 'bm90IGpzb24=', 'W10=', 'eyJ1c2VybmFtZSI6MX0=', '%%%', 'bnVsbA==').map((v) => [`X-Registry-Auth: ${v}`, `X-Registry-Config: ${v}`]) },
  { weight: 1, arbitrary: fc.constantFrom('100-continue', 'garbage').map((v) => [`Expect: ${v}`]) },
  { weight: 1, arbitrary: fc.constant(['Connection: Upgrade', 'Upgrade: tcp']) },
  { weight: 1, arbitrary: fc.constant(['Bad Header Line']) },
  { weight: 1, arbitrary: fc.constant(['X-Nul: a\u0000b']) },
  { weight: 1, arbitrary: fc.constant(['Host: a', 'Host: b']) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 30 }).map((v) => [`X-Junk: ${v.replace(/[\r\n]/g, '')}`]) },
);

/** Whole requests: a real endpoint's body mutated, or a target/method/header fuzz with any body. */
export function fuzzRequest(templates: readonly BodyTemplate[], targets: readonly string[]): fc.Arbitrary<FuzzRequest> {
  const withBody = fc.constantFrom(...templates).chain((template) =>
    fc.record({ method: fc.constant(template.method), target: fc.constant(template.path), body: bodyText(template) }));
  const anything = fc.record({ method: methodArb, target: requestTarget(targets), body: fc.oneof(fc.constant(''), fc.constantFrom(...templates).chain(bodyText)) });
  return fc
    .oneof({ weight: 3, arbitrary: withBody }, { weight: 2, arbitrary: anything })
    .chain(({ method, target, body }) => fc.record({ method: fc.constant(method), target: fc.constant(target), framing: framing(body), extra: extraHeader, host: fc.boolean() }))
    .map(({ method, target, framing: f, extra, host }) => {
      const head = [`${method} ${target} HTTP/1.1`, ...(host || extra.some((h) => h.startsWith('Host:')) ? [] : ['Host: docker']), ...extra, ...f.headers];
      if (!extra.some((h) => h.startsWith('Content-Type'))) head.push('Content-Type: application/json');
      const bytes = Buffer.concat([Buffer.from(`${head.join('\r\n')}\r\n\r\n`, 'latin1'), f.body]);
      const label = `${method} ${target.slice(0, 120)} [${[...extra.map((h) => h.slice(0, 40)), ...f.headers].join('; ')}] body ${JSON.stringify(f.body.subarray(0, 200).toString('latin1'))}`;
      // fast-check prints this in a counterexample instead of the bytes.
      return { bytes, method, target, cut: f.cut, label, [fc.toStringMethod]: () => label };
    });
}
