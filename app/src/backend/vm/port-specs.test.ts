import { describe, expect, it } from 'vitest';
import { diffListeners, listenSpecs, problemMessage, type ListedContainer } from './port-specs.ts';

const web: ListedContainer = {
  Id: 'a'.repeat(64), Names: ['/web'],
  Ports: [
    { IP: '127.0.0.1', PrivatePort: 80, PublicPort: 8080, Type: 'tcp' },
    // Exposed, not published: nothing to listen on.
    { PrivatePort: 443, Type: 'tcp' },
  ],
};

describe('listenSpecs: the container list as host listeners', () => {
  it('a port published on 127.0.0.1 listens on 127.0.0.1 only and dials the published port in the guest', () => {
    expect([...listenSpecs([web]).values()]).toEqual([
      { key: 'tcp 127.0.0.1:8080', protocol: 'tcp', address: '127.0.0.1', port: 8080, guestHost: '127.0.0.1', containers: ['web'] },
    ]);
  });

  it('0.0.0.0, :: and an empty IP are all interfaces, and a dual-stack pair is one listener', () => {
    const dns: ListedContainer = {
      Id: 'b'.repeat(64), Names: ['/dns'],
      Ports: [
        { IP: '0.0.0.0', PrivatePort: 53, PublicPort: 5353, Type: 'udp' },
        { IP: '::', PrivatePort: 53, PublicPort: 5353, Type: 'udp' },
        { IP: '', PrivatePort: 53, PublicPort: 5353, Type: 'tcp' },
      ],
    };
    const specs = listenSpecs([dns]);
    expect([...specs.keys()]).toEqual(['udp *:5353', 'tcp *:5353']);
    expect(specs.get('udp *:5353')).toMatchObject({ address: 'any', guestHost: '127.0.0.1', port: 5353, protocol: 'udp' });
  });

  it('-P and ranges: every published port of every container is its own listener; sctp and null Ports are skipped', () => {
    const ranged: ListedContainer = {
      Id: 'c'.repeat(64),
      Ports: [8000, 8001, 8002].map((p, i) => ({ IP: '0.0.0.0', PrivatePort: 9000 + i, PublicPort: p, Type: 'tcp' }))
        .concat([{ IP: '0.0.0.0', PrivatePort: 7, PublicPort: 32768, Type: 'sctp' }]),
    };
    const specs = listenSpecs([web, ranged, { Id: 'd'.repeat(64), Ports: null }]);
    expect([...specs.keys()]).toEqual(['tcp 127.0.0.1:8080', 'tcp *:8000', 'tcp *:8001', 'tcp *:8002']);
    // No name listed: the short id names it.
    expect(specs.get('tcp *:8000')?.containers).toEqual(['cccccccccccc']);
  });

  it('a specific address keeps that address on both sides; IPv6 keys are bracketed', () => {
    const specs = listenSpecs([{ Id: 'e'.repeat(64), Names: ['/v6'], Ports: [{ IP: '::1', PrivatePort: 80, PublicPort: 81, Type: 'tcp' }] }]);
    expect([...specs.values()]).toEqual([{ key: 'tcp [::1]:81', protocol: 'tcp', address: '::1', port: 81, guestHost: '::1', containers: ['v6'] }]);
  });
});

describe('diffListeners: wanted against open', () => {
  it('opens the new, closes the gone, and leaves one that stays alone (its connections live on)', () => {
    const wanted = listenSpecs([web, { Id: 'f'.repeat(64), Names: ['/new'], Ports: [{ IP: '0.0.0.0', PrivatePort: 1, PublicPort: 9000, Type: 'udp' }] }]);
    const diff = diffListeners(wanted, ['tcp 127.0.0.1:8080', 'tcp *:7000']);
    expect(diff.open.map((s) => s.key)).toEqual(['udp *:9000']);
    expect(diff.close).toEqual(['tcp *:7000']);
  });

  it('a listener that failed to open (not in the open set) is tried again; nothing wanted closes all', () => {
    expect(diffListeners(listenSpecs([web]), []).open.map((s) => s.key)).toEqual(['tcp 127.0.0.1:8080']);
    expect(diffListeners(new Map(), ['tcp 127.0.0.1:8080', 'udp *:53'])).toEqual({ open: [], close: ['tcp 127.0.0.1:8080', 'udp *:53'] });
  });
});

describe('problemMessage', () => {
  it('names the port, the container and why, for a port already taken', () => {
    const spec = listenSpecs([web]).get('tcp 127.0.0.1:8080')!;
    const error = Object.assign(new Error('listen EADDRINUSE'), { code: 'EADDRINUSE' });
    expect(problemMessage(spec, error)).toBe('host port 127.0.0.1:8080/tcp (container web) is already in use by another program on this computer; the container runs, but is not reachable there');
  });
});
