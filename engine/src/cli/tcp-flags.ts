// -H tcp://… and the TLS flags, as dockerd takes them (dockerd --help, "Protect the Docker daemon
// socket"): --tlsverify implies --tls; --tls alone encrypts without asking clients for a
// certificate; the files default to $DOCKER_CERT_PATH (else ~/.docker) /{ca,cert,key}.pem.
// Where dockerd only warns and sleeps, berthd refuses: plain TCP on an address other than
// loopback needs an explicit --tls=false (or --tlsverify=false), dockerd's own opt-out.
import { homedir } from 'node:os';
import { join } from 'node:path';
import { invalid } from '../core/errors.ts';
import type { ServerTlsFlags, TcpHost } from './flags.ts';

/** dockerd's defaults: 2376 with TLS, 2375 without; an empty host is localhost. */
export function parseTcpHost(value: string, tls: boolean): TcpHost {
  const rest = value.slice('tcp://'.length);
  let url: URL;
  try {
    url = new URL(`http://${rest.startsWith(':') ? `127.0.0.1${rest}` : rest || '127.0.0.1'}`);
  } catch {
    throw invalid(`invalid -H ${value}: expected tcp://ADDR:PORT`);
  }
  if ((url.pathname !== '/' && url.pathname !== '') || url.search || url.hash || url.username) {
    throw invalid(`invalid -H ${value}: expected tcp://ADDR:PORT`);
  }
  const port = url.port ? Number(url.port) : tls ? 2376 : 2375;
  // URL keeps IPv6 literals bracketed; listen() wants them bare.
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  return { host, port, url: `tcp://${url.hostname}:${port}` };
}

/** 127.0.0.0/8, ::1 and the name localhost (which dockerd also takes as loopback without a
 * lookup). Other names are not resolved here: they count as not loopback. */
export function isLoopback(host: string): boolean {
  if (host === 'localhost' || host === '::1' || host === '0:0:0:0:0:0:0:1') return true;
  // IPv4-mapped 127/8, as written and as URL normalizes it (::ffff:127.0.0.1 → ::ffff:7f00:1).
  if (/^::ffff:(127\.|7f[0-9a-f]{2}:)/i.test(host)) return true;
  return /^127\.\d+\.\d+\.\d+$/.test(host);
}

interface TlsValues {
  tls?: boolean;
  tlsverify?: boolean;
  tlscacert?: string;
  tlscert?: string;
  tlskey?: string;
}

export function serverTls(v: TlsValues, tcpHosts: TcpHost[], env: NodeJS.ProcessEnv): { tls: ServerTlsFlags | undefined; warnings: string[] } {
  // dockerd: --tlsverify defaults to whether DOCKER_TLS_VERIFY is set. Only when there is a tcp
  // host for it to apply to: that variable is usually the docker CLI's, exported in the shell (or
  // the desktop app) that starts a local, socket-only berthd, which must not fail over it.
  const verify = v.tlsverify ?? (tcpHosts.length > 0 && Boolean(env.DOCKER_TLS_VERIFY));
  const useTls = verify || v.tls === true;
  const givenFiles = (['tlscacert', 'tlscert', 'tlskey'] as const).filter((name) => v[name] !== undefined);
  if (!useTls && givenFiles.length > 0) {
    throw invalid(`--${givenFiles[0]} needs --tlsverify (or --tls): without it tcp:// hosts would be served in plain text`);
  }
  if ((v.tlscert === undefined) !== (v.tlskey === undefined)) {
    throw invalid(v.tlscert === undefined ? '--tlskey needs --tlscert: a private key is served with its certificate' : '--tlscert needs --tlskey: the server cannot prove it owns the certificate without its private key');
  }
  const warnings: string[] = [];
  let tls: ServerTlsFlags | undefined;
  if (useTls) {
    if (tcpHosts.length === 0) throw invalid('--tls and --tlsverify apply to tcp:// hosts: add -H tcp://ADDR:PORT');
    const dir = env.DOCKER_CERT_PATH || join(homedir(), '.docker');
    tls = {
      caFile: v.tlscacert ?? (verify ? join(dir, 'ca.pem') : undefined),
      certFile: v.tlscert ?? join(dir, 'cert.pem'),
      keyFile: v.tlskey ?? join(dir, 'key.pem'),
      verify,
    };
  }
  // dockerd's rule (cmd/dockerd loadListeners): a tcp host without client verification gets a
  // warning; without TLS and without an explicit choice about it (--tls or --tlsverify set
  // either way), one off loopback gets more. berthd turns that second case into a refusal.
  const explicit = v.tls !== undefined || v.tlsverify !== undefined;
  for (const host of tcpHosts) {
    if (verify) continue;
    if (!useTls && !explicit && !isLoopback(host.host)) {
      throw invalid(
        `refusing to serve the API on ${host.url} without TLS: anyone who can reach that address gets root on this machine. ` +
          'Use --tlsverify with --tlscacert, --tlscert and --tlskey, listen on 127.0.0.1, or pass --tls=false to accept the risk',
      );
    }
    warnings.push(`warning: ${host.url} is served without --tlsverify: whoever can connect to it has root access on this machine (host=${host.url})`);
    warnings.push(`warning: any address, loopback included, can also be reached by scripts in a web browser (host=${host.url})`);
  }
  return { tls, warnings };
}
