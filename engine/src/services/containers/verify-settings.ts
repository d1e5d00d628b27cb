// dockerd's checks of a container's settings before anything is created (daemon/container.go
// verifyContainerSettings → validateContainerConfig, validateHostConfig, and daemon_unix.go
// verifyPlatformContainerSettings / verifyPlatformContainerResources), in dockerd's order and with
// its messages: scripts match on them, and the CLI turns each into exit code 125 on `run`.
import type { ContainerConfig, HostConfig } from '../../core/container-types.ts';
import { invalid } from '../../core/errors.ts';
import { parseSignal } from '../../core/signals.ts';

/** What the checks need to know about the host (dockerd's sysinfo). */
export interface HostLimits {
  /** CPUs this engine may run on (sched_getaffinity, dockerd's sysinfo.NumCPU). */
  ncpu: number;
  /** The cpuset lists containers may use ("0-1"): the cpuset cgroup's cpuset.cpus (v1) or
   * cpuset.cpus.effective (v2), as dockerd reads them. */
  cpusetCpus: string;
  cpusetMems: string;
  /** `--runtime` names this engine answers to. */
  runtimes: readonly string[];
}

/** Docker's MinimumDuration for health-check intervals: 1 ms, in nanoseconds. */
const MIN_HEALTH_DURATION_NS = 1_000_000;
const MIN_MEMORY = 6 * 1024 * 1024;

/** dockerd parsers.ParseUintList: "0-2,4" → the numbers, undefined when malformed. */
export function parseUintList(list: string, max = 8192): Set<number> | undefined {
  const out = new Set<number>();
  if (list === '') return out;
  for (const part of list.split(',')) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part);
    if (!m) return undefined;
    const low = Number(m[1]);
    const high = m[2] === undefined ? low : Number(m[2]);
    if (high < low || high > max) return undefined;
    for (let n = low; n <= high; n++) out.add(n);
  }
  return out;
}

/** sysinfo.isCpusetListAvailable: every CPU (or memory node) asked for is in the host's list. */
function listAvailable(provided: string, available: string, what: string): boolean {
  const have = parseUintList(available, Number.MAX_SAFE_INTEGER) ?? new Set<number>();
  const max = Math.max(8192, ...have);
  const wanted = parseUintList(provided, max);
  if (!wanted) throw invalid(`Invalid value ${provided} for ${what}: invalid format: ${provided}`);
  return [...wanted].every((n) => have.has(n));
}

function verifyHealthcheck(health: ContainerConfig['Healthcheck']): void {
  if (!health) return;
  const short = (ns: number | undefined) => ns !== undefined && ns !== 0 && ns < MIN_HEALTH_DURATION_NS;
  if (short(health.Interval)) throw invalid('Interval in Healthcheck cannot be less than 1ms');
  if (short(health.Timeout)) throw invalid('Timeout in Healthcheck cannot be less than 1ms');
  if ((health.Retries ?? 0) < 0) throw invalid('Retries in Healthcheck cannot be negative');
  if (short(health.StartPeriod)) throw invalid('StartPeriod in Healthcheck cannot be less than 1ms');
}

function verifyRestartPolicy(policy: HostConfig['RestartPolicy']): void {
  switch (policy.Name) {
    case 'always': case 'unless-stopped': case 'no':
      if (policy.MaximumRetryCount !== 0) throw invalid(`maximum retry count cannot be used with restart policy '${policy.Name}'`);
      return;
    case 'on-failure':
      if (policy.MaximumRetryCount < 0) throw invalid('maximum retry count cannot be negative');
      return;
    default:
  }
}

/** verifyPlatformContainerResources: the checks `create` and `update` share. */
export function verifyResources(hc: Partial<HostConfig>, limits: HostLimits, update = false): void {
  const memory = hc.Memory ?? 0;
  const swap = hc.MemorySwap ?? 0;
  const reservation = hc.MemoryReservation ?? 0;
  if (memory !== 0 && memory < MIN_MEMORY) throw invalid('Minimum memory limit allowed is 6MB');
  if (memory > 0 && swap > 0 && swap < memory) throw invalid('Minimum memoryswap limit should be larger than memory limit, see usage');
  if (memory === 0 && swap > 0 && !update) throw invalid('You should always set the Memory limit when using Memoryswap limit, see usage');
  if (reservation > 0 && reservation < MIN_MEMORY) throw invalid('Minimum memory reservation allowed is 6MB');
  if (memory > 0 && reservation > 0 && memory < reservation) throw invalid('Minimum memory limit can not be less than memory reservation limit, see usage');
  const nano = hc.NanoCpus ?? 0;
  if (nano > 0 && (hc.CpuPeriod ?? 0) > 0) throw invalid('Conflicting options: Nano CPUs and CPU Period cannot both be set');
  if (nano > 0 && (hc.CpuQuota ?? 0) > 0) throw invalid('Conflicting options: Nano CPUs and CPU Quota cannot both be set');
  if (nano < 0 || nano > limits.ncpu * 1e9) {
    throw invalid(`Range of CPUs is from 0.01 to ${limits.ncpu}.00, as there are only ${limits.ncpu} CPUs available`);
  }
  const period = hc.CpuPeriod ?? 0;
  if (period !== 0 && (period < 1000 || period > 1_000_000)) throw invalid('CPU cfs period can not be less than 1ms (i.e. 1000) or larger than 1s (i.e. 1000000)');
  const quota = hc.CpuQuota ?? 0;
  if (quota > 0 && quota < 1000) throw invalid('CPU cfs quota can not be less than 1ms (i.e. 1000)');
  const cpus = hc.CpusetCpus ?? '';
  if (!listAvailable(cpus, limits.cpusetCpus, 'cpuset cpus')) {
    throw invalid(`Requested CPUs are not available - requested ${cpus}, available: ${limits.cpusetCpus}`);
  }
  const mems = hc.CpusetMems ?? '';
  if (!listAvailable(mems, limits.cpusetMems, 'cpuset mems')) {
    throw invalid(`Requested memory nodes are not available - requested ${mems}, available: ${limits.cpusetMems}`);
  }
}

