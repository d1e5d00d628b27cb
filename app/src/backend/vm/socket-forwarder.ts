// The host's Docker socket: a unix socket (mode 0600) whose every connection is piped to berthd in
// the VM over a fresh TCP connection to the agent (fresh per connection, so nothing breaks when
// the host sleeps or the agent restarts). Half-closes pass through, so hijacked attach/exec
// (`docker run -i`, which closes its write side at EOF of stdin) work.
import { chmodSync, rmSync } from 'node:fs';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { preamble } from './agent-dial.ts';
import { isPipe } from './host-endpoints.ts';

export interface ForwarderTarget {
  port: number;
  secret: string;
}

/** The agent's answer to the preamble is one short line; anything longer is not our agent. */
const MAX_ANSWER = 256;

/**
 * Pipes one client connection to berthd through the agent. The request follows the preamble at
 * once instead of after the agent's OK: the agent keeps bytes that arrive behind the preamble, so
 * a docker command does not pay an extra round trip (through QEMU's user-mode network, the
 * costly part) before its first byte reaches the engine. The OK line is taken off the answer;
 * anything else, or a close before it, drops the client as a refused dial would. `head` is the
 * preamble: `engine` for the Docker socket, `tcp <host> <port>` for a published port.
 */
export function forward(client: Socket, target: ForwarderTarget, idleMs: number, head = preamble(target.secret, 'engine')): void {
  const upstream = connect({ host: '127.0.0.1', port: target.port, allowHalfOpen: true, noDelay: true });
  const destroyBoth = () => {
    client.destroy();
    upstream.destroy();
  };
  client.on('error', destroyBoth);
  upstream.on('error', destroyBoth);
  client.on('close', () => upstream.destroy());
  upstream.on('close', () => client.destroy());
  const closedBeforeAnswer = () => destroyBoth();
  upstream.once('end', closedBeforeAnswer);
  upstream.setTimeout(idleMs, destroyBoth);
  let answer = Buffer.alloc(0);
  const onHead = (chunk: Buffer) => {
    answer = Buffer.concat([answer, chunk]);
    const newline = answer.indexOf(0x0a);
    if (newline < 0) {
      if (answer.length > MAX_ANSWER) destroyBoth();
      return;
    }
    upstream.off('data', onHead).off('end', closedBeforeAnswer);
    upstream.setTimeout(0);
    if (answer.subarray(0, newline).toString('latin1') !== 'OK') {
      destroyBoth();
      return;
    }
    const rest = answer.subarray(newline + 1);
    if (rest.length > 0) client.write(rest);
    // pipe() ends the other side on 'end' (a half-close); a full close of either tears both down.
    upstream.pipe(client);
  };
  upstream.on('data', onHead);
  upstream.write(head);
  client.pipe(upstream);
  client.resume();
}

/** Decides about a paused client before it is forwarded: true to forward (the resource saver
 * boots the VM first), false when it was answered already. A rejection drops the client. */
export type Admission = (client: Socket) => Promise<boolean>;

/** Listens on socketPath, a unix socket or a Windows named pipe (removing a stale socket file
 * first is the caller's call). `target` is read per connection (a woken VM has a new port and
 * secret). */
export async function startSocketForwarder(socketPath: string, target: ForwarderTarget, idleMs = 30_000, admit?: Admission): Promise<Server> {
  const server = createServer({ allowHalfOpen: true, pauseOnConnect: true }, (client) => {
    if (!admit) return forward(client, target, idleMs);
    client.on('error', () => client.destroy());
    admit(client).then((go) => go && !client.destroyed && forward(client, target, idleMs), () => client.destroy());
  });
  // umask first, so the socket is never reachable by others, not even between listen and chmod.
  const umask = process.umask(0o177);
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(socketPath, () => resolve());
    });
  } finally {
    process.umask(umask);
  }
  // A named pipe has no mode bits (its ACL defaults to the creating user and admins).
  if (!isPipe(socketPath)) chmodSync(socketPath, 0o600);
  return server;
}

export function stopSocketForwarder(server: Server, socketPath: string): Promise<void> {
  // The file goes first: no new client finds a socket that is about to stop answering.
  if (!isPipe(socketPath)) rmSync(socketPath, { force: true });
  return new Promise((resolve) => server.close(() => resolve()));
}

/** Whether something already answers on a socket path or named pipe (a dial that connects). */
export function endpointAnswers(endpoint: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(endpoint);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
