// `docker stop`, `kill`, `restart`, `pause`, `unpause`.
import type { ContainerRecord } from '../../core/container-types.ts';
import { conflict, notModified } from '../../core/errors.ts';
import { parseSignal, signalName } from '../../core/signals.ts';
import type { ContainerContext } from './context.ts';
import { runContainer } from './start-container.ts';
import { cancelRestart } from './restart-policy.ts';

const SIGKILL = 9;
const isLive = (record: ContainerRecord) => ['running', 'paused', 'restarting'].includes(record.State.Status);

/** Sends `signal` and waits up to `ms` for the exit to be recorded; true if it was. */
export async function killAndWait(ctx: ContainerContext, record: ContainerRecord, signal: number, ms: number): Promise<boolean> {
  if (!isLive(record)) return true;
  let cancel = () => {};
  const exited = new Promise<boolean>((resolve) => {
    const remove = ctx.addWaiter(record.Id, { condition: 'not-running', resolve: () => resolve(true) });
    const timer = setTimeout(() => resolve(false), ms);
    cancel = () => {
      clearTimeout(timer);
      remove();
    };
  });
  try {
    await ctx.runtime.kill(record.Id, signal, true);
  } catch (error) {
    // The process may have ended between our check and the signal; only then is this fine.
    const state = await ctx.runtime.state(record.Id).catch(() => undefined);
    if (state && state.status !== 'stopped') {
      cancel();
      throw error;
    }
  }
  const done = await exited;
  cancel();
  return done || !isLive(record);
}

/** A container between restarts has no process: stopping it only cancels the restart. */
async function stopRestarting(ctx: ContainerContext, record: ContainerRecord): Promise<boolean> {
  if (record.State.Status !== 'restarting') return false;
  cancelRestart(record.Id);
  record.ManuallyStopped = true;
  record.State.Status = 'exited';
  await ctx.store.save(record);
  ctx.notify(record, 'exit');
  return true;
}

async function stopLocked(ctx: ContainerContext, record: ContainerRecord, signalOverride: string | undefined, timeoutSeconds: number | undefined): Promise<void> {
  if (!isLive(record)) throw notModified();
  record.ManuallyStopped = true;
  if (await stopRestarting(ctx, record)) {
    ctx.publish(record, 'stop');
    return;
  }
  if (record.State.Status === 'paused') await ctx.runtime.resume(record.Id).catch(() => undefined);
  const signal = parseSignal(signalOverride || record.Config.StopSignal || 'SIGTERM');
  const timeout = timeoutSeconds ?? record.Config.StopTimeout ?? 10;
  ctx.publish(record, 'kill', { signal: String(signal) });
  // A negative timeout means wait forever (API: "t" - number of seconds to wait).
  const graceful = await killAndWait(ctx, record, signal, timeout < 0 ? 2 ** 31 - 1 : timeout * 1000);
  if (!graceful) {
    ctx.publish(record, 'kill', { signal: String(SIGKILL) });
    await killAndWait(ctx, record, SIGKILL, 30_000);
  }
  ctx.publish(record, 'stop');
}

export async function stopContainer(ctx: ContainerContext, ref: string, options: { signal?: string; timeout?: number }): Promise<void> {
  const record = ctx.store.get(ref);
  await ctx.withLock(record.Id, () => stopLocked(ctx, record, options.signal, options.timeout));
}

export async function killContainer(ctx: ContainerContext, ref: string, signalText = 'SIGKILL'): Promise<void> {
  const record = ctx.store.get(ref);
  const signal = parseSignal(signalText);
  await ctx.withLock(record.Id, async () => {
    if (!isLive(record)) throw conflict(`Cannot kill container: ${ref}: Container ${record.Id} is not running`);
    // dockerd marks every kill as a manual stop: restart policies no longer apply (daemon/kill.go).
    record.ManuallyStopped = true;
    if (await stopRestarting(ctx, record)) return;
    ctx.publish(record, 'kill', { signal: String(signal) });
    if (signal === SIGKILL || record.State.Status !== 'paused') {
      // dockerd waits for a SIGKILL to take effect so that `kill && ps` shows the exit.
      if (signal === SIGKILL) await killAndWait(ctx, record, signal, 10_000);
      else await ctx.runtime.kill(record.Id, signal, false);
    } else {
      throw conflict(`Cannot kill container: ${ref}: Container ${record.Id} is paused; ${signalName(signal)} cannot be delivered. Unpause the container before stopping or killing`);
    }
  });
}

export async function restartContainer(ctx: ContainerContext, ref: string, options: { signal?: string; timeout?: number }): Promise<void> {
  const record = ctx.store.get(ref);
  await ctx.withLock(record.Id, async () => {
    if (isLive(record)) await stopLocked(ctx, record, options.signal, options.timeout);
    await runContainer(ctx, record);
    ctx.publish(record, 'restart');
  });
}

export async function pauseContainer(ctx: ContainerContext, ref: string): Promise<void> {
  const record = ctx.store.get(ref);
  await ctx.withLock(record.Id, async () => {
    if (record.State.Status === 'paused') throw conflict(`Container ${record.Id} is already paused`);
    if (record.State.Status !== 'running') throw conflict(`Container ${record.Id} is not running`);
    await ctx.runtime.pause(record.Id);
    await ctx.move(record, 'paused');
    ctx.publish(record, 'pause');
  });
}

export async function unpauseContainer(ctx: ContainerContext, ref: string): Promise<void> {
  const record = ctx.store.get(ref);
  await ctx.withLock(record.Id, async () => {
    if (record.State.Status !== 'paused') throw conflict(`Container ${record.Id} is not paused`);
    await ctx.runtime.resume(record.Id);
    await ctx.move(record, 'running');
    ctx.publish(record, 'unpause');
  });
}
