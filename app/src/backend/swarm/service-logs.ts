// `serviceLogs` stream: GET /services/{id}/logs (Docker API "Get service logs"): the same
// parameters and framing as container logs, from every task of the service.
import type { LogLine } from '../../common/desktop-api.ts';
import { resourceId } from '../argument-checks.ts';
import type { BackendContext } from '../backend-context.ts';
import type { StreamSession, StreamSink } from '../desktop-backend.ts';
import { engineJson, engineStream } from '../engine-request.ts';
import { checkLogOptions, logQuery, pumpLogLines } from '../streams/logs.ts';
import type { ApiService } from './swarm-shapes.ts';

export async function openServiceLogsStream(context: BackendContext, args: unknown[], sink: StreamSink<LogLine[]>): Promise<StreamSession<never>> {
  const id = encodeURIComponent(resourceId(args[0], 'service id'));
  const options = checkLogOptions(args[1]);
  const docker = context.target.docker;
  // A TTY service's logs are raw bytes, the rest framed, as `docker service logs` reads them.
  const service = await engineJson<ApiService>(docker, { method: 'GET', path: `/services/${id}` });
  const response = await engineStream(docker, { method: 'GET', path: `/services/${id}/logs`, query: logQuery(options) });
  return pumpLogLines(response, { tty: service.Spec.TaskTemplate?.ContainerSpec?.TTY === true, timestamps: options.timestamps }, sink);
}
