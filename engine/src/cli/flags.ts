// dockerd-style flags for berthd (DESIGN.md "Engine flags mirror dockerd"), parsed with Node's
// own util.parseArgs: it handles --flag=value, repeated flags and short aliases.
import { parseArgs } from 'node:util';
import { invalid } from '../core/errors.ts';
import { parseTcpHost, serverTls } from './tcp-flags.ts';

export interface EngineFlags {
  dataRoot: string;
  execRoot: string;
  /** Unix socket paths to serve the API on. */
  sockets: string[];
  /** tcp:// addresses to serve the API on (TLS when `tls` is set). */
  tcpHosts: TcpHost[];
  /** Server TLS for every tcp:// host (--tls / --tlsverify), file paths as given. */
  tls: ServerTlsFlags | undefined;
  /** Lines to log at start-up (plain or unauthenticated TCP), dockerd's warnings as the model. */
  warnings: string[];
  pidfile: string;
  /** The default bridge's address and prefix (dockerd --bip), e.g. 10.47.0.1/16. */
  bip: string;
  bridge: string;
  /** dockerd --default-address-pool values (base=CIDR,size=N) for user networks without --subnet. */
  defaultAddressPools: string[];
  insecureRegistries: string[];
  registryMirrors: string[];
  logLevel: 'debug' | 'info' | 'warn' | 'error' | 'fatal';
  cgroupParent: string;
  runtimePath: string;
  conmonPath: string;
  /** In the Berth VM: host folders shared into the guest at the same path; binds elsewhere are
   * refused. Undefined when the flag is absent (a native engine: no check); `--vm-shared-path=`
   * alone means "in the VM, nothing shared". */
  vmSharedPaths: string[] | undefined;
}

export interface TcpHost {
  host: string;
  port: number;
  /** As shown in logs: tcp://host:port. */
  url: string;
}

export interface ServerTlsFlags {
  /** CA that client certificates must chain to; required with --tlsverify. */
  caFile: string | undefined;
  certFile: string;
  keyFile: string;
  /** --tlsverify: mutual TLS, a client without a certificate from the CA fails the handshake. */
  verify: boolean;
}

export const USAGE = `Usage: berthd [OPTIONS]

A container engine serving the Docker Engine API.

Options:
      --data-root string          Root directory of persistent state (default "/var/lib/berth")
      --exec-root string          Root directory for execution state (default "/run/berth")
  -H, --host list                 Socket(s) to listen on, unix://PATH or tcp://ADDR:PORT, repeatable
                                  (default unix:///run/berth/docker.sock)
      --tls                       Use TLS on tcp:// hosts; implied by --tlsverify (--tls=false: plain
                                  TCP on purpose, allowed on non-loopback addresses)
      --tlsverify                 Use TLS and require a client certificate signed by --tlscacert
      --tlscacert string          Trust certs signed only by this CA (default "$DOCKER_CERT_PATH/ca.pem")
      --tlscert string            Path to TLS certificate file (default "$DOCKER_CERT_PATH/cert.pem")
      --tlskey string             Path to TLS key file (default "$DOCKER_CERT_PATH/key.pem")
  -p, --pidfile string            Path to use for the daemon PID file (default "/run/berth.pid")
      --bip string                Default bridge address and prefix (default "10.47.0.1/16")
  -b, --bridge string             Bridge interface name (default "berth0")
      --default-address-pool list Pools for user networks, base=CIDR,size=N (default base=10.48.0.0/12,size=24)
      --insecure-registry list    Registries reached over plain HTTP
      --registry-mirror list      Preferred registry mirrors
  -l, --log-level string          debug, info, warn, error, fatal (default "info")
      --cgroup-parent string      Parent cgroup for containers (default "berth")
      --runtime string            OCI runtime binary (default "runc")
      --vm-shared-path list       In the Berth VM: a host folder shared at the same path; binds
                                  from anywhere else are refused (absent: no check; "" alone:
                                  nothing is shared)
  -h, --help                      Print usage
`;

