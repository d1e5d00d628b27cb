// Observability and housekeeping: `GET /containers/{id}/stats` (API spec "ContainerStats"),
// `GET /system/df` ("SystemDataUsage") and `POST /containers/prune` ("ContainerPrune").
import { notFound } from '../../../core/errors.ts';
import type { EngineServices } from '../../../services/engine-services.ts';
import { pruneContainers } from '../../../services/observability/container-prune.ts';
import { parseUntil } from '../../../services/observability/prune-filters.ts';
import type { HttpContext } from '../../http-context.ts';
import { statsJson } from '../../presenters/stats-json.ts';
import { boolParam, checkFilterKeys, filtersParam, matchesLabels } from '../../query.ts';
import type { RouteTable } from '../../server.ts';
import { diskUsage } from './disk-usage.ts';

function observability(s: EngineServices) {
  if (!s.observability) throw notFound('stats are not available on this engine');
  return s.observability;
}

async function stats(s: EngineServices, ctx: HttpContext): Promise<void> {
  const service = observability(s).stats;
  const ref = ctx.params.id ?? '';
  s.containers.store.get(ref); // 404 before any header goes out
  if (!boolParam(ctx.query, 'stream', true)) {
    ctx.sendJson(200, statsJson(await service.once(ref, boolParam(ctx.query, 'one-shot'))));
    return;
  }
  const { out } = ctx.startStream('application/json');
  const abort = new AbortController();
  ctx.onClientGone(() => abort.abort());
  await service.stream(ref, (pair) => out.write(`${JSON.stringify(statsJson(pair))}\n`), abort.signal).catch(() => undefined);
  out.end();
}

async function containerPrune(s: EngineServices, ctx: HttpContext): Promise<void> {
  const filters = filtersParam(ctx.query);
  checkFilterKeys(filters, ['until', 'label', 'label!']);
  const o = observability(s);
  const result = await pruneContainers(s.containers, {
    untilMs: parseUntil(filters.get('until')?.at(-1)),
    keep: (r) => matchesLabels(r.Config.Labels, filters.get('label')) && matchesLabels(r.Config.Labels, filters.get('label!'), true),
    sizeRw: (id) => o.dirSize(s.containerPaths(id).upperDir),
    onRemoved: (id) => s.execs.forgetContainer(id),
  });
  ctx.sendJson(200, result);
}

export function observabilityRoutes(s: EngineServices): RouteTable[] {
  return [
    { method: 'GET', path: '/containers/:id/stats', handler: (ctx) => stats(s, ctx) },
    { method: 'POST', path: '/containers/prune', handler: (ctx) => containerPrune(s, ctx) },
    {
      method: 'GET',
      path: '/system/df',
      handler: async (ctx) => {
        observability(s); // Sizes need it: without, the endpoint is absent, as before.
        ctx.sendJson(200, await diskUsage(s, ctx.query, ctx.version));
      },
    },
  ];
}
