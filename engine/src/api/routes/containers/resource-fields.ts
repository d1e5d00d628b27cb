// The resource and restart-policy fields shared by create's HostConfig and `docker update`
// (API spec "Resources" and "RestartPolicy"), validated the same way in both.
import * as v from 'valibot';
import { ciObject, int } from '../../validation.ts';

const CPUSET_LIST = /^\d+(-\d+)?(,\d+(-\d+)?)*$/;

/** The CPU or memory-node numbers of a cpuset list ("0-2,4"), or undefined when it is not one
 * (dockerd's parsers.ParseUintList: decimal numbers and ascending ranges, nothing else). */
export function cpusetNumbers(list: string): number[] | undefined {
  if (list === '') return [];
  if (!CPUSET_LIST.test(list)) return undefined;
  const numbers: number[] = [];
  for (const part of list.split(',')) {
    const [low, high = low] = part.split('-').map(Number);
    if (low > high || high > 1 << 16) return undefined;
    for (let n = low; n <= high; n++) numbers.push(n);
  }
  return numbers;
}

/** A cpuset list with dockerd's wording for a bad one ("Invalid value x for cpuset cpus"): checked
 * here, at the edge, so that runc never sees it. */
const cpuset = (what: string) =>
  v.pipe(v.string(), v.check((value) => cpusetNumbers(value) !== undefined, (issue) => `Invalid value ${String(issue.input)} for ${what}: invalid format: ${String(issue.input)}`));

export const resourceFields = {
  Memory: v.optional(int),
  MemorySwap: v.optional(int),
  MemoryReservation: v.optional(int),
  NanoCpus: v.optional(int),
  CpuShares: v.optional(int),
  CpuPeriod: v.optional(int),
  CpuQuota: v.optional(int),
  CpusetCpus: v.optional(cpuset('cpuset cpus')),
  // Not applied by this engine, but checked as dockerd checks it.
  CpusetMems: v.optional(cpuset('cpuset mems')),
  // The kernel refuses pids.max above PID_MAX_LIMIT (EINVAL from runc, a 500 in dockerd).
  PidsLimit: v.nullish(v.pipe(int, v.maxValue(4_194_304, 'PidsLimit is above the kernel\'s maximum of 4194304'))),
};

export const restartPolicy = ciObject({
  Name: v.optional(v.picklist(['', 'no', 'always', 'unless-stopped', 'on-failure'])),
  MaximumRetryCount: v.optional(int),
});
