// What happens when a container's process ends: record it, clean the runtime's leftovers, wake
// waiters, and remove the container when it was started with --rm. Runs without the container's
// lock: stop and kill hold it while they wait for this very exit.
import { errorMessage } from '../../core/errors.ts';
import type { ExitInfo } from '../../core/interfaces.ts';
import type { ContainerContext } from './context.ts';
import { scheduleRestart, shouldRestart } from './restart-policy.ts';

export async function handleExit(ctx: ContainerContext, id: string, exit: ExitInfo): Promise<void> {
  const record = ctx.store.find(id);
  if (!record || record.State.Status === 'exited' || record.State.Status === 'dead') return;
  record.State = {
    ...record.State,
    Status: record.State.Status === 'removing' ? 'removing' : 'exited',
    Pid: 0,
    ExitCode: exit.exitCode,
    OOMKilled: exit.oomKilled,
    FinishedAt: new Date(exit.finishedAt).toISOString(),
  };
  try {
    await ctx.store.save(record);
  } catch (error) {
    record.State.Error = errorMessage(error);
  }
  if (exit.oomKilled) ctx.publish(record, 'oom');
  ctx.publish(record, 'die', { exitCode: String(exit.exitCode) });
  await ctx.networking?.disconnect(record).catch(() => undefined);
  await ctx.volumes?.unmount(record).catch(() => undefined);
  await ctx.snapshotter.unmountContainer(id).catch(() => undefined);
  // Waiters (`docker run`, `docker wait`) learn of the exit before the runtime's own clean-up
  // (a runc process, ~10 ms) runs; a start in between deletes the leftover state first.
  ctx.notify(record, 'exit');
  // The process is gone: a plain delete is enough (a forced one waits ~100 ms inside runc).
  const cleanup = ctx.runtime.delete(id, false).catch(() => ctx.runtime.delete(id, true)).catch(() => undefined);
  ctx.runtimeCleanups.set(id, cleanup);
  if (record.State.Status === 'exited' && shouldRestart(record, exit.exitCode)) {
    await cleanup;
    await scheduleRestart(ctx, record);
    return;
  }
  if (record.HostConfig.AutoRemove && record.State.Status === 'exited') {
    const { removeContainer } = await import('./remove-container.ts');
    await removeContainer(ctx, id, { force: true }).catch(() => undefined);
  }
  await cleanup;
}
