// The request target of a dashboard request, read without throwing. A browser sends only the
// origin form ("/path?query") with one leading slash; anything else ("//a:99999/rpc", which
// `new URL()` reads as a host and port and throws on, "http://…", "*", a bad %-escape) comes from
// something that is not our page and gets a 400 before any other check looks at it.

export interface DashboardTarget {
  pathname: string;
  searchParams: URLSearchParams;
}

const BAD_ESCAPE = /%(?![0-9a-fA-F]{2})/;

export function parseDashboardTarget(raw: string | undefined): DashboardTarget | undefined {
  if (raw === undefined || !raw.startsWith('/') || raw.startsWith('//')) return undefined;
  const hash = raw.indexOf('#');
  const target = hash < 0 ? raw : raw.slice(0, hash);
  const mark = target.indexOf('?');
  const pathname = mark < 0 ? target : target.slice(0, mark);
  if (BAD_ESCAPE.test(pathname)) return undefined;
  return { pathname, searchParams: new URLSearchParams(mark < 0 ? '' : target.slice(mark + 1)) };
}
