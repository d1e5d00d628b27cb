import { describe, expect, it } from 'vitest';
import { embeddedDnsRules, redirectEmbeddedDns } from './embedded-dns.ts';

describe('the embedded DNS redirect', () => {
  it('sends udp and tcp port 53 of 127.0.0.11 to the server and masquerades the loopback source', () => {
    expect(embeddedDnsRules('10.1.2.1').split('\n')).toEqual([
      '*nat',
      '-A OUTPUT -d 127.0.0.11/32 -p udp -m udp --dport 53 -j DNAT --to-destination 10.1.2.1:53',
      '-A OUTPUT -d 127.0.0.11/32 -p tcp -m tcp --dport 53 -j DNAT --to-destination 10.1.2.1:53',
      '-A POSTROUTING -s 127.0.0.0/8 -d 10.1.2.1/32 -j MASQUERADE',
      'COMMIT',
      '',
    ]);
  });

  it('refuses anything but an IPv4 address (it ends up in iptables input)', async () => {
    await expect(redirectEmbeddedDns('/nonexistent', '10.0.0.1 -j ACCEPT')).rejects.toThrow(/not an IPv4 address/);
  });
});