/** verifyContainerSettings for `create`. Negative CPU shares pass here, as in dockerd: they fail
 * at start ("shares: invalid argument"). */
export function verifyContainerSettings(config: ContainerConfig, hc: HostConfig, limits: HostLimits): void {
  // runconfig validateNetMode, checked when dockerd decodes the request.
  const mode = hc.NetworkMode ?? '';
  if (hc.UTSMode === 'host' && config.Hostname) throw invalid('conflicting options: hostname and the UTS mode');
  if ((mode === 'host' || mode.startsWith('container:')) && config.MacAddress) throw invalid('conflicting options: mac-address and the network mode');
  if (config.WorkingDir && !config.WorkingDir.startsWith('/')) {
    throw invalid(`the working directory '${config.WorkingDir}' is invalid, it needs to be an absolute path`);
  }
  if (config.StopSignal) parseSignal(config.StopSignal);
  verifyHealthcheck(config.Healthcheck);
  if (hc.AutoRemove && hc.RestartPolicy.Name !== 'no' && hc.RestartPolicy.Name !== '') {
    throw invalid('can\'t create \'AutoRemove\' container with restart policy');
  }
  verifyRestartPolicy(hc.RestartPolicy);
  verifyResources(hc, limits);
  if ((hc.ShmSize ?? 0) < 0) throw invalid('SHM size can not be less than 0');
  const adj = hc.OomScoreAdj ?? 0;
  if (adj < -1000 || adj > 1000) throw invalid(`Invalid value ${adj}, range for oom score adj is [-1000, 1000]`);
  if (hc.Runtime && !limits.runtimes.includes(hc.Runtime)) throw invalid(`Unknown runtime specified ${hc.Runtime}`);
}

/** Log drivers dockerd 20.10 has built in, with the options each accepts (daemon/logger/*:
 * ValidateLogOpt). Berth keeps every container's output in its own file whatever the driver
 * (20.10's "dual logging" reads it back the same way), except for `none`. */
const FILE_OPTS = ['max-file', 'max-size', 'compress', 'labels', 'labels-regex', 'env', 'env-regex', 'tag'];
const LOG_DRIVERS: Record<string, { opts?: string[]; message?: (key: string) => string }> = {
  'json-file': { opts: FILE_OPTS, message: (key) => `unknown log opt '${key}' for json-file log driver` },
  local: { opts: ['max-file', 'max-size', 'compress'], message: (key) => `unknown log opt '${key}' for log driver local` },
  // The format Berth's monitor (conmon) writes, and the default older Berth containers record:
  // json-file to the user, whose options it takes.
  'k8s-file': { opts: FILE_OPTS, message: (key) => `unknown log opt '${key}' for json-file log driver` },
  none: {},
  journald: {}, syslog: {}, gelf: {}, fluentd: {}, awslogs: {}, splunk: {}, gcplogs: {}, logentries: {},
};
/** Options dockerd takes for every driver (logger.builtInLogOpts and the dual-logging cache). */
const COMMON_LOG_OPTS = new Set(['mode', 'max-buffer-size', 'cache-disabled', 'cache-max-size', 'cache-max-file', 'cache-compress']);

/** mergeAndVerifyLogConfig → logger.ValidateLogOpts, checked after the image and command. */
export function verifyLogConfig(log: HostConfig['LogConfig']): void {
  if (!log) return;
  const driver = LOG_DRIVERS[log.Type];
  if (!driver) throw invalid(`error looking up logging plugin ${log.Type}: plugin "${log.Type}" not found`);
  if (log.Type === 'none') return;
  const mode = log.Config['mode'];
  if (mode !== undefined && mode !== '' && mode !== 'blocking' && mode !== 'non-blocking') throw invalid(`logger: logging mode not supported: ${mode}`);
  if (!driver.opts || !driver.message) return;
  for (const key of Object.keys(log.Config)) {
    if (!COMMON_LOG_OPTS.has(key) && !driver.opts.includes(key)) throw invalid(driver.message(key));
  }
}
