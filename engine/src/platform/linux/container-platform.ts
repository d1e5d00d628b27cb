// The Linux side of starting a container that the role interfaces do not cover: the files
// Docker manages inside every container (/etc/hostname, /etc/hosts, /etc/resolv.conf), the OCI
// spec, exec processes, the log location, and `docker top`.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, rmdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { ContainerRecord } from '../../core/container-types.ts';
import { invalid } from '../../core/errors.ts';
import type { ContainerPlatform, ExecProcessInput, NetworkAttachment, StartExtras } from '../../services/containers/context.ts';
import { buildResolvConf } from './resolv-conf.ts';
import { readContainerLog } from './container-log/log-reader.ts';
import { cpuResources, memoryResources, pidsResources } from './oci-spec/resources.ts';
import { buildExecProcess, buildSpec, probeHost, resolveUser } from './oci-spec/index.ts';
import type { HostFacts, OciMount } from './oci-spec/index.ts';
import { DEFAULT_READONLY_PATHS, maskedPaths } from './oci-spec/system-paths.ts';

const run = promisify(execFile);

/** Debian's tini-static, bind-mounted as /sbin/docker-init for `--init` (as Docker does). */
const INIT_CANDIDATES = ['/usr/bin/tini-static', '/usr/bin/docker-init'];

export interface LinuxContainerPlatformOptions {
  /** <data-root>/containers: per-container persistent files (log, hosts…). */
  containersDir: string;
  /** <exec-root>/bundles: per-container OCI bundles, gone after a reboot as they should be. */
  bundlesDir: string;
  cgroupParent: string;
  /** What `--add-host name:host-gateway` resolves to: the default bridge's address (dockerd's
   * --host-gateway-ip default). */
  hostGatewayIp?: string;
}

/** The first lines of every container's /etc/hosts (libnetwork etchosts defaultContent). */
const STANDARD_HOSTS = ['127.0.0.1\tlocalhost', '::1\tlocalhost ip6-localhost ip6-loopback', 'fe00::0\tip6-localnet', 'ff00::0\tip6-mcastprefix',
  'ff02::1\tip6-allnodes', 'ff02::2\tip6-allrouters'];

function bind(source: string, destination: string, readonly = false): OciMount {
  return { destination, type: 'bind', source, options: ['rbind', 'rprivate', ...(readonly ? ['ro'] : [])] };
}

export class LinuxContainerPlatform implements ContainerPlatform {
  readonly #options: LinuxContainerPlatformOptions;
  readonly #host: HostFacts;
  readonly #initPath = INIT_CANDIDATES.find((path) => existsSync(path));

  constructor(options: LinuxContainerPlatformOptions) {
    this.#options = options;
    // Host facts (cgroup version, capabilities, limits) do not change while the engine runs.
    this.#host = probeHost();
  }

  get host(): HostFacts {
    return this.#host;
  }

