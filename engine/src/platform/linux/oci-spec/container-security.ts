// The security settings a container's processes share (its init and every `docker exec`):
// capabilities from CapAdd/CapDrop/Privileged, and the parsed SecurityOpt.
import type { ContainerRecord } from '../../../core/container-types.ts';
import { containerCapabilities } from './capabilities.ts';
import { parseSecurityOpt, type SecurityOptions } from './security-opts.ts';
import type { HostFacts } from './types.ts';

export interface ContainerSecurity {
  capabilities: string[];
  options: SecurityOptions;
}

export function containerSecurity(record: ContainerRecord, host: Pick<HostFacts, 'capabilities'>): ContainerSecurity {
  const hc = record.HostConfig;
  return {
    capabilities: containerCapabilities({
      capAdd: hc.CapAdd,
      capDrop: hc.CapDrop,
      privileged: hc.Privileged,
      available: host.capabilities,
    }),
    options: parseSecurityOpt(hc.SecurityOpt),
  };
}
