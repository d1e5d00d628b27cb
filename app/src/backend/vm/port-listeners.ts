// The host side of one published port: a TCP server or a UDP socket on the host address, every
// connection (TCP) or peer (UDP) carried to the guest over a fresh connection to the agent, so a
// host that slept or an agent that restarted leaves nothing stale to re-establish.
// TCP: `tcp <guestHost> <port>` pipes, half-closes carried (socket-forwarder.ts's forward).
// UDP: one `udp <guestHost> <port>` pipe per host-side peer, datagrams framed on the stream
// (vm-assets/agent/udp-frames.ts), closed after UDP_IDLE_MS without a datagram either way.
import { createSocket, type RemoteInfo, type Socket as UdpSocket } from 'node:dgram';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { encodeFrame, FrameDecoder } from '../../../../vm-assets/agent/udp-frames.ts';
import type { ListenSpec } from './port-specs.ts';
import { forward, type ForwarderTarget } from './socket-forwarder.ts';

export interface PortListener {
  close(): Promise<void>;
}

/** A UDP "connection" is only a peer we heard from: after this long silent, its pipe goes. */
export const UDP_IDLE_MS = 60_000;

const requestLine = (target: ForwarderTarget, kind: 'tcp' | 'udp', spec: ListenSpec) => `BERTH/1 ${target.secret} ${kind} ${spec.guestHost} ${spec.port}\n`;

/** The host has no IPv6 at all: dual-stack `::` is not available, IPv4 alone has to do. */
const noIpv6 = (error: NodeJS.ErrnoException) => error.code === 'EAFNOSUPPORT' || error.code === 'EADDRNOTAVAIL';

function listenTcp(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    // ipv6Only false: `::` takes IPv4 too (one socket for "all interfaces", as on Docker Desktop).
    server.listen({ host, port, ipv6Only: false, exclusive: true }, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

async function openTcp(spec: ListenSpec, target: ForwarderTarget): Promise<PortListener> {
  const clients = new Set<Socket>();
  const server = createServer({ allowHalfOpen: true, pauseOnConnect: true, noDelay: true }, (client) => {
    clients.add(client);
    client.once('close', () => clients.delete(client));
    forward(client, target, 30_000, requestLine(target, 'tcp', spec));
  });
  if (spec.address !== 'any') await listenTcp(server, spec.address, spec.port);
  else {
    await listenTcp(server, '::', spec.port).catch(async (error: NodeJS.ErrnoException) => {
      if (!noIpv6(error)) throw error;
      await listenTcp(server, '0.0.0.0', spec.port);
    });
  }
  server.on('error', () => undefined);
  return {
    close: () => new Promise((resolve) => {
      // The container is gone: its open connections have nothing behind them any more.
      for (const client of clients) client.destroy();
      server.close(() => resolve());
    }),
  };
}

function bindUdp(type: 'udp4' | 'udp6', address: string, port: number): Promise<UdpSocket> {
  return new Promise((resolve, reject) => {
    const socket = createSocket({ type, ipv6Only: false });
    socket.once('error', (error) => {
      socket.close();
      reject(error);
    });
    socket.bind({ address, port, exclusive: true }, () => {
      socket.removeAllListeners('error');
      resolve(socket);
    });
  });
}

/** One peer's pipe: datagrams go up as frames right behind the preamble (the agent keeps bytes
 * that follow it); answers come back after the agent's `OK` line. */
interface UdpPipe {
  send(datagram: Buffer): void;
  close(): void;
}

function udpPipe(spec: ListenSpec, target: ForwarderTarget, reply: (datagram: Buffer) => void, gone: () => void): UdpPipe {
  const upstream = connect({ host: '127.0.0.1', port: target.port, noDelay: true });
  const decoder = new FrameDecoder();
  let answered = false;
  let head = Buffer.alloc(0);
  let ended = false;
  const end = () => {
    if (ended) return;
    ended = true;
    upstream.destroy();
    gone();
  };
  upstream.on('error', end).on('close', end).on('end', end);
  upstream.setTimeout(UDP_IDLE_MS, end);
  upstream.on('data', (chunk: Buffer) => {
    if (!answered) {
      head = Buffer.concat([head, chunk]);
      const newline = head.indexOf(0x0a);
      if (newline < 0) return void (head.length > 256 && end());
      if (head.subarray(0, newline).toString('latin1') !== 'OK') return end();
      answered = true;
      chunk = head.subarray(newline + 1);
    }
    for (const datagram of decoder.push(chunk)) reply(datagram);
  });
  upstream.write(requestLine(target, 'udp', spec));
  return {
    send: (datagram) => {
      if (!upstream.destroyed) upstream.write(encodeFrame(datagram));
    },
    close: end,
  };
}

async function openUdp(spec: ListenSpec, target: ForwarderTarget): Promise<PortListener> {
  const socket = spec.address === 'any'
    ? await bindUdp('udp6', '::', spec.port).catch((error: NodeJS.ErrnoException) => {
      if (!noIpv6(error)) throw error;
      return bindUdp('udp4', '0.0.0.0', spec.port);
    })
    : await bindUdp(spec.address.includes(':') ? 'udp6' : 'udp4', spec.address, spec.port);
  const peers = new Map<string, UdpPipe>();
  let closed = false;
  socket.on('error', () => undefined);
  socket.on('message', (datagram: Buffer, peer: RemoteInfo) => {
    const key = `${peer.address} ${peer.port}`;
    let pipe = peers.get(key);
    if (!pipe) {
      const created: UdpPipe = udpPipe(spec, target, (answer) => {
        if (!closed) socket.send(answer, peer.port, peer.address);
      }, () => {
        if (peers.get(key) === created) peers.delete(key);
      });
      pipe = created;
      peers.set(key, pipe);
    }
    pipe.send(datagram);
  });
  return {
    close: () => new Promise((resolve) => {
      closed = true;
      for (const pipe of [...peers.values()]) pipe.close();
      socket.close(() => resolve());
    }),
  };
}

/** Opens the host side of one spec; rejects with the bind error (EADDRINUSE: taken). */
export function openListener(spec: ListenSpec, target: ForwarderTarget): Promise<PortListener> {
  return spec.protocol === 'tcp' ? openTcp(spec, target) : openUdp(spec, target);
}
