// What happens when a container's process ends: record it, release what the start took, wake
// waiters, clean the runtime's leftovers, then restart (policy) or remove (--rm) the container.
//
// Exits are applied under the container's lock, like every other lifecycle step: an exit that
// arrives while the start sequence still runs (a process that exits at once) waits for the start
// to record `running` and is applied after it, never overwritten by it. Stop, kill and forced
// removal therefore never wait for an exit while they hold the lock (see stop-container.ts).
import { errorMessage } from '../../core/errors.ts';
import type { ExitInfo } from '../../core/interfaces.ts';
import type { ContainerRecord } from '../../core/container-types.ts';
import type { ContainerContext } from './context.ts';
import { recordExit } from './lifecycle-state.ts';
import { scheduleRestart, shouldRestart } from './restart-policy.ts';

/** Watches for the exit of the run that is about to start (or was adopted); returns its token. */
export function watchContainerExit(ctx: ContainerContext, record: ContainerRecord): number {
  const id = record.Id;
  ctx.exitWatches.get(id)?.();
  const run = ctx.beginRun(id);
  let fired = false;
  const stop = ctx.runtime.watchExit(id, (exit: ExitInfo) => {
    fired = true;
    ctx.withLock(id, () => applyExit(ctx, id, exit, run)).catch((error: unknown) => {
      ctx.log(`exit of container ${id.slice(0, 12)}: ${errorMessage(error)}`);
    });
  });
  // A runtime may call back at once (the exit is already recorded): then nothing is left to stop.
  if (!fired) ctx.exitWatches.set(id, stop);
  return run;
}

/** Applies the exit of run `run`; the caller holds the container's lock. An exit of a run that is
 * no longer the current one (its start failed and was recorded as such, or the container was
 * removed) has nothing left to apply. */
export async function applyExit(ctx: ContainerContext, id: string, exit: ExitInfo, run: number): Promise<void> {
  const record = ctx.store.find(id);
  if (!record || !ctx.endRun(id, run)) return;
  await recordExit(ctx, record, exit);
  if (exit.oomKilled) ctx.publish(record, 'oom');
  ctx.publish(record, 'die', { exitCode: String(exit.exitCode) });
  // The process is gone: a plain delete is enough (a forced one waits ~100 ms inside runc). The
  // runtime's clean-up (a runc process), the network teardown (netavark) and the unmounts touch
  // nothing of each other, so they run side by side; a start or a removal after this awaits the
  // runtime's clean-up first.
  const cleanup = ctx.runtime.delete(id, false).catch(() => ctx.runtime.delete(id, true)).catch(() => undefined);
  ctx.runtimeCleanups.set(id, cleanup);
  await Promise.all([
    ctx.networking?.disconnect(record).catch(() => undefined),
    (async () => {
      await ctx.volumes?.unmount(record).catch(() => undefined);
      await ctx.snapshotter.unmountContainer(id).catch(() => undefined);
    })(),
  ]);
  // Waiters (`docker run`, `docker wait`) learn of the exit once its network and mounts are
  // released, without waiting for the runtime's clean-up.
  ctx.notify(record, 'exit');
  if (shouldRestart(record, exit.exitCode)) {
    await cleanup;
    await scheduleRestart(ctx, record);
    return;
  }
  if (record.HostConfig.AutoRemove && !ctx.keepOnExit.has(id)) {
    const { removeContainer } = await import('./remove-container.ts');
    await removeContainer(ctx, id, { force: true, locked: true }).catch((error: unknown) => {
      // As dockerd does (State.SetRemovalError): `docker run --rm` waits for the removal, so it
      // learns of the failure instead of waiting forever.
      ctx.notify(record, 'removed', `autoremove failed: ${errorMessage(error)}`);
      throw error;
    });
  }
  await cleanup;
}
