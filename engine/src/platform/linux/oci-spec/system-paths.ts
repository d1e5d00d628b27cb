// /proc and /sys paths dockerd hides (maskedPaths: runc binds /dev/null or an empty read-only
// tmpfs over them) or makes read-only (readonlyPaths) in unprivileged containers, per moby
// oci.DefaultLinuxSpec. OCI: config-linux.md#masked-paths and #readonly-paths.

/** Kernel interfaces that leak host data or allow host attacks. */
export const DEFAULT_MASKED_PATHS: readonly string[] = [
  '/proc/acpi',
  '/proc/asound',
  '/proc/interrupts', // GHSA-6fw5-f8r9-fgfm: interrupt counters as a side channel
  '/proc/kcore',
  '/proc/keys',
  '/proc/latency_stats',
  '/proc/sched_debug',
  '/proc/scsi',
  '/proc/timer_list',
  '/proc/timer_stats',
  '/sys/devices/virtual/powercap', // GHSA-jq35-85cj-fj4p: RAPL energy readings (Platypus)
  '/sys/firmware',
];

export const DEFAULT_READONLY_PATHS: readonly string[] = [
  '/proc/bus',
  '/proc/fs',
  '/proc/irq',
  '/proc/sys',
  '/proc/sysrq-trigger',
];

/** The masked list for this host: the defaults plus each CPU's thermal_throttle directory. */
export function maskedPaths(thermalThrottlePaths: readonly string[]): string[] {
  return [...DEFAULT_MASKED_PATHS, ...thermalThrottlePaths];
}
