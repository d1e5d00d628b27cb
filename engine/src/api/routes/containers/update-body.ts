// `POST /containers/{id}/update` body (API spec "ContainerUpdateRequest"): resources and the
// restart policy; everything else in it is ignored, as dockerd does.
import * as v from 'valibot';
import type { UpdateRequest } from '../../../services/containers/update-container.ts';
import { ciObject, int, parseBody } from '../../validation.ts';

const updateBody = ciObject({
  Memory: v.optional(int),
  MemorySwap: v.optional(int),
  MemoryReservation: v.optional(int),
  NanoCpus: v.optional(int),
  CpuShares: v.optional(int),
  CpuPeriod: v.optional(int),
  CpuQuota: v.optional(int),
  CpusetCpus: v.optional(v.string()),
  PidsLimit: v.nullish(int),
  RestartPolicy: v.optional(ciObject({
    Name: v.optional(v.picklist(['', 'no', 'always', 'unless-stopped', 'on-failure'])),
    MaximumRetryCount: v.optional(int),
  })),
});

export function parseUpdateBody(body: unknown): UpdateRequest {
  const b = parseBody(updateBody, body, 'update config');
  const out: UpdateRequest = {};
  for (const key of ['Memory', 'MemorySwap', 'MemoryReservation', 'NanoCpus', 'CpuShares', 'CpuPeriod', 'CpuQuota', 'CpusetCpus'] as const) {
    // The CLI sends zeros for flags it was not given: zero means "leave as is" (dockerd too).
    const value = b[key];
    if (value !== undefined && value !== 0 && value !== '') (out as Record<string, unknown>)[key] = value;
  }
  if (b.PidsLimit !== undefined && b.PidsLimit !== null && b.PidsLimit !== 0) out.PidsLimit = b.PidsLimit;
  if (b.RestartPolicy?.Name) out.RestartPolicy = { Name: b.RestartPolicy.Name, MaximumRetryCount: b.RestartPolicy.MaximumRetryCount ?? 0 };
  return out;
}
