// The Run dialog's RunSpec → the body of POST /containers/create (Docker API "Create a
// container"). Every field is checked first and a bad one gets a 400 naming it, so nothing is
// created from input the engine would half-accept.
import { posix } from 'node:path';
import type { PortSpec, RunSpec, VolumeSpec } from '../../common/desktop-api.ts';
import { optionalBoolean, optionalString, requireObject, requireString, stringArray } from '../argument-checks.ts';
import { badRequest } from '../backend-error.ts';

/** Docker's container name rule (daemon/names: RestrictedNameChars), with an optional leading '/'. */
const CONTAINER_NAME = /^\/?[a-zA-Z0-9][a-zA-Z0-9_.-]+$/;
/** Docker's volume name rule (same character set, at least two characters). */
export const VOLUME_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/;
const ENV_ENTRY = /^[^=\s][^=]*=/;

function checkPort(value: unknown, index: number): PortSpec {
  const field = `ports[${index}]`;
  const port = requireObject(value, field);
  const portNumber = (v: unknown, name: string) => {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > 65535) throw badRequest(`${field}.${name} must be a port number from 1 to 65535`);
    return v;
  };
  const protocol = port.protocol ?? 'tcp';
  if (protocol !== 'tcp' && protocol !== 'udp') throw badRequest(`${field}.protocol must be tcp or udp`);
  const hostIp = optionalString(port.hostIp, `${field}.hostIp`);
  return {
    containerPort: portNumber(port.containerPort, 'containerPort'),
    hostPort: port.hostPort === undefined || port.hostPort === null ? undefined : portNumber(port.hostPort, 'hostPort'),
    hostIp,
    protocol,
  };
}

function checkVolume(value: unknown, index: number): VolumeSpec {
  const field = `volumes[${index}]`;
  const volume = requireObject(value, field);
  const source = requireString(volume.source, `${field}.source`);
  const target = requireString(volume.target, `${field}.target`);
  if (!target.startsWith('/')) throw badRequest(`${field}.target must be an absolute path inside the container, got "${target}"`);
  if (!source.startsWith('/') && !VOLUME_NAME.test(source)) {
    throw badRequest(`${field}.source must be an absolute host path or a volume name ([a-zA-Z0-9][a-zA-Z0-9_.-]+), got "${source}"`);
  }
  return { source, target: posix.normalize(target), readOnly: optionalBoolean(volume.readOnly, `${field}.readOnly`) ?? false };
}

export function checkRunSpec(value: unknown): RunSpec {
  const spec = requireObject(value, 'run spec');
  const image = typeof spec.image === 'string' ? spec.image.trim() : spec.image;
  if (typeof image !== 'string' || image === '') throw badRequest('image is required');
  const name = optionalString(spec.name, 'name');
  if (name !== undefined && !CONTAINER_NAME.test(name)) {
    throw badRequest(`name "${name}" is not a valid container name: use letters, digits, _ . - (at least two characters, starting with a letter or digit)`);
  }
  const env = stringArray(spec.env, 'env');
  for (const entry of env) if (!ENV_ENTRY.test(entry)) throw badRequest(`env entry "${entry}" must look like NAME=value`);
  if (spec.ports !== undefined && spec.ports !== null && !Array.isArray(spec.ports)) throw badRequest('ports must be a list');
  if (spec.volumes !== undefined && spec.volumes !== null && !Array.isArray(spec.volumes)) throw badRequest('volumes must be a list');
  return {
    image,
    name,
    command: stringArray(spec.command, 'command'),
    env,
    ports: ((spec.ports as unknown[] | undefined) ?? []).map(checkPort),
    volumes: ((spec.volumes as unknown[] | undefined) ?? []).map(checkVolume),
    network: optionalString(spec.network, 'network'),
    autoRemove: optionalBoolean(spec.autoRemove, 'autoRemove') ?? false,
    tty: optionalBoolean(spec.tty, 'tty') ?? false,
  };
}

export function createBody(spec: RunSpec): Record<string, unknown> {
  const exposed: Record<string, object> = {};
  const bindings: Record<string, { HostIp: string; HostPort: string }[]> = {};
  for (const port of spec.ports ?? []) {
    const key = `${port.containerPort}/${port.protocol}`;
    exposed[key] = {};
    // HostPort "" lets the engine pick a free port (compat notes, JSON shapes).
    (bindings[key] ??= []).push({ HostIp: port.hostIp ?? '', HostPort: port.hostPort === undefined ? '' : String(port.hostPort) });
  }
  const binds: string[] = [];
  const mounts: { Type: 'volume'; Source: string; Target: string; ReadOnly: boolean }[] = [];
  for (const volume of spec.volumes ?? []) {
    if (volume.source.startsWith('/')) binds.push(`${volume.source}:${volume.target}${volume.readOnly ? ':ro' : ''}`);
    else mounts.push({ Type: 'volume', Source: volume.source, Target: volume.target, ReadOnly: volume.readOnly });
  }
  const tty = spec.tty === true;
  return {
    Image: spec.image,
    ...(spec.command && spec.command.length > 0 ? { Cmd: spec.command } : {}),
    Env: spec.env ?? [],
    ExposedPorts: exposed,
    Tty: tty,
    OpenStdin: tty,
    AttachStdin: false,
    AttachStdout: false,
    AttachStderr: false,
    HostConfig: {
      PortBindings: bindings,
      Binds: binds,
      Mounts: mounts,
      AutoRemove: spec.autoRemove === true,
      ...(spec.network ? { NetworkMode: spec.network } : {}),
    },
  };
}
