// `docker stop`, `kill`, `restart`, `pause`, `unpause`.
//
// Stop and kill send their signal under the container's lock but wait for the exit without it:
// the exit is applied under that same lock (exit-handler.ts), so waiting while holding it would
// deadlock. The waiter is registered before the signal goes out, so no exit is missed.
import type { ContainerRecord } from '../../core/container-types.ts';
import { conflict, EngineError, errorMessage, notModified } from '../../core/errors.ts';
import { parseSignal, signalName } from '../../core/signals.ts';
import type { ContainerContext } from './context.ts';
import { recordPaused, recordRestartAbandoned, recordResumed } from './lifecycle-state.ts';
import { runContainer } from './start-container.ts';
import { cancelRestart } from './restart-policy.ts';

const SIGKILL = 9;
const FOREVER_MS = 2 ** 31 - 1;
export const isLive = (record: ContainerRecord) => ['running', 'paused', 'restarting'].includes(record.State.Status);

/** An exit being waited for; `until` resolves true once the exit was applied (false on timeout). */
export interface ExitWait {
  until(ms: number): Promise<boolean>;
}

/**
 * Registers for the exit, then sends `signal`. Call with the lock held; await the wait without.
 * The stop signal goes to PID 1 only, as dockerd sends it (daemon/kill.go signals the init
 * process): a shell that traps TERM decides what its children get. So does SIGKILL when the
 * container has its own PID namespace: the kernel kills the rest with PID 1. In a shared one
 * (--pid host or container:…) SIGKILL goes to every process of the container, so that nothing is
 * left behind.
 */
export async function signalForExit(ctx: ContainerContext, record: ContainerRecord, signal: number): Promise<ExitWait> {
  let exited = false;
  let wake = () => {};
  const woken = new Promise<void>((resolve) => {
    wake = resolve;
  });
  const remove = ctx.addWaiter(record.Id, {
    condition: 'not-running',
    resolve: () => {
      exited = true;
      wake();
    },
  });
  try {
    await ctx.runtime.kill(record.Id, signal, signal === SIGKILL && (record.HostConfig.PidMode ?? '') !== '');
  } catch (error) {
    // The process may have ended between our check and the signal; only then is this fine.
    const state = await ctx.runtime.state(record.Id).catch(() => undefined);
    if (state && state.status !== 'stopped') {
      remove();
      throw error;
    }
  }
  return {
    async until(ms: number): Promise<boolean> {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([woken, new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]);
      clearTimeout(timer);
      remove();
      return exited || !isLive(record);
    },
  };
}

/** A container between restarts has no process: stopping it only cancels the restart. */
async function stopRestarting(ctx: ContainerContext, record: ContainerRecord): Promise<boolean> {
  if (record.State.Status !== 'restarting') return false;
  cancelRestart(record.Id);
  record.ManuallyStopped = true;
  await recordRestartAbandoned(ctx, record);
  ctx.notify(record, 'exit');
  return true;
}

/** Stops the container's process: the stop signal, then SIGKILL after the timeout. */
async function stopProcess(ctx: ContainerContext, record: ContainerRecord, signalOverride: string | undefined, timeoutSeconds: number | undefined): Promise<void> {
  const graceful = await ctx.withLock(record.Id, async () => {
    if (!isLive(record)) throw notModified();
    record.ManuallyStopped = true;
    if (await stopRestarting(ctx, record)) return undefined;
    if (record.State.Status === 'paused') {
      // A resume that fails (the process is gone) leaves the exit to record the truth.
      await ctx.runtime.resume(record.Id).then(() => recordResumed(ctx, record), () => undefined);
    }
    const signal = parseSignal(signalOverride || record.Config.StopSignal || 'SIGTERM');
    ctx.publish(record, 'kill', { signal: String(signal) });
    return signalForExit(ctx, record, signal);
  });
  const timeout = timeoutSeconds ?? record.Config.StopTimeout ?? 10;
  // A negative timeout means wait forever (API: "t" - number of seconds to wait).
  if (graceful && !(await graceful.until(timeout < 0 ? FOREVER_MS : timeout * 1000))) {
    const forced = await ctx.withLock(record.Id, async () => {
      if (!isLive(record)) return undefined;
      ctx.publish(record, 'kill', { signal: String(SIGKILL) });
      return signalForExit(ctx, record, SIGKILL);
    });
    await forced?.until(30_000);
  }
  ctx.publish(record, 'stop');
}

