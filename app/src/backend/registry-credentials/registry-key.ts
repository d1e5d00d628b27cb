// Which key of the docker CLI's credential stores belongs to a registry, as the CLI computes it:
// - for an image reference, the reference's domain (distribution's grammar: the first path
//   component is a domain when it holds '.' or ':', is "localhost", or has capitals; otherwise the
//   image is on Docker Hub), with Docker Hub ("docker.io", "index.docker.io") keyed by its
//   historic index address https://index.docker.io/v1/;
// - for `docker login SERVER`, SERVER reduced to host[:port] (a scheme and path are dropped),
//   and Docker Hub again under https://index.docker.io/v1/.
import { badRequest } from '../backend-error.ts';

export const DOCKER_HUB_KEY = 'https://index.docker.io/v1/';

const HUB_DOMAINS = new Set(['docker.io', 'index.docker.io']);
/** Names a user may type for Docker Hub in the sign-in dialog. The CLI keys only "docker.io" (and
 * no argument) as Hub; a login stored under the other names would never be read by a pull, so
 * they are keyed where pulls look. */
const HUB_LOGIN_NAMES = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io', 'registry.hub.docker.com', 'hub.docker.com']);

/** The CLI's ConvertToHostname: "https://host:5000/v2/" → "host:5000"; "host/path" → "host". */
export function convertToHostname(address: string): string {
  if (address.includes('://')) {
    try {
      const url = new URL(address);
      if (url.hostname) return url.port ? `${url.hostname}:${url.port}` : url.hostname;
    } catch {
      // Not a URL after all: fall through to the plain cut.
    }
  }
  const slash = address.indexOf('/');
  return slash === -1 ? address : address.slice(0, slash);
}

/** The domain of an image reference ("busybox" → "docker.io", "127.0.0.1:5000/app:1" → "127.0.0.1:5000"). */
export function referenceDomain(reference: string): string {
  const slash = reference.indexOf('/');
  if (slash === -1) return 'docker.io';
  const first = reference.slice(0, slash);
  const isDomain = /[.:]/.test(first) || first === 'localhost' || first.toLowerCase() !== first;
  if (!isDomain) return 'docker.io';
  return first === 'index.docker.io' ? 'docker.io' : first;
}

/** The credential-store key a pull or push of `reference` reads. */
export function keyForReference(reference: string): string {
  const domain = referenceDomain(reference);
  return HUB_DOMAINS.has(domain) ? DOCKER_HUB_KEY : domain;
}

const HOST_PORT = /^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*|\[[0-9a-fA-F:.]+\])(?::\d{1,5})?$/;

/** The key a sign-in to `serverAddress` is stored under (empty: Docker Hub); 400 when it is no registry address. */
export function keyForLogin(serverAddress: unknown): string {
  if (serverAddress !== undefined && serverAddress !== null && typeof serverAddress !== 'string') {
    throw badRequest('registry must be a string: host[:port], e.g. registry.example.com or 127.0.0.1:5000 (empty for Docker Hub)');
  }
  const given = (serverAddress ?? '').trim();
  if (given === '' || given === DOCKER_HUB_KEY) return DOCKER_HUB_KEY;
  const host = convertToHostname(given);
  if (HUB_LOGIN_NAMES.has(host.toLowerCase())) return DOCKER_HUB_KEY;
  const port = /:(\d+)$/.exec(host)?.[1];
  if (!HOST_PORT.test(host) || (port !== undefined && (Number(port) < 1 || Number(port) > 65535))) {
    throw badRequest(`"${given}" is not a registry address: give host[:port], e.g. registry.example.com or 127.0.0.1:5000 (empty for Docker Hub)`);
  }
  return host;
}

/** The keys `docker logout SERVER` erases: the given form, its host[:port], and both URL forms of it. */
export function keysForLogout(serverAddress: unknown): string[] {
  const key = keyForLogin(serverAddress);
  if (key === DOCKER_HUB_KEY) return [key];
  const given = typeof serverAddress === 'string' ? serverAddress.trim() : key;
  return [...new Set([given, key, `http://${key}`, `https://${key}`])];
}
