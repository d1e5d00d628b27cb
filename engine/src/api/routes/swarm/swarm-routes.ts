// Swarm (API spec tags "Swarm", "Node", "Service", "Task", "Secret", "Config"): berthd is never in
// a swarm, so it answers every swarm endpoint the way dockerd does when it is not in one: the same
// status and message, checked side by side with Debian's dockerd (engine/test/differential/
// swarm.test.ts). Input errors dockerd reports before it looks at its swarm state (a bad version
// query, a body that is not JSON, a log request with no stream) come first here too.
import { EngineError, invalid, systemError } from '../../../core/errors.ts';
import type { HttpContext } from '../../http-context.ts';
import { boolParam } from '../../query.ts';
import type { RouteTable } from '../../server.ts';

/** dockerd's errNoSwarm wording for the calls that need a manager (503, errdefs.Unavailable). */
export const NOT_A_MANAGER =
  'This node is not a swarm manager. Use "docker swarm init" or "docker swarm join" to connect this node to swarm and try again.';
/** dockerd's answer to a leave when there is nothing to leave (503). */
export const NOT_IN_A_SWARM = 'This node is not part of a swarm';
/** Only init and join would change dockerd's state; berthd cannot, and says why (503 as well). */
export const NO_SWARM_MODE = 'berthd does not run Swarm mode; use a dockerd engine to create or join a swarm';

const unavailable = (message: string) => new EngineError('unavailable', message);

/** dockerd parses `version` with strconv.ParseUint and quotes Go's error in its message. */
function checkVersion(ctx: HttpContext, what: string): void {
  const raw = ctx.query.get('version') ?? '';
  if (/^\d+$/.test(raw) && BigInt(raw) <= 2n ** 64n - 1n) return;
  const why = /^\d+$/.test(raw) ? 'value out of range' : 'invalid syntax';
  throw invalid(`invalid ${what} version '${raw}': strconv.ParseUint: parsing ${JSON.stringify(raw)}: ${why}`);
}

/** Secrets and configs word a bad version without the parse error. */
function checkPlainVersion(ctx: HttpContext, what: string): void {
  const raw = ctx.query.get('version') ?? '';
  if (!/^\d+$/.test(raw) || BigInt(raw) > 2n ** 64n - 1n) throw invalid(`invalid ${what} version`);
}

const notManager = (): never => {
  throw unavailable(NOT_A_MANAGER);
};

/** A body dockerd decodes before answering: malformed JSON is a 400 whatever the swarm state. */
async function withBody(ctx: HttpContext): Promise<void> {
  await ctx.json();
}

function logs(ctx: HttpContext): never {
  // dockerd checks the streams before it asks the cluster, and reports it as a 500.
  if (!boolParam(ctx.query, 'stdout') && !boolParam(ctx.query, 'stderr')) throw systemError('Bad parameters: you must choose at least one stream');
  return notManager();
}

export function swarmRoutes(): RouteTable[] {
  const get = (path: string): RouteTable => ({ method: 'GET', path, handler: notManager });
  const del = (path: string): RouteTable => ({ method: 'DELETE', path, handler: notManager });
  const create = (path: string): RouteTable => ({
    method: 'POST',
    path,
    handler: async (ctx) => {
      await withBody(ctx);
      notManager();
    },
  });
  const update = (path: string, versionCheck: (ctx: HttpContext) => void): RouteTable => ({
    method: 'POST',
    path,
    handler: async (ctx) => {
      await withBody(ctx);
      versionCheck(ctx);
      notManager();
    },
  });
  return [
    get('/swarm'),
    get('/swarm/unlockkey'),
    {
      method: 'POST',
      path: '/swarm/init',
      handler: async (ctx) => {
        await withBody(ctx);
        throw unavailable(NO_SWARM_MODE);
      },
    },
    {
      method: 'POST',
      path: '/swarm/join',
      handler: async (ctx) => {
        await withBody(ctx);
        throw unavailable(NO_SWARM_MODE);
      },
    },
    {
      method: 'POST',
      path: '/swarm/leave',
      handler: () => {
        throw unavailable(NOT_IN_A_SWARM);
      },
    },
    update('/swarm/update', (ctx) => checkVersion(ctx, 'swarm')),
    create('/swarm/unlock'),

    get('/nodes'),
    get('/nodes/:id'),
    del('/nodes/:id'),
    update('/nodes/:id/update', (ctx) => checkVersion(ctx, 'node')),

    get('/services'),
    create('/services/create'),
    get('/services/:id'),
    del('/services/:id'),
    update('/services/:id/update', (ctx) => checkVersion(ctx, 'service')),
    { method: 'GET', path: '/services/:id/logs', handler: logs },

    get('/tasks'),
    get('/tasks/:id'),
    { method: 'GET', path: '/tasks/:id/logs', handler: logs },

    get('/secrets'),
    create('/secrets/create'),
    get('/secrets/:id'),
    del('/secrets/:id'),
    update('/secrets/:id/update', (ctx) => checkPlainVersion(ctx, 'secret')),

    get('/configs'),
    create('/configs/create'),
    get('/configs/:id'),
    del('/configs/:id'),
    update('/configs/:id/update', (ctx) => checkPlainVersion(ctx, 'config')),
  ];
}
