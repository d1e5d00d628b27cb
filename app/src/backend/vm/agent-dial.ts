// The host side of the guest agent's protocol (vm-assets/agent/preamble.ts): each TCP connection
// starts with `BERTH/1 <secret> <request>\n`; pipes answer `OK\n` and then carry raw bytes, other
// requests answer and close; a wrong secret is closed without a byte.
import { connect, type Socket } from 'node:net';

export type AgentRequest = 'engine' | 'status' | 'poweroff' | `set-clock ${number}`;

export function preamble(secret: string, request: AgentRequest): string {
  return `BERTH/1 ${secret} ${request}\n`;
}

/** Dials the agent and resolves with the socket once it said OK (bytes after OK stay readable).
 * Rejects on ERR, on a silent close, or when nothing answers within idleMs (QEMU's user-mode
 * stack accepts on the host at once even while the guest is not listening yet). */
export function dialAgentPipe(port: number, secret: string, idleMs = 30_000): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, allowHalfOpen: true });
    let buffered = Buffer.alloc(0);
    const fail = (error: Error) => {
      socket.destroy();
      reject(error);
    };
    const silent = () => fail(new Error('the VM agent closed the connection without an answer'));
    const onData = (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      const newline = buffered.indexOf(0x0a);
      if (newline < 0) return;
      socket.off('data', onData).off('end', silent).off('error', fail);
      socket.setTimeout(0);
      socket.pause();
      const line = buffered.subarray(0, newline).toString();
      const rest = buffered.subarray(newline + 1);
      if (rest.length) socket.unshift(rest);
      if (line === 'OK') resolve(socket);
      else fail(new Error(`the VM agent refused: ${line}`));
    };
    socket.on('data', onData).once('end', silent).once('error', fail);
    socket.setTimeout(idleMs, () => fail(new Error(`the VM agent did not answer within ${idleMs} ms`)));
    socket.write(preamble(secret, 'engine'));
  });
}

/** A request whose whole answer fits before the agent closes (status, set-clock, poweroff). */
export function askAgent(port: number, secret: string, request: Exclude<AgentRequest, 'engine'>, idleMs = 5_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.setTimeout(idleMs, () => socket.destroy(new Error(`the VM agent was silent for ${idleMs} ms`)));
    const chunks: Buffer[] = [];
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('end', () => resolve(Buffer.concat(chunks).toString()));
    socket.on('error', reject);
    socket.write(preamble(secret, request));
  });
}
