// `docker rm`: refuse a running container unless forced, then drop the runtime state, the
// snapshot and the record, and wake `wait --condition=removed` callers.
import { conflict } from '../../core/errors.ts';
import type { ContainerContext } from './context.ts';
import { killAndWait } from './stop-container.ts';
import { forgetRestartState } from './restart-policy.ts';

export async function removeContainer(ctx: ContainerContext, ref: string, options: { force: boolean; locked?: boolean; removeVolumes?: boolean }): Promise<void> {
  const record = ctx.store.get(ref);
  const task = async () => {
    if (!ctx.store.find(record.Id)) return;
    const status = record.State.Status;
    if ((status === 'running' || status === 'paused' || status === 'restarting') && !options.force) {
      const verb = status === 'paused' ? 'paused' : 'running';
      throw conflict(`cannot remove container "${record.Name}": container is ${verb}: stop the container before removing or force remove`);
    }
    if (status === 'removing') throw conflict(`removal of container ${record.Id.slice(0, 12)} is already in progress`);
    forgetRestartState(record.Id);
    if (status === 'running' || status === 'paused') {
      if (status === 'paused') await ctx.runtime.resume(record.Id).catch(() => undefined);
      await killAndWait(ctx, record, 9, 10_000);
    }
    record.State.Status = 'removing';
    ctx.exitWatches.get(record.Id)?.();
    ctx.exitWatches.delete(record.Id);
    // After an exit the runtime clean-up is already under way (and finishes on its own).
    const cleanup = ctx.runtimeCleanups.get(record.Id);
    ctx.runtimeCleanups.delete(record.Id);
    const everStarted = record.State.StartedAt !== '0001-01-01T00:00:00Z';
    if (!cleanup && everStarted) await ctx.runtime.delete(record.Id, true).catch(() => undefined);
    await ctx.networking?.release(record);
    await ctx.volumes?.release(record, options.removeVolumes ?? record.HostConfig.AutoRemove);
    await ctx.snapshotter.removeContainer(record.Id);
    await ctx.store.delete(record);
    ctx.publish(record, 'destroy');
    ctx.notify(record, 'removed');
  };
  if (options.locked) await task();
  else await ctx.withLock(record.Id, task);
}
