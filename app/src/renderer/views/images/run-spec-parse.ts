// The Run dialog's fields, parsed the way `docker run` reads its flags (-p, -e, -v, the command),
// into the RunSpec the backend turns into POST /containers/create. Pure, so every rule is tested;
// each failure names the entry at fault and what to write instead.
import type { PortSpec, RunSpec, VolumeSpec } from '../../../common/desktop-api.ts';

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const fail = <T>(error: string): Parsed<T> => ({ ok: false, error });

// ---- ports: -p [ip:][hostPort:]containerPort[/proto] -----------------------------------------------

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const IPV6 = /^[0-9a-fA-F:]+(%\w+)?$/;

function portRange(text: string): [number, number] | undefined {
  const match = /^(\d{1,5})(?:-(\d{1,5}))?$/.exec(text);
  if (!match) return undefined;
  const first = Number(match[1]);
  const last = match[2] === undefined ? first : Number(match[2]);
  if (first < 1 || last > 65535 || last < first) return undefined;
  return [first, last];
}

function parsePortEntry(entry: string): Parsed<PortSpec[]> {
  let rest = entry;
  let protocol: 'tcp' | 'udp' = 'tcp';
  const slash = rest.lastIndexOf('/');
  if (slash >= 0) {
    const proto = rest.slice(slash + 1).toLowerCase();
    if (proto !== 'tcp' && proto !== 'udp') return fail(`"${entry}": the protocol must be tcp or udp`);
    protocol = proto;
    rest = rest.slice(0, slash);
  }
  let hostIp: string | undefined;
  // An IPv6 host address is written in brackets: [::1]:8080:80.
  const bracketed = /^\[([^\]]+)\]:(.*)$/.exec(rest);
  if (bracketed) {
    if (!IPV6.test(bracketed[1])) return fail(`"${entry}": "${bracketed[1]}" is not an IPv6 address`);
    hostIp = bracketed[1];
    rest = bracketed[2];
  }
  const parts = rest.split(':');
  if (parts.length > 3 || (hostIp !== undefined && parts.length > 2)) return fail(`"${entry}": write hostPort:containerPort, e.g. 8080:80`);
  if (parts.length === 3) {
    if (!IPV4.test(parts[0])) return fail(`"${entry}": "${parts[0]}" is not an IPv4 address (write IPv6 addresses in brackets)`);
    hostIp = parts.shift();
  }
  const containerText = parts.at(-1)!;
  const hostText = parts.length === 2 ? parts[0] : '';
  const container = portRange(containerText);
  if (!container) return fail(`"${entry}": the container port must be a number from 1 to 65535`);
  const host = hostText === '' ? undefined : portRange(hostText);
  if (hostText !== '' && !host) return fail(`"${entry}": the host port must be a number from 1 to 65535`);
  const count = container[1] - container[0] + 1;
  if (host && host[1] - host[0] + 1 !== count) return fail(`"${entry}": the host and container port ranges must have the same length`);
  const specs: PortSpec[] = [];
  for (let i = 0; i < count; i++) {
    const spec: PortSpec = { containerPort: container[0] + i, protocol };
    if (host) spec.hostPort = host[0] + i;
    if (hostIp !== undefined) spec.hostIp = hostIp;
    specs.push(spec);
  }
  return ok(specs);
}

/** "8080:80, 127.0.0.1:5353:53/udp, 443": comma- or line-separated, as many as needed. */
export function parsePorts(text: string): Parsed<PortSpec[]> {
  const specs: PortSpec[] = [];
  for (const entry of text.split(/[,\n]/).map((part) => part.trim()).filter(Boolean)) {
    const parsed = parsePortEntry(entry.replace(/\s+/g, ''));
    if (!parsed.ok) return parsed;
    specs.push(...parsed.value);
  }
  return ok(specs);
}

// ---- environment: -e KEY=value, one per line -------------------------------------------------------

export function parseEnv(text: string): Parsed<string[]> {
  const env: string[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].replace(/\r$/, '');
    if (line.trim() === '' || line.trimStart().startsWith('#')) continue;
    const equals = line.indexOf('=');
    const key = (equals < 0 ? line : line.slice(0, equals)).trim();
    if (equals < 0) return fail(`line ${i + 1}: write KEY=value ("${key}" has no "=")`);
    if (key === '') return fail(`line ${i + 1}: the variable name before "=" is missing`);
    if (/\s/.test(key)) return fail(`line ${i + 1}: the variable name "${key}" contains a space`);
    // The value is kept exactly as typed: spaces and "=" are part of it.
    env.push(`${key}=${line.slice(equals + 1)}`);
  }
  return ok(env);
}

