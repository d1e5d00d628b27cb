// `docker rm`: refuse a running container unless forced, then drop the runtime state, the
// snapshot and the record, and wake `wait --condition=removed` callers.
import type { ContainerRecord } from '../../core/container-types.ts';
import { conflict } from '../../core/errors.ts';
import type { ContainerContext } from './context.ts';
import { recordDead, recordRemoving, ZERO_TIME } from './lifecycle-state.ts';
import { forgetRestartState } from './restart-policy.ts';
import { signalForExit } from './stop-container.ts';

interface RemoveOptions {
  force: boolean;
  /** The caller holds the container's lock (an exit's auto-remove, a failed start's). */
  locked?: boolean;
  removeVolumes?: boolean;
}

const hasProcess = (record: ContainerRecord) => record.State.Status === 'running' || record.State.Status === 'paused';

export async function removeContainer(ctx: ContainerContext, ref: string, options: RemoveOptions): Promise<void> {
  const record = ctx.store.get(ref);
  if (options.locked) return removeLocked(ctx, record, options);
  if (options.force && hasProcess(record)) {
    // Kill first and let the exit be applied as any other (die event, exit code, network and
    // mounts released); the wait happens outside the lock, which the exit needs.
    const killed = await ctx.withLock(record.Id, async () => {
      if (!ctx.store.find(record.Id) || !hasProcess(record)) return undefined;
      forgetRestartState(record.Id);
      record.ManuallyStopped = true;
      if (record.State.Status === 'paused') await ctx.runtime.resume(record.Id).catch(() => undefined);
      return signalForExit(ctx, record, 9);
    });
    await killed?.until(10_000);
  }
  await ctx.withLock(record.Id, () => removeLocked(ctx, record, options));
}

async function removeLocked(ctx: ContainerContext, record: ContainerRecord, options: RemoveOptions): Promise<void> {
  if (!ctx.store.find(record.Id)) return;
  const status = record.State.Status;
  if ((status === 'running' || status === 'paused' || status === 'restarting') && !options.force) {
    const verb = status === 'paused' ? 'paused' : 'running';
    throw conflict(`cannot remove container "${record.Name}": container is ${verb}: stop the container before removing or force remove`);
  }
  if (status === 'removing') throw conflict(`removal of container ${record.Id.slice(0, 12)} is already in progress`);
  forgetRestartState(record.Id);
  await recordRemoving(ctx, record);
  // The run is over for the engine: a late exit of it finds nothing to apply.
  ctx.exitWatches.get(record.Id)?.();
  ctx.exitWatches.delete(record.Id);
  ctx.endRun(record.Id);
  try {
    // After an exit the runtime clean-up is already under way: wait for it, so that a finished
    // removal leaves no runtime state behind. A process that would not die is killed here.
    const cleanup = ctx.runtimeCleanups.get(record.Id);
    ctx.runtimeCleanups.delete(record.Id);
    if (cleanup) await cleanup;
    else if (record.State.StartedAt !== ZERO_TIME) await ctx.runtime.delete(record.Id, true).catch(() => undefined);
    if (status === 'running' || status === 'paused') {
      await ctx.networking?.disconnect(record).catch(() => undefined);
      await ctx.volumes?.unmount(record).catch(() => undefined);
      await ctx.snapshotter.unmountContainer(record.Id).catch(() => undefined);
    }
    await ctx.networking?.release(record);
    await ctx.volumes?.release(record, options.removeVolumes ?? record.HostConfig.AutoRemove);
    await ctx.snapshotter.removeContainer(record.Id);
    await ctx.store.delete(record);
  } catch (error) {
    // As dockerd: a removal that failed half-way leaves the container dead; `rm -f` tries again.
    await recordDead(ctx, record).catch(() => undefined);
    throw error;
  }
  ctx.publish(record, 'destroy');
  ctx.notify(record, 'removed');
}
