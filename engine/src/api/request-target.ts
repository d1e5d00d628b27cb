// The request target (RFC 9112 §3.2) as dockerd reads it, without ever throwing: Go's net/http
// parses it with url.ParseRequestURI (a bad %-escape is a 400 before any handler runs), and
// gorilla/mux then answers 301 to the cleaned path when the path is not clean ("//a", "/x/../y"),
// which is how dockerd answers `curl --path-as-is 'http://x//a:99999/_ping'`.
// `new URL()` would read "//a:99999/_ping" as a host and port, and throw on "//[".

export type RequestTarget =
  | { kind: 'route'; path: string; query: URLSearchParams }
  | { kind: 'redirect'; location: string }
  | { kind: 'invalid'; message: string };

const ABSOLUTE_FORM = /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\/[^/?#]*/;
const BAD_ESCAPE = /%(?![0-9a-fA-F]{2})/;

/** Go's path.Clean plus gorilla/mux's cleanPath: a trailing slash survives. */
export function cleanPath(path: string): string {
  if (path === '') return '/';
  const rooted = path.startsWith('/') ? path : `/${path}`;
  const segments: string[] = [];
  for (const segment of rooted.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(segment);
  }
  const clean = `/${segments.join('/')}`;
  return rooted.endsWith('/') && clean !== '/' ? `${clean}/` : clean;
}

/** A Location header value: %-escapes what may not appear raw in a URL (and what Node refuses
 * in a header); Node hands request targets over as latin1, so every char code is one byte. */
function escapeForLocation(text: string): string {
  let out = '';
  for (const ch of text) {
    const code = ch.charCodeAt(0);
    if (code > 0x20 && code < 0x7f && !'"<>\\^`{|}[]#*'.includes(ch)) out += ch;
    else out += `%${(code & 0xff).toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

export function parseRequestTarget(raw: string): RequestTarget {
  let rest = raw;
  if (!rest.startsWith('/')) {
    const absolute = ABSOLUTE_FORM.exec(rest);
    if (absolute) rest = rest.slice(absolute[0].length);
    // "OPTIONS *": Go keeps "*" as the path, which gorilla/mux cleans to "/*".
    else if (rest !== '*') return { kind: 'invalid', message: `invalid request target ${JSON.stringify(raw.slice(0, 200))}` };
  }
  const hash = rest.indexOf('#');
  if (hash >= 0) rest = rest.slice(0, hash);
  const mark = rest.indexOf('?');
  const path = mark < 0 ? rest : rest.slice(0, mark);
  const query = mark < 0 ? '' : rest.slice(mark + 1);
  if (BAD_ESCAPE.test(path)) return { kind: 'invalid', message: `invalid URL escape in request path ${JSON.stringify(path.slice(0, 200))}` };
  const clean = cleanPath(path);
  if (clean !== path) return { kind: 'redirect', location: escapeForLocation(clean) + (query ? `?${escapeForLocation(query)}` : '') };
  return { kind: 'route', path, query: new URLSearchParams(query) };
}
