// `docker logs`: which records to read and when following ends. Framing is the API's business.
import type { ContainerRecord } from '../../core/container-types.ts';
import { EngineError, invalid } from '../../core/errors.ts';
import type { ContainerContext, LogEntry } from './context.ts';

export interface LogsQuery {
  stdout: boolean;
  stderr: boolean;
  follow: boolean;
  sinceNs?: bigint;
  untilNs?: bigint;
  tail?: number;
  /** `--details`: each line starts with the attributes `--log-opt labels=/env=` chose. */
  details?: boolean;
}

/** Go's url.QueryEscape, which dockerd applies to each attribute key and value. */
function queryEscape(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`).replace(/%20/g, '+');
}

const safeRegex = (pattern: string | undefined): RegExp | undefined => {
  if (!pattern) return undefined;
  try {
    return new RegExp(pattern);
  } catch {
    return undefined;
  }
};

/** dockerd logger.Info.ExtraAttributes: the labels and env vars the log options name (or match),
 * written with every log line; `logs --details` shows them "k=v,k=v" sorted by key. They cannot
 * change after create, so they are computed here rather than stored per line. */
export function logAttributes(record: ContainerRecord): string {
  const options = record.HostConfig.LogConfig?.Config ?? {};
  const labels = record.Config.Labels ?? {};
  const env = new Map<string, string>();
  for (const entry of record.Config.Env ?? []) {
    const eq = entry.indexOf('=');
    if (eq > 0) env.set(entry.slice(0, eq), entry.slice(eq + 1));
  }
  const extra = new Map<string, string>();
  const pick = (names: string | undefined, pattern: string | undefined, from: Map<string, string>) => {
    for (const name of names ? names.split(',') : []) if (from.has(name)) extra.set(name, from.get(name) as string);
    const re = safeRegex(pattern);
    if (re) for (const [key, value] of from) if (re.test(key)) extra.set(key, value);
  };
  pick(options['labels'], options['labels-regex'], new Map(Object.entries(labels)));
  pick(options['env'], options['env-regex'], env);
  return [...extra.keys()].sort().map((key) => `${queryEscape(key)}=${queryEscape(extra.get(key) as string)}`).join(',');
}

export function containerLogs(ctx: ContainerContext, ref: string, query: LogsQuery): { tty: boolean; entries: AsyncIterable<LogEntry>; cancel: () => void } {
  if (!query.stdout && !query.stderr) throw invalid('Bad parameters: you must choose at least one stream');
  const record = ctx.store.get(ref);
  // dockerd's logger.ErrReadLogsNotSupported (a NotImplemented error).
  if (record.HostConfig.LogConfig?.Type === 'none') throw new EngineError('not-implemented', 'configured logging driver does not support reading');
  const prefix = query.details ? Buffer.from(`${logAttributes(record)} `) : undefined;
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
    // The attributes start each line, not each record of a line the process wrote in pieces.
    const lineStart = { stdout: true, stderr: true };
    for await (const entry of source) {
      if (!(entry.stream === 'stdout' ? query.stdout : query.stderr)) continue;
      const atStart = lineStart[entry.stream];
      lineStart[entry.stream] = entry.data.at(-1) === 0x0a;
      yield prefix && atStart ? { ...entry, data: Buffer.concat([prefix, entry.data]) } : entry;
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
