// `docker attach` (and the attach `docker run` makes before start): a session on the monitor's
// stdio, either now (running) or as soon as the container starts.
import type { AttachSession } from '../../core/interfaces.ts';
import type { ContainerContext } from './context.ts';

export interface AttachPlan {
  tty: boolean;
  /** Whether the container keeps stdin open, so the client's stdin should be forwarded. */
  stdin: boolean;
  /** Close the container's stdin when the client's stdin ends (StdinOnce, as `run -i` sets). */
  stdinOnce: boolean;
  session: Promise<AttachSession>;
}

export function attachContainer(ctx: ContainerContext, ref: string, wantStdin: boolean): AttachPlan {
  const record = ctx.store.get(ref);
  const stdin = wantStdin && record.Config.OpenStdin;
  let session: Promise<AttachSession>;
  if (record.State.Status === 'running' || record.State.Status === 'paused') {
    session = ctx.runtime.attach(record.Id, { stdin });
  } else {
    session = new Promise((resolve, reject) => {
      const list = ctx.pendingAttaches.get(record.Id) ?? [];
      list.push((started) => started.then(resolve, reject));
      ctx.pendingAttaches.set(record.Id, list);
    });
  }
  ctx.publish(record, 'attach');
  return { tty: record.Config.Tty, stdin, stdinOnce: record.Config.StdinOnce, session };
}
