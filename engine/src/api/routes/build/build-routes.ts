// Build (API spec "Image" tag: ImageBuild `POST /build`, BuildPrune `POST /build/prune`) with
// the classic builder, which clients use because /_ping answers `Builder-Version: 1`.
import type { Writable } from 'node:stream';
import * as v from 'valibot';
import { invalid } from '../../../core/errors.ts';
import type { BuildService } from '../../../services/build/build-service.ts';
import { BuildStepError } from '../../../services/build/run-step.ts';
import { buildPruneSelector } from './build-prune.ts';
import type { EngineServices } from '../../../services/engine-services.ts';
import type { HttpContext } from '../../http-context.ts';
import { boolParam } from '../../query.ts';
import type { RouteTable } from '../../server.ts';
import { jsonMap, parseBody } from '../../validation.ts';
import type { RegistryAuth } from '../images/registry-auth-header.ts';

const stringMapOrNull = v.nullish(jsonMap(v.nullable(v.string())));
const registryConfig = v.nullish(jsonMap(v.looseObject({ username: v.optional(v.string()), password: v.optional(v.string()), identitytoken: v.optional(v.string()) })));

function jsonParam<S extends v.GenericSchema>(ctx: HttpContext, name: string, schema: S): v.InferOutput<S> {
  const raw = ctx.query.get(name);
  if (raw === null || raw === '') return parseBody(schema, null, name);
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    throw invalid(`invalid ${name}: not JSON: ${raw}`);
  }
  return parseBody(schema, value, name);
}

/** X-Registry-Config: base64 JSON of registry → credentials; FROM pulls take the one whose
 * key names the docker.io index when only one is given, as the CLI sends all it knows. */
function registryAuth(header: string | string[] | undefined): RegistryAuth | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (!value) return undefined;
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(value.replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('utf8'));
  } catch {
    throw invalid('invalid X-Registry-Config header: not base64-encoded JSON');
  }
  const configs = parseBody(registryConfig, decoded, 'X-Registry-Config') ?? {};
  const entries = Object.values(configs).filter((c) => c.username || c.identitytoken);
  return entries.length === 1 ? entries[0] : undefined;
}

/** Builds in progress by the id the client gave (`buildid`), for `POST /build/cancel?id=`. */
type RunningBuilds = Map<string, AbortController>;

async function build(service: BuildService, ctx: HttpContext, running: RunningBuilds): Promise<void> {
  const contentType = (ctx.req.headers['content-type'] ?? 'application/x-tar').split(';')[0].trim();
  if (!['application/x-tar', 'application/tar', 'application/octet-stream', ''].includes(contentType)) {
    throw invalid(`unsupported build context Content-Type ${contentType}: send a tar (application/x-tar)`);
  }
  if (ctx.query.get('remote')) throw invalid('remote build contexts are not supported by this engine yet');
  const abort = new AbortController();
  // The classic builder ends a build whose client hung up (moby's request context); dockerode and
  // other API clients also name the build (`buildid`) and cancel it by that name.
  ctx.onClientGone(() => abort.abort('the client went away'));
  const buildId = ctx.query.get('buildid') || undefined;
  if (buildId !== undefined) {
    if (running.has(buildId)) throw invalid(`a build with id ${buildId} is already running`);
    running.set(buildId, abort);
  }
  try {
    await buildWith(service, ctx, abort.signal);
  } finally {
    if (buildId !== undefined && running.get(buildId) === abort) running.delete(buildId);
  }
}

async function buildWith(service: BuildService, ctx: HttpContext, signal: AbortSignal): Promise<void> {
  const request = {
    context: ctx.bodyStream(),
    dockerfile: ctx.query.get('dockerfile') || 'Dockerfile',
    tags: ctx.query.getAll('t').filter((t) => t !== ''),
    buildArgs: jsonParam(ctx, 'buildargs', stringMapOrNull) ?? {},
    labels: Object.fromEntries(Object.entries(jsonParam(ctx, 'labels', stringMapOrNull) ?? {}).map(([k, val]) => [k, val ?? ''])),
    target: ctx.query.get('target') || undefined,
    noCache: boolParam(ctx.query, 'nocache'),
    pull: boolParam(ctx.query, 'pull'),
    rm: boolParam(ctx.query, 'rm', true),
    forceRm: boolParam(ctx.query, 'forcerm'),
    platform: ctx.query.get('platform') || undefined,
    auth: registryAuth(ctx.req.headers['x-registry-config']),
    signal,
  };
  service.validate(request);
  // The response starts with the first line of output, as dockerd's does: what fails before
  // (an unreadable context, a Dockerfile that does not parse) is a plain error reply, which the
  // CLI shows as "Error response from daemon: …"; from then on errors are JSON lines.
  let out: Writable | undefined;
  const send = (value: object) => {
    out ??= ctx.startStream('application/json').out;
    out.write(`${JSON.stringify(value)}\n`);
  };
  // `q=1` (`docker build -q`): the transcript is held back and only the image ID goes out, or,
  // if the build fails, the transcript and then the error (moby's postBuild).
  const quiet = boolParam(ctx.query, 'q');
  const held: object[] = [];
  const write = quiet ? (value: object) => void held.push(value) : send;
  try {
    const id = await service.build(request, { stream: (text) => write({ stream: text }), message: write });
    if (quiet) send({ stream: `${id}\n` });
  } catch (error) {
    if (!out && held.length === 0) throw error;
    for (const value of held) send(value);
    const message = ctx.publicMessage(error);
    // A failed RUN's exit code: the CLI exits with it (1 when absent).
    const code = error instanceof BuildStepError ? error.exitCode : undefined;
    send({ errorDetail: { ...(code !== undefined ? { code } : {}), message }, error: message });
  }
  out?.end();
}

export function buildRoutes(s: EngineServices): RouteTable[] {
  const service = (): BuildService => {
    if (!s.build) throw invalid('this engine was started without the builder');
    return s.build;
  };
  const running: RunningBuilds = new Map();
  return [
    { method: 'POST', path: '/build', handler: (ctx) => build(service(), ctx, running) },
    { method: 'POST', path: '/build/prune', handler: async (ctx) => ctx.sendJson(200, await service().prune(buildPruneSelector(ctx.query))) },
    // BuildCancel: stops the build started with `buildid=<id>` (its RUN container is killed and
    // removed, nothing is tagged). An id no build has (finished already) is not an error, as
    // with dockerd; a missing id is (moby: "build ID not provided").
    {
      method: 'POST', path: '/build/cancel', handler: (ctx) => {
        const id = ctx.query.get('id');
        if (!id) throw invalid('build ID not provided');
        running.get(id)?.abort('cancelled by POST /build/cancel');
        ctx.send(200);
      },
    },
  ];
}
