// berth:// deep links. One form today: berth://container/<id or name>[/<tab>], which opens that
// container's detail view (the renderer's hash route #/containers/<id>/<tab>, renderer/routes.ts).
// Anything else is refused with a reason: a link comes from outside (a browser, another app).

export const DEEP_LINK_SCHEME = 'berth';

/** The container detail tabs; mirrors CONTAINER_TABS in renderer/routes.ts (a test checks). */
export const DEEP_LINK_TABS = ['logs', 'inspect', 'stats', 'terminal', 'files'] as const;
export type DeepLinkTab = (typeof DEEP_LINK_TABS)[number];

/** A container ID (hex, full or short) or name, as the Docker API accepts ([a-zA-Z0-9][a-zA-Z0-9_.-]+). */
const CONTAINER_REF = /^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,127}$/;

export type DeepLink = { kind: 'container'; id: string; tab: DeepLinkTab; route: string };

export function parseDeepLink(link: string): { ok: true; link: DeepLink } | { ok: false; reason: string } {
  let url: URL;
  try {
    url = new URL(link);
  } catch {
    return { ok: false, reason: `not a URL: ${JSON.stringify(link.slice(0, 200))}` };
  }
  if (url.protocol !== `${DEEP_LINK_SCHEME}:`) return { ok: false, reason: `not a ${DEEP_LINK_SCHEME}:// link` };
  if (url.username || url.password || url.port || url.search || url.hash) {
    return { ok: false, reason: 'berth:// links take no user, port, query or fragment' };
  }
  if (url.hostname !== 'container') return { ok: false, reason: `unknown berth:// link "${url.hostname}"; the form is berth://container/<id>[/<tab>]` };
  const parts = url.pathname.split('/').slice(1);
  if (parts.length > 0 && parts[parts.length - 1] === '') parts.pop(); // a trailing slash
  const [id, tab = 'logs', ...rest] = parts;
  if (!id || rest.length > 0) return { ok: false, reason: 'the form is berth://container/<id>[/<tab>]' };
  if (!CONTAINER_REF.test(id)) return { ok: false, reason: `"${id.slice(0, 130)}" is not a container ID or name` };
  if (!(DEEP_LINK_TABS as readonly string[]).includes(tab)) {
    return { ok: false, reason: `unknown tab "${tab.slice(0, 40)}"; one of ${DEEP_LINK_TABS.join(', ')}` };
  }
  return { ok: true, link: { kind: 'container', id, tab: tab as DeepLinkTab, route: `#/containers/${encodeURIComponent(id)}/${tab}` } };
}

/** The berth:// link among a launch's arguments (a second instance's argv on Linux and Windows). */
export function findDeepLink(argv: readonly string[]): string | undefined {
  return argv.find((arg) => arg.startsWith(`${DEEP_LINK_SCHEME}://`));
}
