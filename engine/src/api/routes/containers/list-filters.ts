// The `GET /containers/json` filters that look at a container's attachments: volume=, network=,
// publish= and expose= (dockerd daemon/list.go includeContainerInList).
import type { ContainerRecord } from '../../../core/container-types.ts';
import { systemError } from '../../../core/errors.ts';
import { portList } from '../../presenters/container-json.ts';

/** volume=: a mount's destination, or its volume name (a bind's source). */
export function matchesVolume(record: ContainerRecord, wanted: string[]): boolean {
  const mounts = record.Mounts ?? [];
  return wanted.some((value) => mounts.some((m) => m.Destination === value || (m.Name ? m.Name : m.Source) === value));
}

/** network=: a network the container is on, by name or by a prefix of its ID. */
export function matchesNetwork(record: ContainerRecord, wanted: string[]): boolean {
  const networks = Object.entries(record.NetworkSettings?.Networks ?? {});
  return wanted.some((value) => networks.some(([name, endpoint]) => name === value || (!!endpoint.NetworkID && endpoint.NetworkID.startsWith(value))));
}

/**
 * publish= / expose= values as "port/proto" keys: `80`, `80/udp`, `8000-8080/tcp`. dockerd's
 * messages for bad values (go-connections nat) are kept: scripts see them as they are.
 */
export function parsePortFilter(key: 'publish' | 'expose', values: string[]): Set<string> {
  const out = new Set<string>();
  for (const value of values) {
    if (value.includes(':')) throw systemError(`filter for '${key}' should not contain ':': ${value}`);
    const [portPart, protoPart] = splitProtoPort(value);
    const fail = (why: string) => systemError(`error while looking up for ${key} ${value}: ${why}`);
    if (portPart === '') throw fail('Empty string specified for ports.');
    const parts = portPart.split('-');
    const start = parseUint16(parts[0], fail);
    const end = parts.length > 1 ? parseUint16(parts[1], fail) : start;
    if (end < start) throw fail(`Invalid range specified for the Port: ${portPart}`);
    for (let port = start; port <= end; port++) out.add(`${port}/${protoPart}`);
  }
  return out;
}

function splitProtoPort(raw: string): [string, string] {
  const parts = raw.split('/');
  if (raw === '' || parts[0] === '') return ['', ''];
  if (parts.length === 1 || parts[1] === '') return [parts[0], 'tcp'];
  return [parts[0], parts[1]];
}

/** Go's strconv.ParseUint(text, 10, 16), with its error text. */
function parseUint16(text: string, fail: (why: string) => Error): number {
  if (!/^\d+$/.test(text)) throw fail(`strconv.ParseUint: parsing ${JSON.stringify(text)}: invalid syntax`);
  const n = Number(text);
  if (n > 0xffff) throw fail(`strconv.ParseUint: parsing ${JSON.stringify(text)}: value out of range`);
  return n;
}

/** publish= matches a published host port, expose= a container port (with or without binding). */
export function matchesPorts(record: ContainerRecord, publish: Set<string>, expose: Set<string>): boolean {
  return portList(record).some((p) => publish.has(`${p.PublicPort ?? 0}/${p.Type}`) || expose.has(`${p.PrivatePort}/${p.Type}`));
}
