// buildSpec: a container record → the OCI runtime config.json object runc 1.1 runs, with the
// defaults `docker run` gives (moby daemon/oci_linux.go createSpec and oci.DefaultLinuxSpec).
import { invalid } from '../../../core/errors.ts';
import type { ContainerRecord } from '../../../core/container-types.ts';
import { capabilitySets } from './capabilities.ts';
import { containerSecurity } from './container-security.ts';
import { defaultDeviceRules, listHostDevices, mappedDevices, privilegedDeviceRules } from './devices.ts';
import { probeHost } from './host.ts';
import { assembleMounts, defaultMounts, INIT_PATH_IN_CONTAINER, initMount, tmpfsMounts } from './mounts.ts';
import { containerEnv, processRlimits } from './process-env.ts';
import { cpuResources, memoryResources, pidsResources } from './resources.ts';
import { defaultSeccomp, seccompFromDockerProfile } from './seccomp.ts';
import { DEFAULT_READONLY_PATHS, maskedPaths } from './system-paths.ts';
import type { HostFacts, OciDevice, OciMount, OciNamespace, OciSpec, ResolvedUser } from './types.ts';

/** The runtime-spec version runc 1.1 implements. */
export const OCI_VERSION = '1.0.2';

export interface BuildSpecInput {
  record: ContainerRecord;
  /** Host path of the container's root filesystem (the overlay mount). */
  rootfs: string;
  /** The image config's Env, under Config.Env (Docker merges it at create). */
  imageEnv?: readonly string[] | null;
  /** Config.User resolved with resolveUser(). */
  user: ResolvedUser;
  /** linux.cgroupsPath, e.g. "/berth/<id>" for runc's cgroupfs driver (v1 and v2). */
  cgroupsPath: string;
  hostname: string;
  /** Bind mounts the caller prepared: /etc/hosts, /etc/resolv.conf, /etc/hostname, volumes… */
  extraMounts?: OciMount[];
  /** Host path of the init for HostConfig.Init (Debian tini: /usr/bin/tini-static). */
  initPath?: string;
  /** Final argv; defaults to [record.Path, ...record.Args] (Entrypoint + Cmd, resolved at create). */
  args?: readonly string[];
  /** Join this network namespace (e.g. one netavark set up) instead of creating an empty one. */
  netnsPath?: string;
  /** For `--pid container:<id>`: that container's PID namespace (/proc/<pid>/ns/pid). */
  pidnsPath?: string;
  /** Host facts; probed from this machine when absent. */
  host?: HostFacts;
  /** Devices a privileged container gets; listed from the host's /dev when absent. */
  hostDevices?: OciDevice[];
}

function namespaces(input: BuildSpecInput, host: HostFacts): OciNamespace[] {
  const mode = input.record.HostConfig.NetworkMode || 'default';
  const out: OciNamespace[] = [{ type: 'mount' }];
  // --network host shares the host's stack: no network namespace at all. Every other mode gets
  // its own (empty for "none"; the network driver fills the one at netnsPath).
  if (mode !== 'host') {
    if (mode.startsWith('container:') && !input.netnsPath) throw invalid(`network mode ${mode} needs the other container's network namespace`);
    out.push(input.netnsPath ? { type: 'network', path: input.netnsPath } : { type: 'network' });
  }
  // --uts host and --pid host share the host's; --pid container:<id> joins that container's.
  const hc = input.record.HostConfig;
  if (hc.UTSMode !== 'host') out.push({ type: 'uts' });
  const pid = hc.PidMode ?? '';
  if (pid.startsWith('container:')) {
    if (!input.pidnsPath) throw invalid(`pid mode ${pid} needs the other container's PID namespace`);
    out.push({ type: 'pid', path: input.pidnsPath });
  } else if (pid !== 'host') {
    out.push({ type: 'pid' });
  }
  out.push({ type: 'ipc' });
  // Docker 20.10+ defaults to a private cgroup namespace on cgroup v2 hosts only (on v1 it would
  // hide the per-controller paths older tools expect).
  if (host.cgroupV2) out.push({ type: 'cgroup' });
  return out;
}

function sysctls(input: BuildSpecInput, host: HostFacts, privateNet: boolean): Record<string, string> {
  const out: Record<string, string> = {};
  // Docker 20.10+: ping without CAP_NET_RAW and binding ports < 1024 without
  // CAP_NET_BIND_SERVICE, inside a namespace of the container's own only.
  if (privateNet) {
    if (host.netSysctls.includes('net.ipv4.ping_group_range')) out['net.ipv4.ping_group_range'] = '0 2147483647';
    if (host.netSysctls.includes('net.ipv4.ip_unprivileged_port_start')) out['net.ipv4.ip_unprivileged_port_start'] = '0';
  }
  for (const [k, v] of Object.entries(input.record.HostConfig.Sysctls ?? {})) {
    if (!privateNet && k.startsWith('net.')) throw invalid(`sysctl "${k}" is not allowed in host network namespace`);
    out[k] = v;
  }
  return out;
}

