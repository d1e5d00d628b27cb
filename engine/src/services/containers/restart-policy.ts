// Restart policies as dockerd applies them (docker run --restart): which exits restart the
// container, and the back-off between attempts (100 ms, doubling up to a minute, reset once a
// run has lasted ten seconds).
import type { ContainerRecord } from '../../core/container-types.ts';
import { errorMessage } from '../../core/errors.ts';
import type { ContainerContext } from './context.ts';
import { recordRestarting } from './lifecycle-state.ts';

const INITIAL_DELAY_MS = 100;
const MAX_DELAY_MS = 60_000;
const RESET_AFTER_MS = 10_000;

/** Per-container back-off state; in memory, as dockerd keeps it. */
const delays = new Map<string, number>();
const timers = new Map<string, NodeJS.Timeout>();

/** Whether an exit should restart the container. `engineStart` is the restore after an engine
 * restart, where `always` also revives containers that exited while the engine was down. */
export function shouldRestart(record: ContainerRecord, exitCode: number): boolean {
  const policy = record.HostConfig.RestartPolicy;
  if (record.ManuallyStopped) return false;
  switch (policy.Name) {
    case 'always':
    case 'unless-stopped':
      return true;
    case 'on-failure':
      return exitCode !== 0 && (policy.MaximumRetryCount <= 0 || record.RestartCount < policy.MaximumRetryCount);
    default:
      return false;
  }
}

function nextDelay(record: ContainerRecord): number {
  const ranFor = Date.parse(record.State.FinishedAt) - Date.parse(record.State.StartedAt);
  const previous = delays.get(record.Id);
  const delay = previous === undefined || ranFor >= RESET_AFTER_MS ? INITIAL_DELAY_MS : Math.min(previous * 2, MAX_DELAY_MS);
  delays.set(record.Id, delay);
  return delay;
}

/** Schedules the restart after the back-off; the container shows as `restarting` meanwhile. The
 * caller holds the container's lock (an exit being applied). */
export async function scheduleRestart(ctx: ContainerContext, record: ContainerRecord): Promise<void> {
  const delay = nextDelay(record);
  await recordRestarting(ctx, record);
  const timer = setTimeout(() => {
    timers.delete(record.Id);
    ctx.withLock(record.Id, async () => {
      // A stop, kill or removal during the back-off wins over the restart.
      if (record.State.Status !== 'restarting' || record.ManuallyStopped || !ctx.store.find(record.Id)) return;
      record.RestartCount++;
      const { runContainer } = await import('./start-container.ts');
      try {
        await runContainer(ctx, record);
      } catch (error) {
        ctx.log(`restarting ${record.Name.slice(1)}: ${errorMessage(error)}`);
        return;
      }
      ctx.publish(record, 'restart');
    }).catch((error: unknown) => ctx.log(`restarting ${record.Name.slice(1)}: ${errorMessage(error)}`));
  }, delay);
  timers.set(record.Id, timer);
}

/** Cancels a pending restart (stop, rm, update of the policy to `no`). */
export function cancelRestart(id: string): boolean {
  const timer = timers.get(id);
  if (!timer) return false;
  clearTimeout(timer);
  timers.delete(id);
  return true;
}

export function forgetRestartState(id: string): void {
  cancelRestart(id);
  delays.delete(id);
}
