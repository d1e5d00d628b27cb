// `docker update`: new restart policy and resource limits, applied live to a running container
// through the runtime and kept for later starts.
import type { HostConfig, RestartPolicy } from '../../core/container-types.ts';
import { invalid } from '../../core/errors.ts';
import type { ContainerContext } from './context.ts';
import { cancelRestart } from './restart-policy.ts';

export type UpdateRequest = Partial<Pick<HostConfig, 'Memory' | 'MemorySwap' | 'MemoryReservation' | 'NanoCpus' | 'CpuShares' | 'CpuPeriod' | 'CpuQuota' | 'CpusetCpus' | 'PidsLimit'>> & {
  RestartPolicy?: Partial<RestartPolicy>;
};

export async function updateContainer(ctx: ContainerContext, ref: string, update: UpdateRequest): Promise<{ Warnings: string[] }> {
  const record = ctx.store.get(ref);
  return ctx.withLock(record.Id, async () => {
    const { RestartPolicy: policy, ...resources } = update;
    if (policy?.Name !== undefined && policy.Name !== 'no' && policy.Name !== '' && record.HostConfig.AutoRemove) {
      throw invalid('Restart policy cannot be updated because AutoRemove is enabled for the container');
    }
    if (resources.Memory !== undefined && resources.Memory !== 0 && resources.Memory < 6 * 1024 * 1024) {
      throw invalid('Minimum memory limit allowed is 6MB');
    }
    if (resources.NanoCpus !== undefined && resources.NanoCpus !== 0 && (resources.CpuQuota || record.HostConfig.CpuQuota)) {
      throw invalid('Conflicting options: Nano CPUs and CPU Period cannot both be set');
    }
    const defined = Object.fromEntries(Object.entries(resources).filter(([, v]) => v !== undefined));
    const hostConfig: HostConfig = { ...record.HostConfig, ...defined };
    if (policy?.Name !== undefined) {
      hostConfig.RestartPolicy = { Name: policy.Name, MaximumRetryCount: policy.MaximumRetryCount ?? 0 };
      if (policy.Name === 'no' || policy.Name === '') cancelRestart(record.Id);
    }
    const live = record.State.Status === 'running' || record.State.Status === 'paused';
    if (live && Object.keys(defined).length > 0) {
      await ctx.runtime.update(record.Id, ctx.platform.resourcesFor({ ...record, HostConfig: hostConfig }));
    }
    record.HostConfig = hostConfig;
    await ctx.store.save(record);
    ctx.publish(record, 'update');
    return { Warnings: [] };
  });
}
