// Docker's embedded DNS address inside a container's network namespace. dockerd listens on
// 127.0.0.11 in the namespace itself and DNATs port 53 to its listener (libnetwork resolver_unix.go,
// chains DOCKER_OUTPUT/DOCKER_POSTROUTING). Berth's resolver is aardvark-dns, which netavark starts
// on the network's gateway address, so the same DNAT points at the gateway instead; as the packets
// then leave through eth0 with a loopback source, they are masqueraded to the container's own
// address, which route_localnet allows. Rules and sysctl are the namespace's own: nothing is left
// on the host, and all of it goes when the namespace is removed.
import { execFile } from 'node:child_process';
import { systemError } from '../../../core/errors.ts';

export const EMBEDDED_DNS_ADDRESS = '127.0.0.11';

/** The iptables-restore input (nat table only, so --noflush keeps nothing else from changing). */
export function embeddedDnsRules(server: string): string {
  const dnat = (proto: 'udp' | 'tcp') => `-A OUTPUT -d ${EMBEDDED_DNS_ADDRESS}/32 -p ${proto} -m ${proto} --dport 53 -j DNAT --to-destination ${server}:53`;
  return ['*nat', dnat('udp'), dnat('tcp'), `-A POSTROUTING -s 127.0.0.0/8 -d ${server}/32 -j MASQUERADE`, 'COMMIT', ''].join('\n');
}

export function redirectEmbeddedDns(sandbox: string, server: string): Promise<void> {
  if (!/^\d{1,3}(\.\d{1,3}){3}$/.test(server)) return Promise.reject(systemError(`embedded DNS: not an IPv4 address: ${server}`));
  // One process in the namespace: the sysctl (per namespace under /proc/sys/net) and the rules.
  const script = 'echo 1 > /proc/sys/net/ipv4/conf/all/route_localnet && exec iptables-restore --noflush';
  return new Promise((resolve, reject) => {
    const child = execFile('nsenter', [`--net=${sandbox}`, 'sh', '-c', script], (error, _stdout, stderr) => {
      if (error) reject(systemError(`setting up the embedded DNS address ${EMBEDDED_DNS_ADDRESS}: ${String(stderr).trim() || error.message}`, error));
      else resolve();
    });
    child.stdin?.end(embeddedDnsRules(server));
  });
}
