// Holds published host ports open while a container runs, as docker-proxy does for dockerd (and
// podman through conmon): netavark only writes DNAT rules, so without a socket another program
// (or another container) could bind the same port and the clash would go unnoticed. Traffic never
// reaches these sockets: netavark's PREROUTING/OUTPUT DNAT rewrites it to the container first.
import { createSocket } from 'node:dgram';
import { createServer } from 'node:net';
import type { PortBinder, PortProtocol, PortReservation } from '../../../core/network/network-types.ts';

function bindTcp(hostIp: string, port: number): Promise<PortReservation> {
  return new Promise((resolve, reject) => {
    const server = createServer((socket) => socket.destroy());
    server.once('error', reject);
    // exclusive: a cluster worker must not share it; ipv6Only off is moot for an IPv4 address.
    server.listen({ host: hostIp || '0.0.0.0', port, exclusive: true, backlog: 1 }, () => {
      server.off('error', reject);
      server.on('error', () => undefined);
      const address = server.address();
      const hostPort = typeof address === 'object' && address ? address.port : port;
      resolve({ hostPort, release: () => new Promise<void>((done) => server.close(() => done())) });
    });
  });
}

function bindUdp(hostIp: string, port: number): Promise<PortReservation> {
  return new Promise((resolve, reject) => {
    const socket = createSocket({ type: 'udp4', reuseAddr: false });
    socket.once('error', reject);
    socket.bind({ address: hostIp || '0.0.0.0', port, exclusive: true }, () => {
      socket.off('error', reject);
      socket.on('error', () => undefined);
      resolve({ hostPort: socket.address().port, release: () => new Promise<void>((done) => socket.close(() => done())) });
    });
  });
}

export const bindHostPort: PortBinder = (hostIp: string, hostPort: number, protocol: PortProtocol) => {
  // SCTP has no socket API in Node: its DNAT rules are written without a holder socket.
  if (protocol === 'sctp') return Promise.resolve({ hostPort, release: async () => undefined });
  return protocol === 'udp' ? bindUdp(hostIp, hostPort) : bindTcp(hostIp, hostPort);
};