// ---- volumes: -v name-or-/abs/path:/target[:ro|rw], one per line -----------------------------------

/** Docker's volume name rule (daemon/names: [a-zA-Z0-9][a-zA-Z0-9_.-]+). */
const VOLUME_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/;

export function parseVolumes(text: string): Parsed<VolumeSpec[]> {
  const specs: VolumeSpec[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (line === '') continue;
    const parts = line.split(':');
    const where = `line ${i + 1} ("${line}")`;
    if (parts.length < 2 || parts.length > 3) return fail(`${where}: write name-or-/host/path:/target, optionally followed by :ro`);
    const [source, target, mode = 'rw'] = parts;
    if (source === '') return fail(`${where}: name a volume or an absolute host path before the first ":"`);
    if (!source.startsWith('/') && !VOLUME_NAME.test(source)) {
      return fail(`${where}: "${source}" is neither an absolute host path nor a volume name (2 or more letters, digits, _ . -)`);
    }
    if (!target.startsWith('/')) return fail(`${where}: the target "${target}" must be an absolute path in the container`);
    if (mode !== 'ro' && mode !== 'rw') return fail(`${where}: the mode after the target must be ro or rw, not "${mode}"`);
    specs.push({ source, target, readOnly: mode === 'ro' });
  }
  return ok(specs);
}

// ---- command: split like a POSIX shell (quotes and backslashes, no expansion) ------------------------

export function parseCommand(text: string): Parsed<string[]> {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quote: '"' | "'" | null = null;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (quote === "'") {
      if (char === "'") quote = null;
      else word += char;
    } else if (quote === '"') {
      if (char === '"') quote = null;
      // Inside double quotes a backslash escapes only these (POSIX 2.2.3).
      else if (char === '\\' && i + 1 < text.length && '"\\$`'.includes(text[i + 1])) word += text[++i];
      else word += char;
    } else if (char === "'" || char === '"') {
      quote = char;
      inWord = true;
    } else if (char === '\\') {
      if (i + 1 < text.length) {
        const next = text[++i];
        if (next !== '\n') word += next;
      }
      inWord = true;
    } else if (/\s/.test(char)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += char;
      inWord = true;
    }
  }
  if (quote) return fail(`the ${quote === '"' ? 'double' : 'single'} quote is never closed`);
  if (inWord) words.push(word);
  return ok(words);
}

// ---- name and the whole form -----------------------------------------------------------------------

/** Docker's container name rule (daemon/names: ^/?[a-zA-Z0-9][a-zA-Z0-9_.-]+$). */
const CONTAINER_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/;

export function parseContainerName(text: string): Parsed<string | undefined> {
  const name = text.trim();
  if (name === '') return ok(undefined);
  if (!CONTAINER_NAME.test(name)) {
    return fail('use at least 2 characters: letters, digits, "_", "." or "-", starting with a letter or digit');
  }
  return ok(name);
}

export interface RunFields {
  name: string;
  command: string;
  ports: string;
  env: string;
  volumes: string;
  network: string;
}

export type RunFieldErrors = Partial<Record<keyof RunFields, string>>;

/** The whole form: a RunSpec, or an error per field that is wrong (nothing is sent until all are right). */
export function buildRunSpec(image: string, fields: RunFields): { spec: RunSpec } | { errors: RunFieldErrors } {
  const name = parseContainerName(fields.name);
  const command = parseCommand(fields.command);
  const ports = parsePorts(fields.ports);
  const env = parseEnv(fields.env);
  const volumes = parseVolumes(fields.volumes);
  const errors: RunFieldErrors = {};
  if (!name.ok) errors.name = name.error;
  if (!command.ok) errors.command = command.error;
  if (!ports.ok) errors.ports = ports.error;
  if (!env.ok) errors.env = env.error;
  if (!volumes.ok) errors.volumes = volumes.error;
  if (!name.ok || !command.ok || !ports.ok || !env.ok || !volumes.ok) return { errors };
  const spec: RunSpec = { image };
  if (name.value) spec.name = name.value;
  if (command.value.length > 0) spec.command = command.value;
  if (ports.value.length > 0) spec.ports = ports.value;
  if (env.value.length > 0) spec.env = env.value;
  if (volumes.value.length > 0) spec.volumes = volumes.value;
  if (fields.network) spec.network = fields.network;
  return { spec };
}
