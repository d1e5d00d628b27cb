// Network calls (Docker API "Network" section).
import type { Network } from '../../common/docker-types.ts';
import { optionalBoolean, optionalString, requireObject, requireString, resourceId } from '../argument-checks.ts';
import type { BackendContext } from '../backend-context.ts';
import { badRequest } from '../backend-error.ts';
import { engineJson } from '../engine-request.ts';

const NETWORK_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;
const CIDR = /^(\d{1,3}\.){3}\d{1,3}\/\d{1,2}$|^[0-9a-fA-F:]+\/\d{1,3}$/;
const ADDRESS = /^(\d{1,3}\.){3}\d{1,3}$|^[0-9a-fA-F:]+$/;

export function listNetworks(context: BackendContext): Promise<Network[]> {
  return engineJson(context.target.docker, { method: 'GET', path: '/networks' });
}

export function inspectNetwork(context: BackendContext, id: unknown): Promise<Network> {
  return engineJson(context.target.docker, { method: 'GET', path: `/networks/${encodeURIComponent(resourceId(id, 'network id'))}` });
}

export async function createNetwork(context: BackendContext, value: unknown): Promise<{ id: string }> {
  const spec = requireObject(value, 'network spec');
  const name = requireString(typeof spec.name === 'string' ? spec.name.trim() : spec.name, 'name');
  if (!NETWORK_NAME.test(name)) throw badRequest(`network name "${name}" is not valid: use letters, digits, _ . - starting with a letter or digit`);
  const driver = optionalString(spec.driver, 'driver') ?? 'bridge';
  const subnet = optionalString(spec.subnet, 'subnet');
  const gateway = optionalString(spec.gateway, 'gateway');
  if (subnet !== undefined && !CIDR.test(subnet)) throw badRequest(`subnet "${subnet}" must be in CIDR form, e.g. 10.20.0.0/24`);
  if (gateway !== undefined && !ADDRESS.test(gateway)) throw badRequest(`gateway "${gateway}" must be an IP address, e.g. 10.20.0.1`);
  if (gateway !== undefined && subnet === undefined) throw badRequest('a gateway needs a subnet');
  const internal = optionalBoolean(spec.internal, 'internal') ?? false;
  const created = await engineJson<{ Id: string }>(context.target.docker, {
    method: 'POST',
    path: '/networks/create',
    body: {
      Name: name,
      Driver: driver,
      Internal: internal,
      CheckDuplicate: true,
      ...(subnet ? { IPAM: { Driver: 'default', Config: [{ Subnet: subnet, ...(gateway ? { Gateway: gateway } : {}) }] } } : {}),
    },
  });
  return { id: created.Id };
}

export async function removeNetwork(context: BackendContext, id: unknown): Promise<void> {
  await engineJson(context.target.docker, { method: 'DELETE', path: `/networks/${encodeURIComponent(resourceId(id, 'network id'))}` });
}
