// Which URLs the app window may load or open (Electron security checklist: "Limit navigation",
// "Limit creation of new windows"). Plain functions over strings so they are unit-tested; the
// window's will-navigate and setWindowOpenHandler hooks only apply the answer.

/** Hosts that mean "this machine": a published port is reachable there (Docker binds 0.0.0.0). */
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

function parse(url: string): URL | undefined {
  try {
    return new URL(url);
  } catch {
    return undefined;
  }
}

/** True when `url` is the app's own page (only the hash differs: the renderer's routes). */
export function isAppPage(url: string, appPageUrl: string): boolean {
  const target = parse(url);
  const page = parse(appPageUrl);
  if (!target || !page) return false;
  target.hash = '';
  page.hash = '';
  return target.href === page.href;
}

/** will-navigate: the window only ever shows the app's page; everything else is refused. */
export function mayNavigate(url: string, appPageUrl: string): boolean {
  return isAppPage(url, appPageUrl);
}

/** The host port an http(s) URL reaches on this machine, when it is a loopback URL. */
export function loopbackPort(url: string): number | undefined {
  const target = parse(url);
  if (!target || (target.protocol !== 'http:' && target.protocol !== 'https:')) return undefined;
  if (target.username || target.password || !LOOPBACK_HOSTS.has(target.hostname)) return undefined;
  if (target.port) return Number(target.port);
  return target.protocol === 'https:' ? 443 : 80;
}

export type WindowOpenDecision = { action: 'deny' } | { action: 'external'; url: string };

/**
 * window.open / target=_blank: never a new Electron window. A link to a port a container
 * publishes (the Containers view's port links) opens in the system browser; anything else is
 * refused, so a page cannot use the app to open arbitrary sites or file:// paths.
 */
export function decideWindowOpen(url: string, publishedPorts: ReadonlySet<number>): WindowOpenDecision {
  const port = loopbackPort(url);
  if (port === undefined || !publishedPorts.has(port)) return { action: 'deny' };
  return { action: 'external', url: new URL(url).href };
}
