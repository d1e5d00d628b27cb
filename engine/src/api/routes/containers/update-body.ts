// `POST /containers/{id}/update` body (API spec "ContainerUpdateRequest"): resources and the
// restart policy; everything else in it is ignored, as dockerd does.
import * as v from 'valibot';
import type { UpdateRequest } from '../../../services/containers/update-container.ts';
import { ciObject, parseBody } from '../../validation.ts';
import { resourceFields, restartPolicy } from './resource-fields.ts';

const updateBody = ciObject({
  ...resourceFields,
  RestartPolicy: v.optional(restartPolicy),
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
