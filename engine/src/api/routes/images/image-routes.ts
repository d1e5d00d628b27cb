// Images (API spec "Image" tag): list, pull, inspect, history, tag, remove, prune. Image names
// contain slashes and colons, so `/images/{name}/verb` is matched by suffix under a wildcard.
import { EngineError, invalid, notFound } from '../../../core/errors.ts';
import type { EngineServices } from '../../../services/engine-services.ts';
import { pruneImages, removeImage } from '../../../services/images/remove-image.ts';
import type { HttpContext } from '../../http-context.ts';
import { streamProgress } from '../../progress-stream.ts';
import { imageInspect } from '../../presenters/image-json.ts';
import { boolParam, checkFilterKeys, filtersParam, matchesLabels } from '../../query.ts';
import type { RouteTable } from '../../server.ts';
import { decodeRegistryAuth } from './registry-auth-header.ts';
import { listImages } from './list-images.ts';
import { importHandler, pushHandler, saveHandler } from './transfer-routes.ts';

/** Splits "/images/127.0.0.1:5000/x:latest/json" into the name and the verb. */
function nameAndVerb(ctx: HttpContext, verbs: readonly string[]): { name: string; verb: string } {
  let rest: string;
  try {
    rest = decodeURIComponent(ctx.path.slice('/images/'.length));
  } catch {
    // %-escapes that are not UTF-8 ("%ff") cannot spell a reference.
    throw invalid('invalid reference format');
  }
  for (const verb of verbs) {
    if (rest.endsWith(`/${verb}`)) return { name: rest.slice(0, -verb.length - 1), verb };
  }
  return { name: rest, verb: '' };
}

async function pull(s: EngineServices, ctx: HttpContext): Promise<void> {
  const fromImage = ctx.query.get('fromImage');
  if (ctx.query.get('fromSrc') !== null) return importHandler(s, ctx);
  if (!fromImage) throw invalid('fromImage or fromSrc is required');
  await streamProgress(ctx, (onProgress, signal) =>
    s.pull({
      image: fromImage,
      tag: ctx.query.get('tag') || undefined,
      platform: ctx.query.get('platform') || undefined,
      auth: decodeRegistryAuth(ctx.req.headers['x-registry-auth']),
      onProgress,
      signal,
    }),
  );
}

export function imageRoutes(s: EngineServices): RouteTable[] {
  const images = s.images;
  return [
    { method: 'GET', path: '/images/json', handler: async (ctx) => ctx.sendJson(200, await listImages(s, ctx.query, ctx.version)) },
    { method: 'POST', path: '/images/create', handler: (ctx) => pull(s, ctx) },
    {
      method: 'GET',
      path: '/images/search',
      handler: async (ctx) => {
        if (!s.search) throw new EngineError('not-implemented', 'search is not available in this engine');
        ctx.sendJson(200, await s.search({ term: ctx.query.get('term') ?? '', limit: ctx.query.get('limit'), filters: filtersParam(ctx.query) }));
      },
    },
    {
      method: 'POST',
      path: '/images/prune',
      handler: async (ctx) => {
        const filters = filtersParam(ctx.query);
        checkFilterKeys(filters, ['dangling', 'until', 'label', 'label!']);
        const dangling = filters.get('dangling')?.[0];
        const until = filters.get('until')?.[0];
        const untilMs = until === undefined ? undefined : /^\d+(\.\d+)?$/.test(until) ? Number(until) * 1000 : Date.parse(until);
        if (untilMs !== undefined && Number.isNaN(untilMs)) throw invalid(`invalid filter 'until=${until}'`);
        const result = await pruneImages(images, {
          danglingOnly: dangling === undefined || !['false', '0'].includes(dangling),
          untilMs,
          labels: (labels) => matchesLabels(labels, filters.get('label')) && matchesLabels(labels, filters.get('label!'), true),
        });
        ctx.sendJson(200, result);
      },
    },
    {
      method: 'GET',
      path: '/images/*',
      handler: async (ctx) => {
        const { name, verb } = nameAndVerb(ctx, ['json', 'history', 'get']);
        if (verb === 'get') return saveHandler(s, ctx, [name]);
        if (verb === 'history') return ctx.sendJson(200, await images.history(name));
        if (verb !== 'json') throw notFound('page not found');
        const { record, config } = await images.resolve(name);
        ctx.sendJson(200, imageInspect(record, config, images.familiarTags(record.id), images.familiarDigests(record), ctx.version));
      },
    },
    {
      method: 'POST',
      path: '/images/*',
      handler: async (ctx) => {
        const { name, verb } = nameAndVerb(ctx, ['tag', 'push']);
        if (verb === 'tag') {
          await images.tag(name, ctx.query.get('repo') ?? '', ctx.query.get('tag') || undefined);
          return ctx.send(201);
        }
        if (verb === 'push') return pushHandler(s, ctx, name);
        throw notFound('page not found');
      },
    },
    {
      method: 'DELETE',
      path: '/images/*',
      handler: async (ctx) => {
        const { name } = nameAndVerb(ctx, []);
        const result = await removeImage(images, name, { force: boolParam(ctx.query, 'force'), noprune: boolParam(ctx.query, 'noprune') });
        ctx.sendJson(200, result);
      },
    },
  ];
}
