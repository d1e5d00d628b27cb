// Networks (API spec "Network" tag): list, inspect, create, remove, connect, disconnect, prune.
import * as v from 'valibot';
import type { EndpointSettings } from '../../../core/container-types.ts';
import type { NetworkRecord } from '../../../core/network/network-types.ts';
import type { EngineServices } from '../../../services/engine-services.ts';
import { connectEndpoint, disconnectEndpoint } from '../../../services/networks/endpoint-connect.ts';
import { networkJson } from '../../presenters/network-json.ts';
import { checkFilterKeys, filtersParam, matchesLabels } from '../../query.ts';
import type { RouteTable } from '../../server.ts';
import { ciObject, parseBody, stringArray, stringMap } from '../../validation.ts';
import { invalid } from '../../../core/errors.ts';

const ipamConfig = ciObject({ Subnet: v.optional(v.string()), IPRange: v.optional(v.string()), Gateway: v.optional(v.string()), AuxiliaryAddresses: stringMap });
const createBody = ciObject({
  Name: v.string('Name is required'),
  CheckDuplicate: v.optional(v.boolean()),
  Driver: v.optional(v.string()),
  Scope: v.optional(v.string()),
  Internal: v.optional(v.boolean()),
  Attachable: v.optional(v.boolean()),
  Ingress: v.optional(v.boolean()),
  ConfigOnly: v.optional(v.boolean()),
  EnableIPv4: v.optional(v.boolean()),
  EnableIPv6: v.nullish(v.boolean()),
  IPAM: v.nullish(ciObject({ Driver: v.optional(v.string()), Config: v.nullish(v.array(ipamConfig)), Options: stringMap })),
  Options: stringMap,
  Labels: stringMap,
});
const endpointConfig = ciObject({
  IPAMConfig: v.nullish(ciObject({ IPv4Address: v.optional(v.string()), IPv6Address: v.optional(v.string()) })),
  Links: stringArray,
  Aliases: stringArray,
  DriverOpts: stringMap,
});
const connectBody = ciObject({ Container: v.string('Container is required'), EndpointConfig: v.nullish(endpointConfig) });
const disconnectBody = ciObject({ Container: v.string('Container is required'), Force: v.optional(v.boolean()) });

/** dockerd's Args.Match: the value equals the field or is a regular expression matching it. */
function matches(field: string, wanted: string[] | undefined): boolean {
  if (!wanted?.length) return true;
  return wanted.some((w) => {
    if (w === field) return true;
    try {
      return new RegExp(w).test(field);
    } catch {
      return false;
    }
  });
}

function boolFilter(values: string[] | undefined, name: string): boolean | undefined {
  if (!values?.length) return undefined;
  const v = values[values.length - 1].toLowerCase();
  if (v === 'true' || v === '1') return true;
  if (v === 'false' || v === '0') return false;
  throw invalid(`invalid filter '${name}=${values[0]}'`);
}

/** Unix seconds, an RFC 3339 time or a Go duration ("24h") before now, for `until`. */
function untilCutoff(text: string): number {
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text) * 1000;
  const duration = /^(\d+)(h|m|s)$/.exec(text);
  if (duration) return Date.now() - Number(duration[1]) * { h: 3_600_000, m: 60_000, s: 1000 }[duration[2] as 'h' | 'm' | 's'];
  const parsed = Date.parse(text);
  if (Number.isNaN(parsed)) throw invalid(`invalid filter 'until=${text}'`);
  return parsed;
}

export function networkRoutes(s: EngineServices): RouteTable[] {
  const n = s.networks;
  if (!n) return [];
  const service = n.service;
  const connected = (network: NetworkRecord) => service.activeContainers(network.Id);

  function selected(query: URLSearchParams, allowed: readonly string[]): (network: NetworkRecord) => boolean {
    const f = filtersParam(query);
    checkFilterKeys(f, allowed);
    const dangling = boolFilter(f.get('dangling'), 'dangling');
    const until = f.get('until')?.map(untilCutoff);
    for (const type of f.get('type') ?? []) if (type !== 'custom' && type !== 'builtin') throw invalid(`invalid filter: 'type'='${type}'`);
    return (network) =>
      matches(network.Name, f.get('name')) &&
      (!f.get('id')?.length || f.get('id')!.some((id) => network.Id.startsWith(id))) &&
      matchesLabels(network.Labels, f.get('label')) &&
      matchesLabels(network.Labels, f.get('label!'), true) &&
      (!f.get('driver')?.length || f.get('driver')!.includes(network.Driver)) &&
      (!f.get('scope')?.length || f.get('scope')!.includes('local')) &&
      (!f.get('type')?.length || f.get('type')!.includes(network.Predefined ? 'builtin' : 'custom')) &&
      (dangling === undefined || dangling === (!network.Predefined && connected(network).length === 0)) &&
      (!until || until.every((cutoff) => Date.parse(network.Created) < cutoff));
  }

  return [
    {
      method: 'GET',
      path: '/networks',
      handler: (ctx) => {
        const keep = selected(ctx.query, ['name', 'id', 'label', 'driver', 'type', 'dangling', 'scope']);
        // dockerd's list leaves Containers empty; inspect fills it.
        ctx.sendJson(200, service.list().filter(keep).sort((a, b) => a.Name.localeCompare(b.Name)).map((net) => networkJson(net, [])));
      },
    },
    {
      method: 'GET',
      path: '/networks/:id',
      handler: (ctx) => {
        const network = service.get(ctx.params.id ?? '');
        ctx.sendJson(200, networkJson(network, connected(network)));
      },
    },
    {
      method: 'POST',
      path: '/networks/create',
      handler: async (ctx) => {
        const b = parseBody(createBody, await ctx.json(), 'network config');
        const result = await service.create({
          Name: b.Name, Driver: b.Driver, Internal: b.Internal, Attachable: b.Attachable, EnableIPv6: b.EnableIPv6 ?? false,
          IPAM: b.IPAM ? { Driver: b.IPAM.Driver, Config: b.IPAM.Config ?? [], Options: b.IPAM.Options ?? {} } : undefined,
          Options: b.Options ?? {}, Labels: b.Labels ?? {},
        });
        ctx.sendJson(201, result);
      },
    },
    { method: 'DELETE', path: '/networks/:id', handler: (ctx) => service.remove(ctx.params.id ?? '') },
    {
      method: 'POST',
      path: '/networks/:id/connect',
      handler: async (ctx) => {
        const b = parseBody(connectBody, await ctx.json(), 'connect request');
        await connectEndpoint({ ctx: s.containers, networks: service, networking: n.networking }, ctx.params.id ?? '', b.Container, (b.EndpointConfig ?? {}) as EndpointSettings);
        ctx.send(200);
      },
    },
    {
      method: 'POST',
      path: '/networks/:id/disconnect',
      handler: async (ctx) => {
        const b = parseBody(disconnectBody, await ctx.json(), 'disconnect request');
        await disconnectEndpoint({ ctx: s.containers, networks: service }, ctx.params.id ?? '', b.Container, b.Force ?? false);
        ctx.send(200);
      },
    },
    {
      method: 'POST',
      path: '/networks/prune',
      handler: async (ctx) => {
        const keep = selected(ctx.query, ['label', 'label!', 'until']);
        ctx.sendJson(200, { NetworksDeleted: await service.prune(keep) });
      },
    },
  ];
}
