// `docker cp` (API "Container": HEAD/GET/PUT /containers/{id}/archive), `docker diff`
// (GET /containers/{id}/changes) and `docker export` (GET /containers/{id}/export).
import type { Readable } from 'node:stream';
import { EngineError, invalid } from '../../../core/errors.ts';
import type { EngineServices } from '../../../services/engine-services.ts';
import {
  archiveContainerPath,
  containerChanges,
  exportContainer,
  extractToContainer,
  statContainerPath,
  type FileServiceDeps,
} from '../../../services/containers/archive-service.ts';
import type { PathStat } from '../../../services/containers/container-files.ts';
import { BatchedWriter } from '../../batched-writer.ts';
import type { HttpContext } from '../../http-context.ts';
import { boolParam } from '../../query.ts';
import type { RouteTable } from '../../server.ts';

/** dockerd's setContainerPathStatHeader: base64 of the JSON PathStat. */
export function pathStatHeader(stat: PathStat): Record<string, string> {
  return { 'X-Docker-Container-Path-Stat': Buffer.from(JSON.stringify(stat)).toString('base64') };
}

/** A tar the client sent that does not parse (tar-stream's and zlib's plain errors) is the
 * client's mistake, a 400, not an engine failure. */
function asArchiveError(error: unknown): unknown {
  if (error instanceof EngineError || !(error instanceof Error)) return error;
  const code = (error as { code?: unknown }).code;
  if (/tar|end of data|unexpected end|gzip/i.test(error.message) || (typeof code === 'string' && code.startsWith('Z_'))) {
    return invalid(`invalid tar archive: ${error.message}`);
  }
  return error;
}

/** Streams a tar to the client; a failure after the headers can only cut the stream short.
 * Chunks are batched: a tar of small entries is a 512-byte header (and a little padding) per
 * file, and one HTTP chunk and one writev(2) each made the socket the busiest part of an export. */
async function sendTar(ctx: HttpContext, stream: Readable, headers: Record<string, string> = {}): Promise<void> {
  const { out } = ctx.startStream('application/x-tar', 200, headers);
  ctx.onClientGone(() => stream.destroy());
  const batched = new BatchedWriter(out);
  try {
    for await (const chunk of stream) await batched.write(chunk as Buffer);
    await batched.flush();
  } catch {
    // The client sees a truncated archive, as with dockerd; the response must still end.
  } finally {
    out.end();
  }
}

export function containerArchiveRoutes(s: EngineServices): RouteTable[] {
  const deps = (): FileServiceDeps => {
    if (!s.containerFiles) throw new EngineError('not-implemented', 'container file access is not available in this engine');
    return { ctx: s.containers, files: s.containerFiles, managedFiles: (id) => s.containerPaths(id) };
  };
  const id = (ctx: HttpContext) => ctx.params.id ?? '';

  return [
    {
      method: 'HEAD',
      path: '/containers/:id/archive',
      handler: async (ctx) => {
        const stat = await statContainerPath(deps(), id(ctx), ctx.query.get('path'));
        ctx.send(200, '', pathStatHeader(stat));
      },
    },
    {
      method: 'GET',
      path: '/containers/:id/archive',
      handler: async (ctx) => {
        const { stat, stream } = await archiveContainerPath(deps(), id(ctx), ctx.query.get('path'));
        await sendTar(ctx, stream, pathStatHeader(stat));
      },
    },
    {
      method: 'PUT',
      path: '/containers/:id/archive',
      handler: async (ctx) => {
        // dockerd: overwriting is allowed unless noOverwriteDirNonDir is present and true; the
        // CLI always sends noOverwriteDirNonDir=true.
        await extractToContainer(deps(), id(ctx), ctx.query.get('path'), ctx.bodyStream(), {
          noOverwriteDirNonDir: ctx.query.has('noOverwriteDirNonDir') && boolParam(ctx.query, 'noOverwriteDirNonDir'),
          copyUIDGID: boolParam(ctx.query, 'copyUIDGID'),
        }).catch((error: unknown) => {
          throw asArchiveError(error);
        });
        ctx.send(200);
      },
    },
    {
      method: 'GET',
      path: '/containers/:id/changes',
      handler: async (ctx) => ctx.sendJson(200, await containerChanges(deps(), id(ctx))),
    },
    {
      method: 'GET',
      path: '/containers/:id/export',
      handler: async (ctx) => sendTar(ctx, await exportContainer(deps(), id(ctx))),
    },
  ];
}
