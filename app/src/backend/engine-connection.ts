// Engine endpoints as users write them (DOCKER_HOST syntax) → dockerode connection options:
// a Unix socket, TCP (plain or TLS with CA/cert/key), and ssh://[user@]host[:port] through the
// system ssh running `docker system dial-stdio` (remote/ssh-dial.ts). Anything else is refused
// with a message that shows the accepted forms.
import Dockerode from 'dockerode';
import { badRequest } from './backend-error.ts';
import { sshAgent, type SshDialOptions } from './remote/ssh-dial.ts';

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

const FORMS = 'use unix:///absolute/path/to/docker.sock, tcp://host:port or ssh://[user@]host[:port]';

/** How to dial beyond the endpoint URL: TLS material for tcp:// (DOCKER_CERT_PATH, a context's
 * TLS folder), and ssh options (an ssh_config of its own, another ssh binary). */
export interface DialOptions {
  tls?: TlsMaterial;
  ssh?: SshDialOptions;
}

function parseSsh(url: string): EndpointTarget {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw badRequest(`engine endpoint "${url}" is not a valid address: ${FORMS}`);
  }
  if ((parsed.pathname !== '/' && parsed.pathname !== '') || parsed.search || parsed.hash) {
    throw badRequest(`engine endpoint "${url}" must be just ssh://[user@]host[:port]: ${FORMS}`);
  }
  // The docker CLI refuses a password in the URL (connhelper/ssh): ssh asks for it, or a key is used.
  if (parsed.password) throw badRequest(`engine endpoint "${url}": a password in an ssh:// URL is not supported; use a key or ssh-agent`);
  const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1');
  // ssh would read a host starting with '-' as an option (the CLI rejects it too).
  if (!host || host.startsWith('-')) throw badRequest(`engine endpoint "${url}" needs a host: ${FORMS}`);
  // A name, an IPv4 or an IPv6 address. ssh hands the host (%h) and user (%r) to a shell in
  // ProxyCommand and Match exec; OpenSSH only refuses shell characters in them since 9.6 (and
  // distributions' patched builds), so an older ssh would run `ssh://a;cmd` as a command.
  if (!/^[A-Za-z0-9._:-]+$/.test(host)) throw badRequest(`engine endpoint "${url}": the host may hold only letters, digits and . - : (a name or an IP address)`);
  let user: string;
  try {
    user = decodeURIComponent(parsed.username);
  } catch {
    throw badRequest(`engine endpoint "${url}": the user name is not valid percent-encoding`);
  }
  if (user.startsWith('-') || /[\s'`"$\\;&<>|(){},\x00-\x1f\x7f]/.test(user)) throw badRequest(`engine endpoint "${url}": invalid user name (no spaces, quotes or shell characters, and not starting with -)`);
  const port = parsed.port ? Number(parsed.port) : undefined;
  return { kind: 'ssh', host, ...(user ? { user } : {}), ...(port ? { port } : {}) };
}

/** `tls` makes a tcp:// endpoint a TLS one (withTls); it is ignored for other kinds. */
export function parseEndpoint(value: unknown, tls?: TlsMaterial): EndpointTarget {
  if (tls) return withTls(parseEndpoint(value), tls);
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
  if (url.startsWith('ssh://')) return parseSsh(url);
  throw badRequest(`engine endpoint "${url}" is not supported: ${FORMS}`);
}

/** The canonical spelling of an endpoint (what is stored, shown and compared). */
export function endpointUrl(target: EndpointTarget): string {
  if (target.kind === 'unix') return `unix://${target.socketPath}`;
  if (target.kind === 'ssh') return `ssh://${target.user ? `${target.user}@` : ''}${target.host}${target.port ? `:${target.port}` : ''}`;
  return `tcp://${target.host.includes(':') ? `[${target.host}]` : target.host}:${target.port}`;
}

/** The endpoint a Dockerode was made for, as error messages show it (engine-request.ts). */
export const ENDPOINT_OF = Symbol('berth.endpoint');

export function dockerFor(target: EndpointTarget, dial: DialOptions = {}): Dockerode {
  const withEndpoint = (docker: Dockerode) => Object.assign(docker, { [ENDPOINT_OF]: endpointUrl(target) });
  // No `version`: unversioned paths get the engine's default API version (compat notes, Versions).
  if (target.kind === 'unix') return withEndpoint(new Dockerode({ socketPath: target.socketPath }));
  if (target.kind === 'ssh') {
    // docker-modem builds an http:// URL from host and port; the agent's connections ignore it
    // and go through ssh. (docker-modem's own ssh:// uses the ssh2 library, which knows neither
    // the user's ssh_config nor every agent: the CLI's way is the ssh binary.)
    return withEndpoint(new Dockerode({ host: target.host, port: target.port ?? 22, protocol: 'http', agent: sshAgent(target, dial.ssh) } as Dockerode.DockerOptions));
  }
  const tls = target.tls ?? dial.tls;
  if (!tls) return withEndpoint(new Dockerode({ host: target.host, port: target.port, protocol: 'http' }));
  const { ca, cert, key, verify } = tls;
  return withEndpoint(new Dockerode({ host: target.host, port: target.port, protocol: 'https', ca, cert, key, ...(verify ? {} : { rejectUnauthorized: false }) } as Dockerode.DockerOptions));
}

/** Destroys a Dockerode's own http Agent, if it has one (ssh:// engines): its idle kept-alive
 * connections, each an ssh process, end now instead of at their idle timeout. */
export function closeConnections(docker: Dockerode): void {
  const agent = (docker as unknown as { modem: { agent?: { destroy?: () => void } } }).modem.agent;
  agent?.destroy?.();
}
