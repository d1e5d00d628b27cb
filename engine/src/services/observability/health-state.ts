// The health-check bookkeeping dockerd keeps in State.Health (daemon/health.go
// handleProbeResult), pure so the rules can be tested without running probes.
import type { HealthConfig } from '../../core/oci-types.ts';
import type { ContainerHealth } from '../../core/container-types.ts';

/** dockerd's defaults (API spec "HealthConfig": 0 means inherit / default). */
export const DEFAULT_INTERVAL_NS = 30e9;
export const DEFAULT_TIMEOUT_NS = 30e9;
export const DEFAULT_RETRIES = 3;
/** dockerd keeps the last five results and at most 4 KiB of each probe's output. */
export const MAX_LOG_ENTRIES = 5;
export const MAX_OUTPUT_BYTES = 4096;

export interface ProbeResult {
  start: Date;
  end: Date;
  exitCode: number;
  output: string;
}

export interface HealthTimings {
  intervalMs: number;
  timeoutMs: number;
  startPeriodMs: number;
  /** Probe interval during the start period (API ≥ 1.44 StartInterval); defaults to intervalMs. */
  startIntervalMs: number;
  retries: number;
}

/** The command to run, or undefined when the container has no (or a NONE) health check. */
export function probeCommand(config: HealthConfig | undefined, shell: string[] | undefined): string[] | undefined {
  const test = config?.Test;
  if (!test || test.length === 0 || test[0] === 'NONE') return undefined;
  if (test[0] === 'CMD') return test.length > 1 ? test.slice(1) : undefined;
  if (test[0] === 'CMD-SHELL') return [...(shell?.length ? shell : ['/bin/sh', '-c']), test.slice(1).join(' ')];
  return undefined;
}

export function healthTimings(config: HealthConfig): HealthTimings {
  const ms = (ns: number | undefined, fallback: number) => (ns && ns > 0 ? ns / 1e6 : fallback / 1e6);
  const intervalMs = ms(config.Interval, DEFAULT_INTERVAL_NS);
  return {
    intervalMs,
    timeoutMs: ms(config.Timeout, DEFAULT_TIMEOUT_NS),
    startPeriodMs: ms(config.StartPeriod, 0),
    startIntervalMs: config.StartInterval && config.StartInterval > 0 ? config.StartInterval / 1e6 : intervalMs,
    retries: config.Retries && config.Retries > 0 ? config.Retries : DEFAULT_RETRIES,
  };
}

export function initialHealth(): ContainerHealth {
  return { Status: 'starting', FailingStreak: 0, Log: [] };
}

/** Applies one probe result; returns the new state. Failures inside the start period do not
 * count, unless the container had already been healthy (dockerd's rule). */
export function applyProbe(health: ContainerHealth, result: ProbeResult, timings: HealthTimings, startedAt: number): ContainerHealth {
  const entry = { Start: result.start.toISOString(), End: result.end.toISOString(), ExitCode: result.exitCode, Output: result.output.slice(0, MAX_OUTPUT_BYTES) };
  const Log = [...health.Log, entry].slice(-MAX_LOG_ENTRIES);
  if (result.exitCode === 0) return { Status: 'healthy', FailingStreak: 0, Log };
  const inStartPeriod = result.start.getTime() - startedAt < timings.startPeriodMs;
  if (inStartPeriod && health.Status !== 'healthy') return { ...health, Log };
  const FailingStreak = health.FailingStreak + 1;
  return { Status: FailingStreak >= timings.retries ? 'unhealthy' : health.Status, FailingStreak, Log };
}

/** dockerd's merge at create (daemon/commit.go merge): the image's check fills what the
 * container's leaves unset, so `--health-interval` alone keeps the image's HEALTHCHECK command. */
export function mergeHealthcheck(container: HealthConfig | undefined, image: HealthConfig | undefined): HealthConfig | undefined {
  if (!container) return image;
  if (!image) return container;
  const pick = (a: number | undefined, b: number | undefined) => (a ? a : b);
  return {
    ...container,
    Test: container.Test?.length ? container.Test : image.Test,
    Interval: pick(container.Interval, image.Interval),
    Timeout: pick(container.Timeout, image.Timeout),
    StartPeriod: pick(container.StartPeriod, image.StartPeriod),
    StartInterval: pick(container.StartInterval, image.StartInterval),
    Retries: pick(container.Retries, image.Retries),
  };
}
