import { describe, expect, it } from 'vitest';
import type { PortBinder, PortReservation } from './network-types.ts';
import { bindPorts, exposedPort, portMapOf, requestedPorts } from './ports.ts';

/** A binder over a set of taken ports; port 0 gets 40000, 40001… */
function fakeBinder(taken: Set<number>, released: number[]): PortBinder {
  let next = 40000;
  return async (_ip, port) => {
    if (taken.has(port)) throw Object.assign(new Error('busy'), { code: 'EADDRINUSE' });
    const hostPort = port || next++;
    taken.add(hostPort);
    const reservation: PortReservation = { hostPort, release: async () => { taken.delete(hostPort); released.push(hostPort); } };
    return reservation;
  };
}

describe('port requests', () => {
  it('expands PortBindings and, with -P, every other exposed port on a random port', () => {
    const requests = requestedPorts({ PortBindings: { '80/tcp': [{ HostIp: '127.0.0.1', HostPort: '8080' }], '53/udp': [{ HostIp: '', HostPort: '' }] }, PublishAllPorts: true },
      { '80/tcp': {}, '443/tcp': {} });
    expect(requests.map((r) => [r.key, r.hostIp, r.hostPortLow])).toEqual([['80/tcp', '127.0.0.1', 8080], ['53/udp', '', 0], ['443/tcp', '', 0]]);
    expect(() => requestedPorts({ PortBindings: { '80/xyz': [] } }, {})).toThrow(/invalid proto/);
    expect(() => requestedPorts({ PortBindings: { '80/tcp': [{ HostPort: '99999' }] } }, {})).toThrow(/invalid port specification/);
  });

  it('reports HostPort as strings, 0.0.0.0 for all addresses, and null for exposed-only ports', () => {
    expect(portMapOf([{ key: '80/tcp', containerPort: 80, protocol: 'tcp', hostIp: '', hostPort: 32768 }], { '80/tcp': {}, '9000/tcp': {} }))
      .toEqual({ '80/tcp': [{ HostIp: '0.0.0.0', HostPort: '32768' }], '9000/tcp': null });
  });
});

describe('exposed ports from an image, read as dockerd 20.10 reads them', () => {
  it('"80" is 80/tcp; a non-number or out-of-range port is 0; protocols are lower-cased', () => {
    expect(exposedPort('80').key).toBe('80/tcp');
    expect(exposedPort('80/').key).toBe('80/tcp');
    expect(exposedPort('x/tcp').key).toBe('0/tcp');
    expect(exposedPort('99999/tcp').key).toBe('0/tcp');
    expect(exposedPort('53/UDP').key).toBe('53/udp');
    expect(exposedPort('7/foo')).toEqual({ key: '7/0', port: 7, protocol: undefined });
  });

  it('odd keys never fail NetworkSettings.Ports, and -P skips what has no port to forward to', () => {
    const exposed = { '80': {}, 'x/tcp': {}, '99999/tcp': {}, '5353/udp': {} };
    expect(portMapOf([], exposed)).toEqual({ '80/tcp': null, '0/tcp': null, '5353/udp': null });
    const requests = requestedPorts({ PortBindings: {}, PublishAllPorts: true }, exposed);
    expect(requests.map((r) => r.key).sort()).toEqual(['5353/udp', '80/tcp']);
    expect(requestedPorts({ PortBindings: { '80/tcp': [{ HostIp: '', HostPort: '8080' }] }, PublishAllPorts: true }, { '80': {} })).toHaveLength(1);
  });
});

describe('binding', () => {
  it('binds random ports and takes the first free port of a host range', async () => {
    const taken = new Set([8000]);
    const { bound } = await bindPorts(requestedPorts({ PortBindings: { '80/tcp': [{ HostPort: '8000-8002' }], '81/tcp': [{ HostPort: '0' }] } }, {}), fakeBinder(taken, []));
    expect(bound.map((b) => b.hostPort)).toEqual([8001, 40000]);
  });

  it('fails with dockerd\'s message and releases what it had bound (all or nothing)', async () => {
    const released: number[] = [];
    const binder = fakeBinder(new Set([8080]), released);
    const requests = requestedPorts({ PortBindings: { '81/tcp': [{ HostPort: '9090' }], '80/tcp': [{ HostIp: '0.0.0.0', HostPort: '8080' }] } }, {});
    await expect(bindPorts(requests, binder)).rejects.toThrow('Bind for 0.0.0.0:8080 failed: port is already allocated');
    expect(released).toEqual([9090]);
  });
});