/** Go's bool flags take `--tls=false`; util.parseArgs spells that `--no-tls`. */
function goBoolFlags(argv: string[]): string[] {
  return argv.map((arg) => {
    const m = /^--(tls|tlsverify)=(.*)$/.exec(arg);
    if (!m) return arg;
    if (['true', '1', 't', 'TRUE', 'True'].includes(m[2])) return `--${m[1]}`;
    if (['false', '0', 'f', 'FALSE', 'False'].includes(m[2])) return `--no-${m[1]}`;
    throw invalid(`invalid boolean value "${m[2]}" for --${m[1]}`);
  });
}

export function parseFlags(argv: string[], env: NodeJS.ProcessEnv = process.env): EngineFlags | 'help' {
  let parsed;
  try {
    parsed = parseArgs({
      args: goBoolFlags(argv),
      allowPositionals: false,
      allowNegative: true,
      options: {
        'data-root': { type: 'string', default: '/var/lib/berth' },
        'exec-root': { type: 'string', default: '/run/berth' },
        host: { type: 'string', short: 'H', multiple: true },
        pidfile: { type: 'string', short: 'p' },
        // Not dockerd's 172.17.0.0/16, so berthd and dockerd can run side by side.
        bip: { type: 'string', default: '10.47.0.1/16' },
        'default-address-pool': { type: 'string', multiple: true, default: ['base=10.48.0.0/12,size=24'] },
        bridge: { type: 'string', short: 'b', default: 'berth0' },
        'insecure-registry': { type: 'string', multiple: true, default: [] },
        'registry-mirror': { type: 'string', multiple: true, default: [] },
        'log-level': { type: 'string', short: 'l', default: 'info' },
        'cgroup-parent': { type: 'string', default: env.BERTH_CGROUP_PARENT || 'berth' },
        runtime: { type: 'string', default: 'runc' },
        conmon: { type: 'string', default: 'conmon' },
        'vm-shared-path': { type: 'string', multiple: true },
        tls: { type: 'boolean' },
        tlsverify: { type: 'boolean' },
        tlscacert: { type: 'string' },
        tlscert: { type: 'string' },
        tlskey: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    throw invalid((error as Error).message);
  }
  const v = parsed.values;
  if (v.help) return 'help';
  const hosts = v.host?.length ? v.host : [`unix://${v['exec-root']}/docker.sock`];
  const sockets: string[] = [];
  const tcpHosts: TcpHost[] = [];
  for (const host of hosts) {
    if (host.startsWith('unix://')) sockets.push(host.slice('unix://'.length));
    else if (host.startsWith('/')) sockets.push(host);
    else if (host.startsWith('tcp://')) tcpHosts.push(parseTcpHost(host, v.tls === true || v.tlsverify === true));
    else throw invalid(`unsupported host ${host}: berthd listens on unix://PATH and tcp://ADDR:PORT`);
  }
  const { tls, warnings } = serverTls(v, tcpHosts, env);
  const logLevel = v['log-level'];
  if (!['debug', 'info', 'warn', 'error', 'fatal'].includes(logLevel)) throw invalid(`invalid log level: ${logLevel}`);
  return {
    dataRoot: v['data-root'],
    execRoot: v['exec-root'],
    sockets,
    tcpHosts,
    tls,
    warnings,
    pidfile: v.pidfile ?? `${v['exec-root']}/berthd.pid`,
    bip: v.bip,
    bridge: v.bridge,
    defaultAddressPools: v['default-address-pool'],
    insecureRegistries: v['insecure-registry'],
    registryMirrors: v['registry-mirror'],
    logLevel: logLevel as EngineFlags['logLevel'],
    cgroupParent: v['cgroup-parent'],
    runtimePath: v.runtime,
    conmonPath: v.conmon,
    vmSharedPaths: v['vm-shared-path']?.filter((path) => path !== '').map((path) => {
      if (!path.startsWith('/')) throw invalid(`--vm-shared-path ${path}: the path must be absolute`);
      return path;
    }),
  };
}
