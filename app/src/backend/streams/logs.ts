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
import { SinkBatcher } from './sink-batcher.ts';
import { LogLineParser } from './log-lines.ts';


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

  let closed = false;
  const batcher = new SinkBatcher<LogLine>(sink, (lines) => sink.next(lines), () => [response]);
  const parser = new LogLineParser(format, (line) => batcher.push(line));

  response.on('data', (chunk: Buffer) => parser.push(chunk));
  response.once('end', () => {
    if (closed) return;
    parser.end();
    batcher.flush();
    closed = true;
    sink.complete();
  });
  response.once('error', (error) => {
    if (closed) return;
    closed = true;
    batcher.stop();
    sink.error(error);
  });
  response.once('close', () => {
    // Closed without 'end' (the engine went away mid-follow): deliver what arrived, then end.
    if (closed) return;
    parser.end();
    batcher.flush();
    closed = true;
    sink.complete();
  });

  return {
    close() {
      closed = true;
      batcher.stop();
      response.destroy();
    },
  };
}
