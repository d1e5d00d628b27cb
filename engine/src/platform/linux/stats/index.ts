// Container stats on Linux: the container's cgroup (v1 or v2, as the host mounts them) plus
// /proc for the host's CPU time and the container's network namespace.
import { totalmem } from 'node:os';
import type { StatsReader, StatsSample } from '../../../services/observability/stats-types.ts';
import { isCgroupV2 } from '../oci-spec/host.ts';
import { readCgroupV1 } from './cgroup-v1.ts';
import { readCgroupV2 } from './cgroup-v2.ts';
import { onlineCpus, parseNetDev, readText, systemCpuNs } from './proc.ts';

export class LinuxStatsReader implements StatsReader {
  readonly #cgroupParent: string;
  readonly #v2 = isCgroupV2();
  readonly #machineMemory = totalmem();

  constructor(options: { cgroupParent: string }) {
    this.#cgroupParent = options.cgroupParent;
  }

  async sample(id: string, pid: number): Promise<StatsSample> {
    // Same path the OCI spec gives runc (container-platform.ts: cgroupsPath).
    const path = `/${this.#cgroupParent}/${id}`;
    const [cgroup, system, netDev] = await Promise.all([
      this.#v2 ? readCgroupV2(path) : readCgroupV1(path),
      systemCpuNs(),
      pid > 0 ? readText(`/proc/${pid}/net/dev`) : Promise.resolve(undefined),
    ]);
    const networks = netDev === undefined ? undefined : parseNetDev(netDev);
    return {
      readAt: Date.now(),
      ...cgroup,
      cpu: { ...cgroup.cpu, system, onlineCpus: onlineCpus() },
      // An unlimited cgroup reports a huge limit; dockerd shows the machine's memory instead.
      memory: { ...cgroup.memory, limit: Math.min(cgroup.memory.limit, this.#machineMemory) },
      networks: networks && Object.keys(networks).length > 0 ? networks : undefined,
    };
  }
}
