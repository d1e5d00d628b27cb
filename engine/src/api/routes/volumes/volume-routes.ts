// Volumes (API spec "Volume" tag): list, create, inspect, remove, prune.
import * as v from 'valibot';
import { invalid } from '../../../core/errors.ts';
import type { VolumeRecord } from '../../../core/volume/volume-types.ts';
import type { EngineServices } from '../../../services/engine-services.ts';
import { boolParam, checkFilterKeys, filtersParam, matchesLabels } from '../../query.ts';
import type { RouteTable } from '../../server.ts';
import { ciObject, parseBody, stringMap } from '../../validation.ts';

/** VolumeCreateOptions; ClusterVolumeSpec is swarm-only and ignored. */
const createBody = ciObject({
  Name: v.optional(v.string()),
  Driver: v.optional(v.string()),
  DriverOpts: stringMap,
  Labels: stringMap,
});

export function volumeJson(volume: VolumeRecord, mountpoint: string, usage?: { Size: number; RefCount: number }): object {
  return {
    CreatedAt: volume.CreatedAt,
    Driver: volume.Driver,
    Labels: volume.Labels,
    Mountpoint: mountpoint,
    Name: volume.Name,
    Options: volume.Options,
    Scope: 'local',
    ...(usage ? { UsageData: usage } : {}),
  };
}

/** dockerd's bool filter values (dangling, all). */
function boolFilter(values: string[] | undefined, name: string): boolean | undefined {
  if (!values?.length) return undefined;
  const v = values[values.length - 1].toLowerCase();
  if (v === 'true' || v === '1') return true;
  if (v === 'false' || v === '0') return false;
  throw invalid(`invalid filter '${name}=${values[values.length - 1]}'`);
}

export function volumeRoutes(s: EngineServices): RouteTable[] {
  const service = s.volumes;
  if (!service) return [];
  const json = (v: VolumeRecord) => volumeJson(v, service.path(v.Name));

  return [
    {
      method: 'GET',
      path: '/volumes',
      handler: (ctx) => {
        const f = filtersParam(ctx.query);
        checkFilterKeys(f, ['name', 'driver', 'label', 'dangling']);
        const dangling = boolFilter(f.get('dangling'), 'dangling');
        // dockerd: name matches by substring, driver exactly, label as key or key=value.
        const keep = (v: VolumeRecord) =>
          (!f.get('name')?.length || f.get('name')!.some((n) => v.Name.includes(n))) &&
          (!f.get('driver')?.length || f.get('driver')!.includes(v.Driver)) &&
          matchesLabels(v.Labels, f.get('label')) &&
          (dangling === undefined || dangling === !service.inUse(v.Name));
        const volumes = service.list().filter(keep).sort((a, b) => a.Name.localeCompare(b.Name)).map(json);
        ctx.sendJson(200, { Volumes: volumes, Warnings: [] });
      },
    },
    {
      method: 'POST',
      path: '/volumes/create',
      handler: async (ctx) => {
        const b = parseBody(createBody, await ctx.json(), 'volume config');
        const volume = await service.create({ Name: b.Name, Driver: b.Driver, DriverOpts: b.DriverOpts ?? {}, Labels: b.Labels ?? {} });
        ctx.sendJson(201, json(volume));
      },
    },
    {
      method: 'POST',
      path: '/volumes/prune',
      handler: async (ctx) => {
        const f = filtersParam(ctx.query);
        checkFilterKeys(f, ['label', 'label!', 'all']);
        // API < 1.42 pruned every unused volume; from 1.42 only anonymous ones unless all=true.
        const all = boolFilter(f.get('all'), 'all') ?? compareVersion(ctx.version, '1.42') < 0;
        const result = await service.prune({
          all,
          keep: (v) => matchesLabels(v.Labels, f.get('label')) && matchesLabels(v.Labels, f.get('label!'), true),
        });
        ctx.sendJson(200, result);
      },
    },
    {
      method: 'GET',
      path: '/volumes/:name',
      handler: (ctx) => {
        ctx.sendJson(200, json(service.get(ctx.params.name ?? '')));
      },
    },
    {
      method: 'DELETE',
      path: '/volumes/:name',
      handler: async (ctx) => {
        await service.remove(ctx.params.name ?? '', { force: boolParam(ctx.query, 'force') });
        ctx.send(204);
      },
    },
  ];
}

function compareVersion(a: string, b: string): number {
  const [am, an] = a.split('.').map(Number);
  const [bm, bn] = b.split('.').map(Number);
  return am - bm || an - bn;
}