export function buildSpec(input: BuildSpecInput): OciSpec {
  const { record } = input;
  const hc = record.HostConfig;
  const cfg = record.Config;
  const host = input.host ?? probeHost();
  const security = containerSecurity(record, host);
  const opts = security.options;

  let args = [...(input.args ?? [record.Path, ...(record.Args ?? [])])];
  if (!args[0]) throw invalid('no command specified');
  const user: OciMount[] = [...(input.extraMounts ?? []), ...tmpfsMounts(hc.Tmpfs)];
  const defaults = defaultMounts(hc.ShmSize ?? 0);
  if (hc.Init) {
    if (!input.initPath) throw invalid('--init was requested but no init binary (tini) is available to berthd');
    // tini as PID 1 reaps zombies and forwards signals; "--" ends tini's own options.
    args = [INIT_PATH_IN_CONTAINER, '--', ...args];
    defaults.push(initMount(input.initPath));
  }
  const cwd = cfg.WorkingDir || '/';
  if (!cwd.startsWith('/')) throw invalid(`the working directory '${cwd}' is invalid, it needs to be an absolute path`);

  const ns = namespaces(input, host);
  const privateNet = ns.some((n) => n.type === 'network');
  const mapped = mappedDevices(hc.Devices);
  const devices = hc.Privileged ? [...(input.hostDevices ?? listHostDevices()), ...mapped.devices] : mapped.devices;
  const deviceRules = hc.Privileged ? privilegedDeviceRules() : [...defaultDeviceRules(), ...mapped.rules];

  const spec: OciSpec = {
    ociVersion: OCI_VERSION,
    process: {
      terminal: cfg.Tty,
      user: { uid: input.user.uid, gid: input.user.gid, additionalGids: [...input.user.additionalGids] },
      args,
      env: containerEnv({ hostname: input.hostname, tty: cfg.Tty, imageEnv: input.imageEnv, env: cfg.Env }),
      cwd,
      capabilities: capabilitySets(security.capabilities),
      rlimits: processRlimits(hc.Ulimits, host),
      // Docker leaves no_new_privs off unless asked: setuid binaries (sudo, ping) keep working.
      noNewPrivileges: opts.noNewPrivileges,
      oomScoreAdj: hc.OomScoreAdj ?? 0,
    },
    root: { path: input.rootfs, readonly: !!hc.ReadonlyRootfs },
    // runc cannot set a hostname without a UTS namespace of the container's own (dockerd clears it).
    ...(hc.UTSMode === 'host' ? {} : { hostname: input.hostname }),
    mounts: assembleMounts({
      defaults,
      user,
      readonlyRootfs: !!hc.ReadonlyRootfs,
      privileged: hc.Privileged,
      writableCgroups: opts.writableCgroups ?? hc.Privileged,
    }),
    linux: {
      namespaces: ns,
      devices,
      resources: {
        devices: deviceRules,
        memory: memoryResources(hc, host),
        cpu: cpuResources(hc),
        pids: pidsResources(hc),
      },
      cgroupsPath: input.cgroupsPath,
      sysctl: sysctls(input, host, privateNet),
    },
  };
  const [height, width] = hc.ConsoleSize ?? [0, 0];
  if (cfg.Tty && height > 0 && width > 0) spec.process.consoleSize = { height, width };
  if (opts.apparmorProfile && opts.apparmorProfile !== 'unconfined') spec.process.apparmorProfile = opts.apparmorProfile;
  if (cfg.Domainname) spec.domainname = cfg.Domainname;
  for (const key of ['memory', 'cpu', 'pids'] as const) {
    if (spec.linux.resources[key] === undefined) delete spec.linux.resources[key];
  }

  // Privileged drops every confinement: no seccomp (unless a profile was given explicitly), no
  // masked or read-only /proc and /sys paths.
  if (opts.seccomp !== 'unconfined' && !(hc.Privileged && opts.seccomp === 'default')) {
    const seccomp = opts.seccomp === 'default'
      ? defaultSeccomp(security.capabilities, host)
      : seccompFromDockerProfile(opts.seccomp.profile, security.capabilities, host);
    if (seccomp) spec.linux.seccomp = seccomp;
  }
  if (!hc.Privileged && !opts.unmaskSystemPaths) {
    spec.linux.maskedPaths = maskedPaths(host.thermalThrottlePaths);
    spec.linux.readonlyPaths = [...DEFAULT_READONLY_PATHS];
  }
  return spec;
}
