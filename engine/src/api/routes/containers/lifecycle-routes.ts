// Container create, inspect, list and lifecycle verbs (API spec "Container" tag).
import type { HttpContext } from '../../http-context.ts';
import type { RouteTable } from '../../server.ts';
import type { EngineServices } from '../../../services/engine-services.ts';
import { createContainer } from '../../../services/containers/create-container.ts';
import { startContainer } from '../../../services/containers/start-container.ts';
import { killContainer, pauseContainer, restartContainer, stopContainer, unpauseContainer } from '../../../services/containers/stop-container.ts';
import { removeContainer } from '../../../services/containers/remove-container.ts';
import { renameContainer } from '../../../services/containers/rename-container.ts';
import { parseWaitCondition, waitContainer } from '../../../services/containers/wait-container.ts';
import { resizeContainer, topContainer } from '../../../services/containers/inspect-processes.ts';
import { boolParam, intParam } from '../../query.ts';
import { parseCreateBody } from './create-body.ts';
import { containerInspect } from '../../presenters/container-json.ts';
import { listContainers } from './list-containers.ts';
import { containerSizes, withSizes } from './container-sizes.ts';
import { invalid } from '../../../core/errors.ts';
import { updateContainer } from '../../../services/containers/update-container.ts';
import { parseUpdateBody } from './update-body.ts';
import { verifyContainerSettings, verifyResources, type HostLimits } from '../../../services/containers/verify-settings.ts';
import type { SystemInfo } from '../../../services/engine-services.ts';

const id = (ctx: HttpContext) => ctx.params.id ?? '';

/** The runtimes dockerd 20.10 answers to by default, plus the one this engine runs (runc or crun). */
function hostLimits(system: SystemInfo): HostLimits {
  const own = system.runtimePath.split('/').pop() ?? 'runc';
  return {
    ncpu: system.affinityCpus,
    cpusetCpus: system.cpusetCpus,
    cpusetMems: system.cpusetMems,
    runtimes: ['runc', 'io.containerd.runc.v2', 'io.containerd.runtime.v1.linux', own],
  };
}

function stopOptions(ctx: HttpContext) {
  // API ≥ 1.42 names the timeout "t"; "timeout" is accepted as dockerd does for old clients.
  return { signal: ctx.query.get('signal') ?? undefined, timeout: intParam(ctx.query, 't') ?? intParam(ctx.query, 'timeout') };
}

export function containerLifecycleRoutes(s: EngineServices): RouteTable[] {
  const c = s.containers;
  return [
    {
      method: 'GET',
      path: '/containers/json',
      handler: async (ctx) => {
        const list = listContainers(s, ctx.query);
        ctx.sendJson(200, boolParam(ctx.query, 'size') ? await withSizes(s, list) : list);
      },
    },
    {
      method: 'POST',
      path: '/containers/create',
      handler: async (ctx) => {
        const request = parseCreateBody(await ctx.json());
        verifyContainerSettings(request.config, request.hostConfig, hostLimits(s.system));
        const platform = ctx.query.get('platform') || undefined;
        const result = await createContainer(c, { name: ctx.query.get('name') ?? undefined, platform, ...request });
        ctx.sendJson(201, result);
      },
    },
    {
      method: 'GET',
      path: '/containers/:id/json',
      handler: async (ctx) => {
        const record = c.store.get(id(ctx));
        const sizes = boolParam(ctx.query, 'size') ? await containerSizes(s, record) : undefined;
        ctx.sendJson(200, containerInspect(record, s.containerPaths(record.Id), s.execs.idsFor(record.Id), s.system, sizes));
      },
    },
    { method: 'POST', path: '/containers/:id/start', handler: (ctx) => startContainer(c, id(ctx)) },
    { method: 'POST', path: '/containers/:id/stop', handler: (ctx) => stopContainer(c, id(ctx), stopOptions(ctx)) },
    { method: 'POST', path: '/containers/:id/restart', handler: (ctx) => restartContainer(c, id(ctx), stopOptions(ctx)) },
    { method: 'POST', path: '/containers/:id/kill', handler: (ctx) => killContainer(c, id(ctx), ctx.query.get('signal') || 'SIGKILL') },
    { method: 'POST', path: '/containers/:id/pause', handler: (ctx) => pauseContainer(c, id(ctx)) },
    { method: 'POST', path: '/containers/:id/unpause', handler: (ctx) => unpauseContainer(c, id(ctx)) },
    {
      method: 'DELETE',
      path: '/containers/:id',
      handler: async (ctx) => {
        if (boolParam(ctx.query, 'link')) throw invalid('Conflict, cannot remove the default link name of the container');
        await removeContainer(c, id(ctx), { force: boolParam(ctx.query, 'force'), removeVolumes: boolParam(ctx.query, 'v') });
        s.execs.forgetContainer(id(ctx));
      },
    },
    {
      method: 'POST',
      path: '/containers/:id/rename',
      handler: (ctx) => renameContainer(c, id(ctx), ctx.query.get('name') ?? ''),
    },
    {
      method: 'POST',
      path: '/containers/:id/wait',
      handler: async (ctx) => {
        const { result, cancel } = waitContainer(c, id(ctx), parseWaitCondition(ctx.query.get('condition')));
        // Headers go out at once: `docker run` waits for them before it starts the container.
        const { out } = ctx.startStream('application/json');
        ctx.onClientGone(cancel);
        out.end(`${JSON.stringify(await result)}\n`);
      },
    },
    {
      method: 'POST',
      path: '/containers/:id/update',
      handler: async (ctx) => {
        const request = parseUpdateBody(await ctx.json());
        verifyResources({ CpusetCpus: request.CpusetCpus }, hostLimits(s.system), true);
        ctx.sendJson(200, await updateContainer(c, id(ctx), request));
      },
    },
    {
      method: 'GET',
      path: '/containers/:id/top',
      handler: async (ctx) => ctx.sendJson(200, await topContainer(c, id(ctx), ctx.query.get('ps_args') ?? '')),
    },
    {
      method: 'POST',
      path: '/containers/:id/resize',
      handler: async (ctx) => {
        const h = intParam(ctx.query, 'h') ?? 0;
        const w = intParam(ctx.query, 'w') ?? 0;
        if (h < 0 || w < 0) throw invalid('invalid resize dimensions');
        await resizeContainer(c, id(ctx), h, w);
        ctx.send(200);
      },
    },
  ];
}
