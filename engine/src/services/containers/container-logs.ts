// `docker logs`: which records to read and when following ends. Framing is the API's business.
import { invalid } from '../../core/errors.ts';
import type { ContainerContext, LogEntry } from './context.ts';

export interface LogsQuery {
  stdout: boolean;
  stderr: boolean;
  follow: boolean;
  sinceNs?: bigint;
  untilNs?: bigint;
  tail?: number;
}

export function containerLogs(ctx: ContainerContext, ref: string, query: LogsQuery): { tty: boolean; entries: AsyncIterable<LogEntry>; cancel: () => void } {
  if (!query.stdout && !query.stderr) throw invalid('Bad parameters: you must choose at least one stream');
  const record = ctx.store.get(ref);
  const live = ['running', 'paused', 'restarting'].includes(record.State.Status);
  let stopWaiting = () => {};
  let resolveStopped = () => {};
  const stopped = new Promise<void>((resolve) => (resolveStopped = resolve));
  if (query.follow && live) {
    stopWaiting = ctx.addWaiter(record.Id, { condition: 'not-running', resolve: () => resolveStopped() });
  }
  const source = ctx.platform.readLog(ctx.platform.logPath(record.Id), {
    sinceNs: query.sinceNs,
    untilNs: query.untilNs,
    tail: query.tail,
    follow: query.follow && live,
    stopped,
  });
  async function* entries(): AsyncGenerator<LogEntry> {
    for await (const entry of source) {
      if (entry.stream === 'stdout' ? query.stdout : query.stderr) yield entry;
    }
  }
  return {
    tty: record.Config.Tty,
    entries: entries(),
    cancel: () => {
      stopWaiting();
      resolveStopped();
    },
  };
}
