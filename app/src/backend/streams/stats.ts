// `stats` stream: GET /containers/{id}/stats?stream=1 (one JSON document a second, each with the
// previous CPU reading in precpu_stats), reduced by common/stats-math.ts as `docker stats` does.
import type { StatsSample } from '../../common/desktop-api.ts';
import { statsSample, type StatsJson } from '../../common/stats-math.ts';
import { resourceId } from '../argument-checks.ts';
import type { BackendContext } from '../backend-context.ts';
import type { StreamSession, StreamSink } from '../desktop-backend.ts';
import { engineStream } from '../engine-request.ts';
import { NdjsonSplitter } from '../ndjson-splitter.ts';

export async function openStatsStream(context: BackendContext, args: unknown[], sink: StreamSink<StatsSample>): Promise<StreamSession<never>> {
  const id = encodeURIComponent(resourceId(args[0], 'container id'));
  const response = await engineStream(context.target.docker, { method: 'GET', path: `/containers/${id}/stats`, query: { stream: 1 } });
  let closed = false;
  const splitter = new NdjsonSplitter<StatsJson>((json) => {
    if (!closed) sink.next(statsSample(json));
  });
  response.on('data', (chunk: Buffer) => splitter.push(chunk));
  const end = () => {
    if (closed) return;
    splitter.end();
    closed = true;
    sink.complete();
  };
  response.once('end', end);
  response.once('close', end);
  response.once('error', (error) => {
    if (closed) return;
    closed = true;
    sink.error(error);
  });
  return {
    close() {
      closed = true;
      response.destroy();
    },
  };
}
