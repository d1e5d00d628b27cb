// Engine start: containers that were running when the previous engine stopped (or crashed) are
// still running under conmon; re-adopt them, and record the exits that happened meanwhile.
import { errorMessage } from '../../core/errors.ts';
import type { ContainerContext } from './context.ts';
import { handleExit } from './exit-handler.ts';
import { removeContainer } from './remove-container.ts';
import { runContainer, watchContainerExit } from './start-container.ts';

export async function restoreContainers(ctx: ContainerContext, log: (message: string) => void): Promise<void> {
  for (const record of ctx.store.list()) {
    try {
      const status = record.State.Status;
      if (status === 'removing') {
        record.State.Status = 'dead';
        await removeContainer(ctx, record.Id, { force: true });
        continue;
      }
      if (status !== 'running' && status !== 'paused' && status !== 'restarting') continue;
      const state = await ctx.runtime.state(record.Id).catch(() => undefined);
      if (state && (state.status === 'running' || state.status === 'paused')) {
        record.State.Status = state.status;
        record.State.Pid = state.pid;
        await ctx.store.save(record);
        watchContainerExit(ctx, record);
        continue;
      }
      // Gone while we were away: the monitor's exit file says how; a reboot leaves none.
      const exit = (await ctx.runtime.exitOf(record.Id).catch(() => undefined)) ?? { exitCode: 255, finishedAt: Date.now(), oomKilled: false };
      record.State.Status = 'running';
      await handleExit(ctx, record.Id, exit);
    } catch (error) {
      log(`restoring container ${record.Id.slice(0, 12)}: ${errorMessage(error)}`);
    }
  }
  // Like dockerd at start-up: `always` and `unless-stopped` containers that are down without a
  // manual stop (their monitor died with the host, say) come back up.
  for (const record of ctx.store.list()) {
    const policy = record.HostConfig.RestartPolicy.Name;
    if (record.State.Status !== 'exited' || record.ManuallyStopped || (policy !== 'always' && policy !== 'unless-stopped')) continue;
    if (record.State.StartedAt === '0001-01-01T00:00:00Z') continue;
    await ctx.withLock(record.Id, () => runContainer(ctx, record)).catch((error: unknown) => {
      log(`restarting container ${record.Id.slice(0, 12)}: ${errorMessage(error)}`);
    });
  }
}
