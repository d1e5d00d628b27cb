// Engine endpoints as users write them (DOCKER_HOST syntax) → dockerode connection options.
// Only the two transports berthd and dockerd serve without extra setup: a Unix socket and plain
// TCP. Anything else is refused with a message that shows the accepted forms.
import Dockerode from 'dockerode';
import { badRequest } from './backend-error.ts';

export const DEFAULT_ENDPOINT = 'unix:///run/berth/docker.sock';

/** PEM text (not paths) of a TLS client: what a docker context's TLS folder or DOCKER_CERT_PATH holds. */
export interface TlsMaterial {
  ca?: string;
  cert?: string;
  key?: string;
  /** false = encrypt but do not check the server's certificate (the CLI's --tls without --tlsverify). */
  verify: boolean;
}

export type EndpointTarget =
  | { kind: 'unix'; socketPath: string }
  | { kind: 'tcp'; host: string; port: number; tls?: TlsMaterial }
  | { kind: 'ssh'; user?: string; host: string; port?: number };

/** A tcp:// target spoken over TLS with the given material; other kinds ignore TLS. */
export function withTls(target: EndpointTarget, tls: TlsMaterial | undefined): EndpointTarget {
  return target.kind === 'tcp' && tls ? { ...target, tls } : target;
}

const FORMS = 'use unix:///absolute/path/to/docker.sock or tcp://host:port';

export function parseEndpoint(value: unknown): EndpointTarget {
  if (typeof value !== 'string' || value.trim() === '') throw badRequest(`engine endpoint must be a non-empty string: ${FORMS}`);
  const url = value.trim();
  if (url.startsWith('unix://')) {
    const socketPath = url.slice('unix://'.length);
    if (!socketPath.startsWith('/')) throw badRequest(`engine endpoint "${url}" needs an absolute socket path: ${FORMS}`);
    if (socketPath.includes('\0')) throw badRequest(`engine endpoint "${url}" contains a NUL byte`);
    return { kind: 'unix', socketPath };
  }
  if (url.startsWith('tcp://')) {
    let parsed: URL;
    try {
      parsed = new URL(`http://${url.slice('tcp://'.length)}`);
    } catch {
      throw badRequest(`engine endpoint "${url}" is not a valid address: ${FORMS}`);
    }
    const port = Number(parsed.port);
    if (!parsed.hostname || !parsed.port || !Number.isInteger(port) || port < 1 || port > 65535) {
      throw badRequest(`engine endpoint "${url}" needs a host and a port from 1 to 65535: ${FORMS}`);
    }
    if ((parsed.pathname !== '/' && parsed.pathname !== '') || parsed.search || parsed.hash || parsed.username) {
      throw badRequest(`engine endpoint "${url}" must be just tcp://host:port: ${FORMS}`);
    }
    // URL keeps IPv6 literals bracketed; http.request wants them bare.
    const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1');
    return { kind: 'tcp', host, port };
  }
  throw badRequest(`engine endpoint "${url}" is not supported: ${FORMS}`);
}

/** The canonical spelling of an endpoint (what is stored, shown and compared). */
export function endpointUrl(target: EndpointTarget): string {
  if (target.kind === 'unix') return `unix://${target.socketPath}`;
  if (target.kind === 'ssh') return `ssh://${target.user ? `${target.user}@` : ''}${target.host}${target.port ? `:${target.port}` : ''}`;
  return `tcp://${target.host.includes(':') ? `[${target.host}]` : target.host}:${target.port}`;
}

export function dockerFor(target: EndpointTarget): Dockerode {
  // No `version`: unversioned paths get the engine's default API version (compat notes, Versions).
  if (target.kind === 'unix') return new Dockerode({ socketPath: target.socketPath });
  if (target.kind === 'ssh') throw badRequest(`ssh:// engines are not supported yet`);
  if (!target.tls) return new Dockerode({ host: target.host, port: target.port, protocol: 'http' });
  const { ca, cert, key, verify } = target.tls;
  return new Dockerode({ host: target.host, port: target.port, protocol: 'https', ca, cert, key, ...(verify ? {} : { rejectUnauthorized: false }) } as Dockerode.DockerOptions);
}
