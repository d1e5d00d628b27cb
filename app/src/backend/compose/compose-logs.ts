// `composeLogs` stream: the logs of every container of one compose project, merged in the order
// lines arrive and followed, each line tagged with its service (LogLine.source) so the view can
// prefix and colour it. Containers that start later (a stopped project started again, a service
// scaled up) join through the engine's events: a container's follow ends when it stops (Docker
// API "Get container logs", follow), and its next start re-attaches after the last line read.
// Batching and backpressure as for one container's logs (streams/logs.ts).
import type { IncomingMessage } from 'node:http';
import type { LogLine } from '../../common/desktop-api.ts';
import { requireInteger, requireObject } from '../argument-checks.ts';
import type { BackendContext } from '../backend-context.ts';
import type { StreamSession, StreamSink } from '../desktop-backend.ts';
import { engineJson, engineStream } from '../engine-request.ts';
import { LogLineParser } from '../streams/log-lines.ts';
import { SinkBatcher } from '../streams/sink-batcher.ts';
import { isOneOff } from './compose-order.ts';
import { PROJECT_LABEL, projectArg, projectContainers, SERVICE_LABEL } from './compose-projects.ts';


/** RFC 3339 with nanoseconds (the engine's timestamps=1 prefix) → nanoseconds since the epoch. */
export function timestampNs(timestamp: string): bigint | undefined {
  const match = /^(.*T\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?(Z|[+-]\d\d:\d\d)$/.exec(timestamp);
  if (!match) return undefined;
  const ms = Date.parse(`${match[1]}${match[3]}`);
  if (Number.isNaN(ms)) return undefined;
  return BigInt(ms) * 1_000_000n + BigInt((match[2] ?? '').padEnd(9, '0'));
}

/** `since` as GET /containers/{id}/logs takes it (seconds.nanoseconds; inclusive, hence the + 1). */
export function sinceAfter(ns: bigint): string {
  const next = ns + 1n;
  return `${next / 1_000_000_000n}.${String(next % 1_000_000_000n).padStart(9, '0')}`;
}

interface Attachment {
  response?: IncomingMessage;
}

interface ContainerInfo { Config?: { Tty?: boolean }; State?: { Running?: boolean; StartedAt?: string } }

export async function openComposeLogsStream(context: BackendContext, args: unknown[], sink: StreamSink<LogLine[]>): Promise<StreamSession<never>> {
  const project = projectArg(args[0]);
  const tail = requireInteger(requireObject(args[1], 'compose log options').tail, 'compose log options.tail', 0, 10_000_000);
  const docker = context.target.docker;
  const attached = new Map<string, Attachment>();
  let closed = false;
  const batcher = new SinkBatcher<LogLine>(sink, (lines) => sink.next(lines),
    () => [...attached.values()].flatMap((a) => (a.response ? [a.response] : [])));

  const inspect = (id: string) => engineJson<ContainerInfo>(docker, { method: 'GET', path: `/containers/${id}/json` });

  /** Per container, the engine's timestamp of the newest line read: a later attach reads on from
   * there, so a new run's first lines (printed before its start event arrives) are not lost and
   * the old run's lines are not read twice. */
  const lastSeen = new Map<string, bigint>();
  const from = (id: string): { since: string } | { tail: 'all' } => {
    const seen = lastSeen.get(id);
    return seen === undefined ? { tail: 'all' } : { since: sinceAfter(seen) };
  };

  const attach = async (id: string, service: string, start: { tail: number | 'all' } | { since: string }) => {
    const attachment: Attachment = {};
    attached.set(id, attachment);
    let startedAt: string | undefined;
    // The follow ended (the run stopped, or it had stopped before the request). If a new run
    // began meanwhile (a quick restart, or a start racing the attach), read on from the last line seen.
    const finish = async () => {
      if (attached.get(id) !== attachment || closed) return;
      const now = await inspect(id).catch(() => undefined);
      if (attached.get(id) !== attachment || closed) return;
      attached.delete(id);
      const next = now?.State?.StartedAt;
      if (now?.State?.Running && next && next !== startedAt) void attach(id, service, from(id));
    };
    try {
      const info = await inspect(id);
      startedAt = info.State?.StartedAt;
      const query = 'tail' in start ? { tail: start.tail } : { since: start.since };
      const response = await engineStream(docker, {
        method: 'GET', path: `/containers/${id}/logs`, query: { stdout: 1, stderr: 1, follow: 1, timestamps: 1, ...query },
      });
      if (closed) {
        response.destroy();
        return;
      }
      attachment.response = response;
      if (batcher.paused) response.pause();
      const parser = new LogLineParser({ tty: info.Config?.Tty === true, timestamps: true }, (line) => {
        const ns = line.timestamp === undefined ? undefined : timestampNs(line.timestamp);
        if (ns !== undefined) lastSeen.set(id, ns);
        batcher.push({ stream: line.stream, text: line.text, source: service, ...(line.timestamp !== undefined ? { timestamp: line.timestamp } : {}) });
      });
      response.on('data', (chunk: Buffer) => parser.push(chunk));
      let done = false;
      const end = () => {
        if (done) return;
        done = true;
        parser.end();
        batcher.flush();
        void finish();
      };
      response.once('end', end);
      response.once('close', end);
      response.once('error', end);
    } catch {
      // Removed between the listing and the attach: nothing to show for it.
      if (attached.get(id) === attachment) attached.delete(id);
    }
  };

  const unsubscribe = context.events.subscribe({
    onEvent(event) {
      if (closed || event.Type !== 'container' || event.Action !== 'start') return;
      const attributes = event.Actor?.Attributes ?? {};
      // One-off containers (`compose run`) are not the project's services: `compose logs` leaves them out too.
      if (attributes[PROJECT_LABEL] !== project || isOneOff(attributes)) return;
      const id = event.Actor.ID;
      // Still attached: the open log is this run's, or its end will find the new run (finish above).
      if (attached.has(id)) return;
      void attach(id, attributes[SERVICE_LABEL] ?? id.slice(0, 12), from(id));
    },
  });

  try {
    for (const container of await projectContainers(context, project)) {
      if (isOneOff(container.Labels)) continue;
      if (!attached.has(container.Id)) void attach(container.Id, container.Labels?.[SERVICE_LABEL] ?? container.Id.slice(0, 12), { tail });
    }
  } catch (error) {
    unsubscribe();
    throw error;
  }

  return {
    close() {
      closed = true;
      batcher.stop();
      unsubscribe();
      for (const a of attached.values()) a.response?.destroy();
      attached.clear();
    },
  };
}
