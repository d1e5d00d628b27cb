import { describe, expect, it } from 'vitest';
import { buildResolvConf } from './resolv-conf.ts';

const none = { dns: [], search: [], options: [] };
const HOST = 'nameserver 127.0.0.53\nnameserver 10.0.0.2\nnameserver 2001:db8::1\nsearch corp.example\noptions edns0\n';

describe('resolv.conf as libnetwork writes it', () => {
  it('embedded DNS: 127.0.0.11, external IPv6 servers, the host\'s search and options, ndots:0', () => {
    expect(buildResolvConf(HOST, none, true)).toBe('search corp.example\nnameserver 127.0.0.11\nnameserver 2001:db8::1\noptions edns0 ndots:0\n');
  });

  it('embedded DNS: the user\'s search and options replace the host\'s; a user ndots above 0 stands', () => {
    expect(buildResolvConf(HOST, { dns: [], search: ['a.test'], options: ['ndots:3'] }, true)).toBe('search a.test\nnameserver 127.0.0.11\nnameserver 2001:db8::1\noptions ndots:3\n');
    expect(buildResolvConf('nameserver 10.0.0.2\n', { dns: [], search: [], options: ['timeout:2'] }, true)).toBe('nameserver 127.0.0.11\noptions timeout:2 ndots:0\n');
  });

  it('without it: the host\'s file minus loopback and IPv6 resolvers, or Google\'s when none is left', () => {
    expect(buildResolvConf(HOST, none, false)).toBe('nameserver 10.0.0.2\nsearch corp.example\noptions edns0\n');
    expect(buildResolvConf('nameserver 127.0.0.53\n', none, false)).toBe('nameserver 8.8.8.8\nnameserver 8.8.4.4\n');
  });

  it('without it, with user settings: search, nameservers, options, each from the user or the host', () => {
    expect(buildResolvConf(HOST, { dns: [], search: ['a.test'], options: [] }, false)).toBe('search a.test\nnameserver 10.0.0.2\noptions edns0\n');
    expect(buildResolvConf(HOST, { dns: ['9.9.9.9'], search: [], options: ['ndots:2'] }, false)).toBe('search corp.example\nnameserver 9.9.9.9\noptions ndots:2\n');
  });
});
