// `logs` stream: GET /containers/{id}/logs?stdout=1&stderr=1 (Docker API "Get container logs").
// Lines go out in batches — at most one every ~30 ms, or sooner once 5,000 lines are waiting — so
// a container printing 100,000 lines/s costs the transport a few dozen messages a second. When the
// transport is congested (sink.next → false) the HTTP response is paused until it drains, so
// memory stays bounded and the engine's socket applies backpressure to the log reader.
import type { IncomingMessage } from 'node:http';
import type { LogLine, LogOptions } from '../../common/desktop-api.ts';
import { requireBoolean, requireObject, resourceId } from '../argument-checks.ts';
import type { BackendContext } from '../backend-context.ts';
import { badRequest } from '../backend-error.ts';
import type { StreamSession, StreamSink } from '../desktop-backend.ts';
import { engineJson, engineStream } from '../engine-request.ts';
import { LogLineParser } from './log-lines.ts';

const BATCH_INTERVAL_MS = 30;
const BATCH_MAX_LINES = 5000;

export function checkLogOptions(value: unknown): LogOptions {
  const options = requireObject(value, 'log options');
  const tail = options.tail ?? 'all';
  if (tail !== 'all' && (typeof tail !== 'number' || !Number.isInteger(tail) || tail < 0)) {
    throw badRequest('log options.tail must be a whole number of lines or "all"');
  }
  return { follow: requireBoolean(options.follow, 'log options.follow'), tail, timestamps: requireBoolean(options.timestamps, 'log options.timestamps') };
}

export async function openLogsStream(context: BackendContext, args: unknown[], sink: StreamSink<LogLine[]>): Promise<StreamSession<never>> {
  const id = encodeURIComponent(resourceId(args[0], 'container id'));
  const options = checkLogOptions(args[1]);
  const docker = context.target.docker;
  // Like `docker logs`, read Config.Tty first: TTY logs are raw bytes, the rest are framed.
  const info = await engineJson<{ Config?: { Tty?: boolean } }>(docker, { method: 'GET', path: `/containers/${id}/json` });
  const response = await engineStream(docker, {
    method: 'GET',
    path: `/containers/${id}/logs`,
    query: logQuery(options),
  });
  return pumpLogLines(response, { tty: info.Config?.Tty === true, timestamps: options.timestamps }, sink);
}

/** The query of a logs request (containers, and swarm services: the same parameters). */
export function logQuery(options: LogOptions): Record<string, string | number> {
  return { stdout: 1, stderr: 1, follow: options.follow ? 1 : 0, tail: options.tail, timestamps: options.timestamps ? 1 : 0 };
}

/** Reads a logs response into batches of lines for `sink`; shared with the service logs stream. */
export function pumpLogLines(response: IncomingMessage, format: { tty: boolean; timestamps: boolean }, sink: StreamSink<LogLine[]>): StreamSession<never> {

  let batch: LogLine[] = [];
  let timer: NodeJS.Timeout | undefined;
  let closed = false;
  let waitingForDrain = false;

  const flush = () => {
    clearTimeout(timer);
    timer = undefined;
    if (batch.length === 0 || closed) return;
    const lines = batch;
    batch = [];
    if (!sink.next(lines) && !waitingForDrain) {
      waitingForDrain = true;
      response.pause();
      sink.onDrain(() => {
        waitingForDrain = false;
        if (!closed) response.resume();
      });
    }
  };

  const parser = new LogLineParser(format, (line) => {
    batch.push(line);
    if (batch.length >= BATCH_MAX_LINES) flush();
    else if (!timer) timer = setTimeout(flush, BATCH_INTERVAL_MS);
  });

  response.on('data', (chunk: Buffer) => parser.push(chunk));
  response.once('end', () => {
    if (closed) return;
    parser.end();
    flush();
    closed = true;
    sink.complete();
  });
  response.once('error', (error) => {
    if (closed) return;
    closed = true;
    clearTimeout(timer);
    sink.error(error);
  });
  response.once('close', () => {
    // Closed without 'end' (the engine went away mid-follow): deliver what arrived, then end.
    if (closed) return;
    parser.end();
    flush();
    closed = true;
    sink.complete();
  });

  return {
    close() {
      closed = true;
      clearTimeout(timer);
      response.destroy();
    },
  };
}
