// The only writer of a container's State (DESIGN.md rule 3). Every change of Status goes through
// the state machine (an illegal move throws, it is never skipped), and is saved before the caller
// goes on. ContainerState's fields are readonly everywhere else, so the compiler keeps it so; the
// health monitor's State.Health is the one field kept elsewhere (it never touches Status).
import type { ContainerRecord, ContainerState, ContainerStatus } from '../../core/container-types.ts';
import type { ExitInfo } from '../../core/interfaces.ts';
import { assertMove } from '../../core/state-machine.ts';
import type { ContainerContext } from './context.ts';

/** Docker's "zero time" for StartedAt/FinishedAt that never happened. */
export const ZERO_TIME = '0001-01-01T00:00:00Z';

type Fields = Partial<Omit<ContainerState, 'Status' | 'Health'>>;

function write(record: ContainerRecord, next: ContainerState): void {
  (record as { State: ContainerState }).State = next;
}

async function move(ctx: ContainerContext, record: ContainerRecord, to: ContainerStatus, fields: Fields = {}): Promise<void> {
  assertMove(record.State.Status, to, record.Name.slice(1));
  write(record, { ...record.State, ...fields, Status: to });
  await ctx.store.save(record);
}

/** Changes fields other than Status (a failed start leaves a created container created). */
async function amend(ctx: ContainerContext, record: ContainerRecord, fields: Fields): Promise<void> {
  write(record, { ...record.State, ...fields });
  await ctx.store.save(record);
}

/** The process runs: recorded after the runtime started it (and before its exit is applied). */
export async function recordStarted(ctx: ContainerContext, record: ContainerRecord, pid: number): Promise<void> {
  await move(ctx, record, 'running', { Pid: pid, ExitCode: 0, Error: '', StartedAt: new Date().toISOString(), FinishedAt: ZERO_TIME, OOMKilled: false });
}

/** The start sequence failed before the process ran: a created container stays created (as in
 * dockerd), one that had run before stays exited, one between restarts becomes exited. */
export async function recordStartFailure(ctx: ContainerContext, record: ContainerRecord, exitCode: number, message: string): Promise<void> {
  const fields = { Pid: 0, ExitCode: exitCode, Error: message };
  const status = record.State.Status;
  if (status === 'created' || status === 'exited') await amend(ctx, record, fields);
  else await move(ctx, record, 'exited', fields);
}

/** The process ended. A save that fails is noted in State.Error: the exit itself did happen. */
export async function recordExit(ctx: ContainerContext, record: ContainerRecord, exit: ExitInfo): Promise<void> {
  try {
    await move(ctx, record, 'exited', { Pid: 0, ExitCode: exit.exitCode, OOMKilled: exit.oomKilled, FinishedAt: new Date(exit.finishedAt).toISOString() });
  } catch (error) {
    if (record.State.Status !== 'exited') throw error;
    write(record, { ...record.State, Error: error instanceof Error ? error.message : String(error) });
  }
}

export const recordPaused = (ctx: ContainerContext, record: ContainerRecord) => move(ctx, record, 'paused');
export const recordResumed = (ctx: ContainerContext, record: ContainerRecord) => move(ctx, record, 'running');
/** Waiting out a restart policy's back-off. */
export const recordRestarting = (ctx: ContainerContext, record: ContainerRecord) => move(ctx, record, 'restarting');
/** A restart that was cancelled (stop during the back-off) or could not happen. */
export const recordRestartAbandoned = (ctx: ContainerContext, record: ContainerRecord) => move(ctx, record, 'exited');
export const recordRemoving = (ctx: ContainerContext, record: ContainerRecord) => move(ctx, record, 'removing');
/** A removal the previous engine did not finish. */
export const recordDead = (ctx: ContainerContext, record: ContainerRecord) => move(ctx, record, 'dead');

/** Engine start: the runtime still runs the container; take its word for status and pid. */
export async function recordAdopted(ctx: ContainerContext, record: ContainerRecord, status: 'running' | 'paused', pid: number): Promise<void> {
  if (record.State.Status === status) await amend(ctx, record, { Pid: pid });
  else await move(ctx, record, status, { Pid: pid });
}
