// `POST /containers/{id}/update` body (API spec "ContainerUpdateRequest"): resources and the
// restart policy; everything else in it is ignored, as dockerd does.
import { z } from 'zod';
import type { UpdateRequest } from '../../../services/containers/update-container.ts';
import { ciObject, int, parseBody } from '../../validation.ts';

const updateBody = ciObject({
  Memory: int.optional(),
  MemorySwap: int.optional(),
  MemoryReservation: int.optional(),
  NanoCpus: int.optional(),
  CpuShares: int.optional(),
  CpuPeriod: int.optional(),
  CpuQuota: int.optional(),
  CpusetCpus: z.string().optional(),
  PidsLimit: int.nullable().optional(),
  RestartPolicy: ciObject({
    Name: z.enum(['', 'no', 'always', 'unless-stopped', 'on-failure']).optional(),
    MaximumRetryCount: int.optional(),
  }).optional(),
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
