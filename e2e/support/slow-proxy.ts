// A TCP proxy on 127.0.0.1 that delays and paces what the upstream sends back, so a pull from the
// local registry (which finishes in milliseconds) lasts long enough for a person — and a test —
// to watch its per-layer progress. Loopback registries are plain HTTP for berthd and dockerd alike,
// so the engine needs no extra flag to pull through it.
import { createConnection, createServer, type AddressInfo, type Socket } from 'node:net';

export interface SlowProxy {
  /** "127.0.0.1:PORT": use as the registry host of an image reference. */
  host: string;
  /** Client connections open now: 0 once the engine has hung up on every transfer through it. */
  openConnections(): number;
  /** Holds back everything the upstream sends until release(): a transfer through the proxy
   * waits on its registry for as long as the test wants, without depending on a pace. */
  hold(): void;
  release(): void;
  stop(): Promise<void>;
}

export interface SlowProxyOptions {
  /** Added before every chunk the upstream sends reaches the client. */
  latencyMs: number;
  /** Upstream → client pace. */
  bytesPerSecond: number;
}

/** Whether upstream data may reach clients now; what comes due while held waits, in order. */
class Gate {
  held = false;
  private pending: Array<() => void> = [];
  pass(action: () => void): void {
    if (this.held) this.pending.push(action);
    else action();
  }
  release(): void {
    this.held = false;
    for (const action of this.pending.splice(0)) action();
  }
}

/** Queues upstream chunks and releases them at the configured latency and pace. */
function pacedWriter(client: Socket, opts: SlowProxyOptions, gate: Gate): { write(chunk: Buffer): void; end(): void } {
  const slice = Math.max(1024, Math.floor(opts.bytesPerSecond / 20)); // 20 slices a second
  let releaseAt = 0;
  const write = (chunk: Buffer) => {
    const arrival = Date.now() + opts.latencyMs;
    for (let offset = 0; offset < chunk.length; offset += slice) {
      const part = chunk.subarray(offset, offset + slice);
      releaseAt = Math.max(releaseAt, arrival) + (part.length / opts.bytesPerSecond) * 1000;
      setTimeout(() => gate.pass(() => {
        if (!client.destroyed) client.write(part);
      }), releaseAt - Date.now());
    }
  };
  // Ends the client once everything queued has gone out.
  const end = () => setTimeout(() => gate.pass(() => client.end()), Math.max(0, releaseAt - Date.now()) + 10);
  return { write, end };
}

export async function startSlowProxy(upstream: string, opts: SlowProxyOptions): Promise<SlowProxy> {
  const [upHost, upPort] = [upstream.slice(0, upstream.lastIndexOf(':')), Number(upstream.slice(upstream.lastIndexOf(':') + 1))];
  const sockets = new Set<Socket>();
  const clients = new Set<Socket>();
  const gate = new Gate();
  const server = createServer((client) => {
    clients.add(client);
    client.on('close', () => clients.delete(client));
    const up = createConnection({ host: upHost, port: upPort });
    sockets.add(client).add(up);
    const paced = pacedWriter(client, opts, gate);
    client.on('data', (d: Buffer) => up.write(d));
    up.on('data', paced.write);
    up.on('end', paced.end);
    for (const s of [client, up]) {
      s.on('error', () => {
        client.destroy();
        up.destroy();
      });
      s.on('close', () => sockets.delete(s));
    }
    client.on('close', () => up.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    host: `127.0.0.1:${port}`,
    openConnections: () => clients.size,
    hold: () => { gate.held = true; },
    release: () => gate.release(),
    stop: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
