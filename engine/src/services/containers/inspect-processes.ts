// `docker top` and `docker resize` on a running container.
import { conflict } from '../../core/errors.ts';
import type { ContainerContext } from './context.ts';

function requireRunning(ctx: ContainerContext, ref: string) {
  const record = ctx.store.get(ref);
  if (record.State.Status !== 'running' && record.State.Status !== 'paused') {
    throw conflict(`Container ${record.Id} is not running`);
  }
  return record;
}

export async function topContainer(ctx: ContainerContext, ref: string, psArgs: string): Promise<{ Titles: string[]; Processes: string[][] }> {
  const record = requireRunning(ctx, ref);
  const pids = await ctx.runtime.pids(record.Id);
  return ctx.platform.processTable(pids, psArgs || '-ef');
}

export async function resizeContainer(ctx: ContainerContext, ref: string, height: number, width: number): Promise<void> {
  const record = requireRunning(ctx, ref);
  await ctx.runtime.resize(record.Id, height, width);
}
