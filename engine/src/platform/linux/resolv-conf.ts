// A container's /etc/resolv.conf as dockerd 20.10 writes it (libnetwork sandbox_dns_unix.go
// setupDNS/rebuildDNS and resolvconf.Build): "search", then "nameserver", then "options" lines.
// On networks with the embedded DNS server the only IPv4 nameserver is 127.0.0.11 and "ndots:0"
// is added unless the user set ndots; elsewhere the host's file is used without the loopback
// resolvers a container with its own network namespace could not reach.

/** The address containers on DNS-enabled networks resolve names at (Docker's embedded DNS). */
export const EMBEDDED_DNS = '127.0.0.11';
/** libnetwork's fallback when the host has no usable resolver. */
const DEFAULT_NAMESERVERS = ['8.8.8.8', '8.8.4.4'];

export interface UserDns {
  dns: readonly string[];
  search: readonly string[];
  options: readonly string[];
}

interface HostResolv {
  nameservers: string[];
  search: string[];
  options: string[];
}

const isLoopback = (ip: string) => /^127\./.test(ip) || ip === '::1';
const isIpv6 = (ip: string) => ip.includes(':');

export function parseResolvConf(text: string): HostResolv {
  const out: HostResolv = { nameservers: [], search: [], options: [] };
  for (const raw of text.split('\n')) {
    const [key, ...values] = raw.replace(/[#;].*$/, '').trim().split(/\s+/);
    if (key === 'nameserver' && values[0]) out.nameservers.push(values[0]);
    else if (key === 'search' || key === 'domain') out.search = values; // the last one wins
    else if (key === 'options') out.options.push(...values);
  }
  return out;
}

function build(search: readonly string[], nameservers: readonly string[], options: readonly string[]): string {
  const lines: string[] = [];
  if (search.length > 0 && search.join(' ').trim() !== '.') lines.push(`search ${search.join(' ')}`);
  for (const ns of nameservers) lines.push(`nameserver ${ns}`);
  if (options.length > 0) lines.push(`options ${options.join(' ')}`);
  return lines.map((line) => `${line}\n`).join('');
}

/** A user's ndots above 0 stands; otherwise the embedded server's ndots:0 is appended. */
function userSetsNdots(options: readonly string[]): boolean {
  return options.some((o) => {
    const m = /^ndots:(\d+)$/.exec(o);
    return m !== null && Number(m[1]) > 0;
  });
}

export function buildResolvConf(hostText: string, user: UserDns, embedded: boolean): string {
  const host = parseResolvConf(hostText);
  const search = user.search.length > 0 ? user.search : host.search;
  const options = user.options.length > 0 ? user.options : host.options;
  if (embedded) {
    // External IPv6 resolvers stay listed: the embedded server forwards IPv4 only.
    const nameservers = [EMBEDDED_DNS, ...host.nameservers.filter((ns) => isIpv6(ns) && !isLoopback(ns))];
    return build(search, nameservers, userSetsNdots(options) ? options : [...options, 'ndots:0']);
  }
  const usable = host.nameservers.filter((ns) => !isLoopback(ns) && !isIpv6(ns));
  if (user.dns.length === 0 && user.search.length === 0 && user.options.length === 0) {
    // The host's file as it is, minus the resolvers the container could not reach.
    const kept = hostText.split('\n').filter((line) => {
      const m = /^\s*nameserver\s+(\S+)/.exec(line);
      return !m || (!isLoopback(m[1]) && !isIpv6(m[1]));
    });
    let text = kept.join('\n');
    if (usable.length === 0) text = `${text}${text && !text.endsWith('\n') ? '\n' : ''}${DEFAULT_NAMESERVERS.map((ns) => `nameserver ${ns}\n`).join('')}`;
    return text;
  }
  const nameservers = user.dns.length > 0 ? user.dns : usable.length > 0 ? usable : DEFAULT_NAMESERVERS;
  return build(search, nameservers, options);
}