export async function stopContainer(ctx: ContainerContext, ref: string, options: { signal?: string; timeout?: number }): Promise<void> {
  await stopProcess(ctx, ctx.store.get(ref), options.signal, options.timeout);
}

export async function killContainer(ctx: ContainerContext, ref: string, signalText = 'SIGKILL'): Promise<void> {
  // dockerd parses the signal before it looks for the container, and says so without a prefix.
  const signal = parseSignal(signalText);
  // Every other failure reads "Cannot kill container: REF: …" (dockerd's kill route wraps them).
  await killLive(ctx, ref, signal).catch((error: unknown) => {
    const kind = error instanceof EngineError ? error.kind : 'system';
    throw new EngineError(kind, `Cannot kill container: ${ref}: ${errorMessage(error)}`, { cause: error });
  });
}

async function killLive(ctx: ContainerContext, ref: string, signal: number): Promise<void> {
  const record = ctx.store.get(ref);
  const killed = await ctx.withLock(record.Id, async () => {
    if (!isLive(record)) throw conflict(`Container ${record.Id} is not running`);
    // dockerd marks every kill as a manual stop: restart policies no longer apply (daemon/kill.go).
    record.ManuallyStopped = true;
    if (await stopRestarting(ctx, record)) return undefined;
    if (signal !== SIGKILL && record.State.Status === 'paused') {
      throw conflict(`Container ${record.Id} is paused; ${signalName(signal)} cannot be delivered. Unpause the container before stopping or killing`);
    }
    ctx.publish(record, 'kill', { signal: String(signal) });
    // dockerd waits for a SIGKILL to take effect so that `kill && ps` shows the exit.
    if (signal === SIGKILL) return signalForExit(ctx, record, signal);
    await ctx.runtime.kill(record.Id, signal, false);
    return undefined;
  });
  await killed?.until(10_000);
}

export async function restartContainer(ctx: ContainerContext, ref: string, options: { signal?: string; timeout?: number }): Promise<void> {
  const record = ctx.store.get(ref);
  // As dockerd does (daemon/restart.go): the stop of a restart is no reason to auto-remove.
  ctx.keepOnExit.add(record.Id);
  try {
    await stopProcess(ctx, record, options.signal, options.timeout).catch((error: unknown) => {
      if (!(error instanceof EngineError && error.kind === 'not-modified')) throw error;
    });
  } finally {
    ctx.keepOnExit.delete(record.Id);
  }
  await ctx.withLock(record.Id, async () => {
    ctx.store.get(record.Id);
    // Started by someone else between the stop and now: running is what a restart asks for.
    if (record.State.Status !== 'running') await runContainer(ctx, record);
    ctx.publish(record, 'restart');
  });
}

export async function pauseContainer(ctx: ContainerContext, ref: string): Promise<void> {
  const record = ctx.store.get(ref);
  await ctx.withLock(record.Id, async () => {
    if (record.State.Status === 'paused') throw conflict(`Container ${record.Id} is already paused`);
    if (record.State.Status !== 'running') throw conflict(`Container ${record.Id} is not running`);
    await ctx.runtime.pause(record.Id);
    await recordPaused(ctx, record);
    ctx.publish(record, 'pause');
  });
}

export async function unpauseContainer(ctx: ContainerContext, ref: string): Promise<void> {
  const record = ctx.store.get(ref);
  await ctx.withLock(record.Id, async () => {
    if (record.State.Status !== 'paused') throw conflict(`Container ${record.Id} is not paused`);
    await ctx.runtime.resume(record.Id);
    await recordResumed(ctx, record);
    ctx.publish(record, 'unpause');
  });
}
