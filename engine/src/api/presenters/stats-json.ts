// dockerd's stats JSON (API spec "ContainerStatsResponse"), from the engine's samples. Zeroed
// fields stand in for a container that is not running, as dockerd sends them.
import type { StatsPair } from '../../services/observability/stats-service.ts';
import type { StatsSample } from '../../services/observability/stats-types.ts';

const ZERO_TIME = '0001-01-01T00:00:00Z';

function cpuJson(sample: StatsSample | undefined): object {
  if (!sample) return { cpu_usage: { total_usage: 0, usage_in_kernelmode: 0, usage_in_usermode: 0 }, throttling_data: { periods: 0, throttled_periods: 0, throttled_time: 0 } };
  const c = sample.cpu;
  return {
    cpu_usage: {
      total_usage: c.total,
      ...(c.percpu && c.percpu.length > 0 ? { percpu_usage: c.percpu } : {}),
      usage_in_kernelmode: c.kernel,
      usage_in_usermode: c.user,
    },
    system_cpu_usage: c.system,
    online_cpus: c.onlineCpus,
    throttling_data: { periods: c.throttling.periods, throttled_periods: c.throttling.throttledPeriods, throttled_time: c.throttling.throttledTime },
  };
}

function memoryJson(sample: StatsSample | undefined): object {
  if (!sample) return {};
  const m = sample.memory;
  return {
    usage: m.usage,
    ...(m.maxUsage !== undefined ? { max_usage: m.maxUsage } : {}),
    ...(m.failcnt !== undefined ? { failcnt: m.failcnt } : {}),
    stats: m.stats,
    limit: m.limit,
  };
}

export function statsJson(pair: StatsPair): object {
  const { record, current, previous } = pair;
  const blkio = current?.blkio ?? null;
  return {
    name: record.Name,
    id: record.Id,
    read: current ? new Date(current.readAt).toISOString() : ZERO_TIME,
    preread: previous ? new Date(previous.readAt).toISOString() : ZERO_TIME,
    pids_stats: current ? { current: current.pids.current, ...(current.pids.limit !== undefined ? { limit: current.pids.limit } : {}) } : {},
    blkio_stats: {
      io_service_bytes_recursive: blkio,
      io_serviced_recursive: null, io_queue_recursive: null, io_service_time_recursive: null,
      io_wait_time_recursive: null, io_merged_recursive: null, io_time_recursive: null, sectors_recursive: null,
    },
    num_procs: 0,
    storage_stats: {},
    cpu_stats: cpuJson(current),
    precpu_stats: cpuJson(previous),
    memory_stats: memoryJson(current),
    ...(current?.networks ? { networks: current.networks } : {}),
  };
}
