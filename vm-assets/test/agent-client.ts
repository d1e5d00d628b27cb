// Host side of the agent's protocol for tests: one dial per connection, preamble, then raw bytes.
// (The real host-side forwarder is app/src/backend/vm, issue 12; this is the least that lets the
// docker CLI reach a booted guest.)
import { connect, createServer, type Server, type Socket } from 'node:net';
import { formatPreamble, type Request } from '../agent/preamble.ts';

/** Connects, sends the preamble, and resolves with the socket once the agent said OK (any bytes
 * after OK stay in the socket). Rejects with the agent's ERR line, or when it closes silently. */
export function dialAgent(port: number, secret: string, request: Request): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, allowHalfOpen: true });
    let buffered = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      const newline = buffered.indexOf(0x0a);
      if (newline < 0) return;
      socket.off('data', onData);
      socket.off('end', silent);
      socket.off('close', silent);
      socket.pause();
      const line = buffered.subarray(0, newline).toString();
      const rest = buffered.subarray(newline + 1);
      if (rest.length) socket.unshift(rest);
      if (line === 'OK') resolve(socket);
      else {
        socket.destroy();
        reject(new Error(`agent: ${line}`));
      }
    };
    socket.on('data', onData);
    socket.once('error', reject);
    // allowHalfOpen: the agent's silent close arrives as 'end' only; nothing more will come.
    const silent = () => {
      socket.destroy();
      reject(new Error('agent closed the connection without an answer'));
    };
    socket.once('end', silent);
    socket.once('close', silent);
    socket.write(formatPreamble(secret, request));
  });
}

/** One request whose whole answer is a line or two (status, set-clock); resolves with the text.
 * idleMs gives up on a connection that stays silent: QEMU's user-mode stack accepts on the host
 * at once and then keeps retrying the guest while its network is not up yet. */
export function askAgent(port: number, secret: string, request: Request, idleMs?: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    if (idleMs) socket.setTimeout(idleMs, () => socket.destroy(new Error(`agent silent for ${idleMs} ms`)));
    const chunks: Buffer[] = [];
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('end', () => resolve(Buffer.concat(chunks).toString()));
    socket.on('error', reject);
    socket.write(formatPreamble(secret, request));
  });
}

/** A unix socket on the host whose connections are piped to the guest's engine through the agent. */
export function forwardEngineSocket(socketPath: string, port: number, secret: string): Promise<Server> {
  const server = createServer({ allowHalfOpen: true }, (client) => {
    client.pause();
    dialAgent(port, secret, { kind: 'engine' }).then(
      (upstream) => {
        client.pipe(upstream);
        upstream.pipe(client);
        upstream.resume();
        client.resume();
        const both = () => {
          client.destroy();
          upstream.destroy();
        };
        client.on('error', both);
        upstream.on('error', both);
        client.on('close', () => upstream.destroy());
        upstream.on('close', () => client.end());
      },
      () => client.destroy(),
    );
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(socketPath, () => resolve(server));
  });
}
