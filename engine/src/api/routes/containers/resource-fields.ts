// The resource and restart-policy fields shared by create's HostConfig and `docker update`
// (API spec "Resources" and "RestartPolicy"), validated the same way in both.
import * as v from 'valibot';
import { ciObject, int } from '../../validation.ts';

export const resourceFields = {
  Memory: v.optional(int),
  MemorySwap: v.optional(int),
  MemoryReservation: v.optional(int),
  NanoCpus: v.optional(int),
  CpuShares: v.optional(int),
  CpuPeriod: v.optional(int),
  CpuQuota: v.optional(int),
  CpusetCpus: v.optional(v.string()),
  PidsLimit: v.nullish(int),
};

export const restartPolicy = ciObject({
  Name: v.optional(v.picklist(['', 'no', 'always', 'unless-stopped', 'on-failure'])),
  MaximumRetryCount: v.optional(int),
});
