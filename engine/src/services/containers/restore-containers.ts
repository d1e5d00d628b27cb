// Engine start: containers that were running when the previous engine stopped (or crashed) are
// still running under conmon; re-adopt them, and apply the exits that happened meanwhile.
import { errorMessage } from '../../core/errors.ts';
import type { ContainerContext } from './context.ts';
import { applyExit, watchContainerExit } from './exit-handler.ts';
import { recordAdopted, recordDead, ZERO_TIME } from './lifecycle-state.ts';
import { removeContainer } from './remove-container.ts';
import { runContainer } from './start-container.ts';

export async function restoreContainers(ctx: ContainerContext, log: (message: string) => void): Promise<void> {
  ctx.log = log;
  for (const record of ctx.store.list()) {
    try {
      const status = record.State.Status;
      if (status === 'removing') {
        await recordDead(ctx, record);
        await removeContainer(ctx, record.Id, { force: true });
        continue;
      }
      if (status !== 'running' && status !== 'paused' && status !== 'restarting') continue;
      await ctx.withLock(record.Id, async () => {
        const state = await ctx.runtime.state(record.Id).catch(() => undefined);
        if (state && (state.status === 'running' || state.status === 'paused')) {
          await recordAdopted(ctx, record, state.status, state.pid);
          watchContainerExit(ctx, record);
          return;
        }
        // Gone while we were away: the monitor's exit file says how; a reboot leaves none.
        const exit = (await ctx.runtime.exitOf(record.Id).catch(() => undefined)) ?? { exitCode: 255, finishedAt: Date.now(), oomKilled: false };
        await applyExit(ctx, record.Id, exit, ctx.beginRun(record.Id));
      });
    } catch (error) {
      log(`restoring container ${record.Id.slice(0, 12)}: ${errorMessage(error)}`);
    }
  }
  // Like dockerd at start-up: `always` and `unless-stopped` containers that are down without a
  // manual stop (their monitor died with the host, say) come back up.
  for (const record of ctx.store.list()) {
    const policy = record.HostConfig.RestartPolicy.Name;
    if (record.State.Status !== 'exited' || record.ManuallyStopped || (policy !== 'always' && policy !== 'unless-stopped')) continue;
    if (record.State.StartedAt === ZERO_TIME) continue;
    await ctx.withLock(record.Id, () => runContainer(ctx, record)).catch((error: unknown) => {
      log(`restarting container ${record.Id.slice(0, 12)}: ${errorMessage(error)}`);
    });
  }
}
