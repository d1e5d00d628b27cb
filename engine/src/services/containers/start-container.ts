// `docker start`: mount the snapshot, build the OCI spec, hand the container to the monitor,
// connect attaches that were waiting, then let the process run. The whole sequence holds the
// container's lock, so the exit of a process that ends at once is applied after `running` is
// recorded (exit-handler.ts).
import type { ContainerRecord } from '../../core/container-types.ts';
import { conflict, errorMessage, EngineError, notFound, notModified } from '../../core/errors.ts';
import type { ContainerContext } from './context.ts';
import { watchContainerExit } from './exit-handler.ts';
import { recordStarted, recordStartFailure, ZERO_TIME } from './lifecycle-state.ts';

const ATTACH_WAIT_MS = 10_000;

/** dockerd reports start failures with the runtime's text; the CLI picks its exit code from it
 * ("executable file not found" / "no such file" → 127, "permission denied" → 126). */
function startFailureCode(message: string): number {
  if (/executable file not found|no such file or directory/i.test(message)) return 127;
  if (/permission denied/i.test(message)) return 126;
  return 128;
}

/** `--pid container:<name|id>`: the running container whose PID namespace this one joins
 * (dockerd getPidContainer, with its messages). */
function pidContainerPid(ctx: ContainerContext, record: ContainerRecord): number | undefined {
  const mode = record.HostConfig.PidMode ?? '';
  if (!mode.startsWith('container:')) return undefined;
  const ref = mode.slice('container:'.length);
  const other = ctx.store.find(ref);
  if (!other) throw notFound(`cannot join PID of a non running container: ${ref}: No such container: ${ref}`);
  if (other.State.Status !== 'running' && other.State.Status !== 'paused') throw conflict(`container ${other.Id} is not running`);
  return other.State.Pid;
}

export async function startContainer(ctx: ContainerContext, ref: string): Promise<void> {
  const record = ctx.store.get(ref);
  await ctx.withLock(record.Id, async () => {
    const status = record.State.Status;
    if (status === 'running') throw notModified();
    if (status === 'paused') throw conflict('cannot start a paused container, try unpause instead');
    if (status === 'removing' || status === 'dead') throw conflict(`container ${record.Id} is marked for removal and cannot be started`);
    await runContainer(ctx, record);
  });
}

/** The start sequence itself; callers hold the container's lock. */
export async function runContainer(ctx: ContainerContext, record: ContainerRecord): Promise<void> {
  const id = record.Id;
  const before = record.State.Status;
  const pending = ctx.pendingAttaches.get(id) ?? [];
  ctx.pendingAttaches.delete(id);
  try {
    // Leftover runtime state (an exit the engine could not clean up) would make runc refuse the id.
    const cleanup = ctx.runtimeCleanups.get(id);
    ctx.runtimeCleanups.delete(id);
    if (cleanup) await cleanup;
    else if (record.State.StartedAt !== ZERO_TIME) await ctx.runtime.delete(id, true).catch(() => undefined);
    const pidNamespaceOf = pidContainerPid(ctx, record);
    // The rootfs mount and the network set-up (netns, netavark) need nothing of each other: run
    // them side by side. Both settle before anything else happens, so a failure of one never
    // leaves the other running under the clean-up below.
    const [mounted, connected] = await Promise.allSettled([
      ctx.snapshotter.mountContainer(id, record.TopChainId),
      ctx.networking?.connect(record),
    ]);
    if (mounted.status === 'rejected') throw mounted.reason;
    if (connected.status === 'rejected') throw connected.reason;
    const rootfs = mounted.value;
    const network = connected.value;
    const mounts = await ctx.volumes?.mounts(record, rootfs);
    const { spec, bundleDir } = await ctx.platform.prepareStart(record, rootfs, { network, mounts, pidNamespaceOf });
    const { pid } = await ctx.runtime.create({
      id,
      bundleDir,
      spec,
      tty: record.Config.Tty,
      openStdin: record.Config.OpenStdin,
      stdinOnce: record.Config.StdinOnce,
      logPath: record.HostConfig.LogConfig?.Type === 'none' ? undefined : ctx.platform.logPath(id),
    });
    // conmon sends output only to clients that connected before the process started (attach.ts):
    // a process that exits at once would otherwise leave its attach nothing to connect to
    // ("cannot attach: container is not running") and its output unseen.
    const sessions = pending.splice(0).map((connect) => {
      const session = ctx.runtime.attach(id, { stdin: record.Config.OpenStdin });
      connect(session);
      return session;
    });
    // Bounded: an attach that neither connects nor fails must not hold the start (and its lock).
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.allSettled(sessions), new Promise((resolve) => (timer = setTimeout(resolve, ATTACH_WAIT_MS)))]);
    clearTimeout(timer);
    watchContainerExit(ctx, record);
    await ctx.runtime.start(id);
    record.ManuallyStopped = false;
    await recordStarted(ctx, record, pid);
    ctx.publish(record, 'start');
  } catch (error) {
    const message = errorMessage(error);
    for (const connect of pending) connect(Promise.reject(error));
    ctx.exitWatches.get(id)?.();
    ctx.exitWatches.delete(id);
    // An exit of this run that is already queued behind us finds the run over and does nothing.
    ctx.endRun(id);
    await ctx.runtime.delete(id, true).catch(() => undefined);
    await ctx.networking?.disconnect(record).catch(() => undefined);
    await ctx.volumes?.unmount(record).catch(() => undefined);
    await ctx.snapshotter.unmountContainer(id).catch(() => undefined);
    await ctx.platform.releaseStart(id).catch(() => undefined);
    await recordStartFailure(ctx, record, startFailureCode(message), message).catch(() => undefined);
    // A start that fails is no exit: dockerd wakes no waiter for it (daemon/start.go never marks
    // the container stopped), so `docker run` reports the start error alone and a next-exit wait
    // goes on to the next real exit. A restart of the policy that fails does end the restarting
    // state (daemon/monitor.go marks it stopped).
    if (before === 'restarting') ctx.notify(record, 'exit');
    if (record.HostConfig.AutoRemove) {
      const { removeContainer } = await import('./remove-container.ts');
      await removeContainer(ctx, id, { force: true, locked: true }).catch(() => undefined);
    }
    if (error instanceof EngineError) throw error;
    throw new EngineError('system', message, { cause: error });
  }
}
