// `POST /containers/{id}/wait`: resolves when the condition holds (API "ContainerWait").
import { invalid } from '../../core/errors.ts';
import type { ContainerContext, WaitCondition } from './context.ts';

export interface WaitResult {
  StatusCode: number;
  Error: { Message: string } | null;
}

export function parseWaitCondition(value: string | null): WaitCondition {
  if (value === null || value === '' || value === 'not-running') return 'not-running';
  if (value === 'next-exit' || value === 'removed') return value;
  throw invalid(`invalid condition: "${value}"`);
}

/** Returns at once (after validating) a promise for the result, plus a cancel for when the
 * client goes away. The container must exist when the wait begins. */
export function waitContainer(ctx: ContainerContext, ref: string, condition: WaitCondition): { result: Promise<WaitResult>; cancel: () => void } {
  const record = ctx.store.get(ref);
  const live = ['running', 'paused', 'restarting', 'removing'].includes(record.State.Status);
  if (condition === 'not-running' && !live) {
    const error = record.State.Error ? { Message: record.State.Error } : null;
    return { result: Promise.resolve({ StatusCode: record.State.ExitCode, Error: error }), cancel: () => {} };
  }
  let cancel = () => {};
  const result = new Promise<WaitResult>((resolve) => {
    cancel = ctx.addWaiter(record.Id, { condition, resolve });
  });
  return { result, cancel };
}