  /** The /proc and /sys paths an unprivileged container's spec masks or makes read-only. */
  confinedPaths(): { maskedPaths: string[]; readonlyPaths: string[] } {
    return { maskedPaths: maskedPaths(this.#host.thermalThrottlePaths), readonlyPaths: [...DEFAULT_READONLY_PATHS] };
  }

  filesDir(id: string): string {
    return join(this.#options.containersDir, id);
  }

  logPath(id: string): string {
    return join(this.filesDir(id), 'container.log');
  }

  readLog = readContainerLog;

  async prepareStart(record: ContainerRecord, rootfs: string, extras: StartExtras = {}): Promise<{ spec: object; bundleDir: string }> {
    const dir = this.filesDir(record.Id);
    const bundleDir = join(this.#options.bundlesDir, record.Id);
    await mkdir(dir, { recursive: true });
    await mkdir(bundleDir, { recursive: true });
    const hostname = record.Config.Hostname;
    const etcMounts = await this.#writeEtcFiles(record, dir, hostname, extras.network);
    // User mounts may replace the managed files (e.g. -v ./hosts:/etc/hosts), as in Docker.
    const userTargets = new Set((extras.mounts ?? []).map((m) => m.destination));
    const extraMounts = [...etcMounts.filter((m) => !userTargets.has(m.destination)), ...(extras.mounts ?? [])];
    if (record.HostConfig.Init && !this.#initPath) throw invalid('--init needs Debian\'s tini package (tini-static); it is not installed');
    const spec = buildSpec({
      record,
      rootfs,
      user: await resolveUser(rootfs, record.Config.User, record.HostConfig.GroupAdd ?? []),
      cgroupsPath: `/${this.#options.cgroupParent}/${record.Id}`,
      hostname,
      extraMounts,
      initPath: record.HostConfig.Init ? this.#initPath : undefined,
      netnsPath: extras.network?.netnsPath,
      pidnsPath: extras.pidNamespaceOf ? `/proc/${extras.pidNamespaceOf}/ns/pid` : undefined,
      host: this.#host,
    });
    return { spec, bundleDir };
  }

  async releaseStart(id: string): Promise<void> {
    const bundleDir = join(this.#options.bundlesDir, id);
    // Only the files a create put there (config.json, conmon's sockets and fifos): a directory in
    // it could be a mount point, which must never be emptied by a recursive delete.
    const entries = await readdir(bundleDir, { withFileTypes: true }).catch(() => []);
    await Promise.all(entries.filter((entry) => !entry.isDirectory()).map((entry) => rm(join(bundleDir, entry.name), { force: true })));
    await rmdir(bundleDir).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error;
    });
  }

  /** Docker bind-mounts these three files from its own directory so it can rewrite them later;
   * with a read-only rootfs they are read-only too (daemon/container_operations_unix.go
   * setupContainerMountsRoot: "Mode: ro" when ReadonlyRootfs). */
  async #writeEtcFiles(record: ContainerRecord, dir: string, hostname: string, network: NetworkAttachment | undefined): Promise<OciMount[]> {
    const hostsPath = join(dir, 'hosts');
    const resolvPath = join(dir, 'resolv.conf');
    const hostnamePath = join(dir, 'hostname');
    await writeFile(hostsPath, await this.#hostsFile(record, network));
    await writeFile(resolvPath, await this.#resolvConf(record, network?.embeddedDns ?? false));
    await writeFile(hostnamePath, `${hostname}\n`);
    const ro = record.HostConfig.ReadonlyRootfs;
    return [bind(resolvPath, '/etc/resolv.conf', ro), bind(hostnamePath, '/etc/hostname', ro), bind(hostsPath, '/etc/hosts', ro)];
  }

  /** libnetwork's etchosts.Build: the standard entries, `--add-host` ones (host-gateway being the
   * default bridge's address, dockerd's HostGatewayIP), then the container's own address. With
   * `--network host` and no extra hosts, a copy of the host's file. */
  async #hostsFile(record: ContainerRecord, network: NetworkAttachment | undefined): Promise<string> {
    const extra = record.HostConfig.ExtraHosts ?? [];
    if (record.HostConfig.NetworkMode === 'host' && extra.length === 0) return readFile('/etc/hosts', 'utf8').catch(() => '127.0.0.1\tlocalhost\n');
    const extraLines = extra.map((entry) => {
      const [name, ip] = entry.split(/:(.*)/s);
      if (ip === 'host-gateway' && !this.#options.hostGatewayIp) throw invalid('unable to derive the IP value for host-gateway');
      return `${ip === 'host-gateway' ? this.#options.hostGatewayIp : ip}\t${name}`;
    });
    return [...STANDARD_HOSTS, ...extraLines, ...(network?.hostsEntries ?? [])].map((line) => `${line}\n`).join('');
  }

  async #resolvConf(record: ContainerRecord, embedded: boolean): Promise<string> {
    const hc = record.HostConfig;
    const host = await readFile('/etc/resolv.conf', 'utf8').catch(() => '');
    return buildResolvConf(host, { dns: hc.Dns ?? [], search: hc.DnsSearch ?? [], options: hc.DnsOptions ?? [] }, embedded);
  }

  resourcesFor(record: ContainerRecord): object {
    const hc = record.HostConfig;
    return {
      memory: memoryResources(hc, this.#host),
      cpu: cpuResources(hc),
      pids: pidsResources(hc) ?? { limit: -1 },
    };
  }

  async buildExecProcess(input: ExecProcessInput): Promise<object> {
    return buildExecProcess({
      record: input.record,
      args: input.cmd,
      env: input.env,
      user: await resolveUser(input.rootfs, input.user, input.record.HostConfig.GroupAdd ?? []),
      workingDir: input.workingDir,
      tty: input.tty,
      privileged: input.privileged,
      hostname: input.record.Config.Hostname,
      host: this.#host,
    });
  }

  /** `docker top`: runs ps on the host and keeps the rows of the container's processes. */
  async processTable(pids: number[], psArgs: string): Promise<{ Titles: string[]; Processes: string[][] }> {
    const args = psArgs.split(/\s+/).filter(Boolean);
    let stdout: string;
    try {
      ({ stdout } = await run('ps', args, { maxBuffer: 64 * 1024 * 1024 }));
    } catch (error) {
      throw invalid(`Error running ps: ${(error as { stderr?: string }).stderr?.trim() || (error as Error).message}`);
    }
    const lines = stdout.split('\n').filter(Boolean);
    const titles = lines[0]?.trim().split(/\s+/) ?? [];
    const pidColumn = titles.indexOf('PID');
    if (pidColumn < 0) throw invalid(`Couldn't find PID field in ps output`);
    const wanted = new Set(pids);
    const processes = lines.slice(1).map((line) => {
      const fields = line.trim().split(/\s+/);
      // The last column (the command) may contain spaces: join what is beyond the titles.
      return [...fields.slice(0, titles.length - 1), fields.slice(titles.length - 1).join(' ')];
    }).filter((fields) => wanted.has(Number(fields[pidColumn])));
    return { Titles: titles, Processes: processes };
  }
}
