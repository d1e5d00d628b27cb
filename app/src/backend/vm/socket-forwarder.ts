// The host's Docker socket: a unix socket (mode 0600) whose every connection is piped to berthd in
// the VM over a fresh TCP connection to the agent (fresh per connection, so nothing breaks when
// the host sleeps or the agent restarts). Half-closes pass through, so hijacked attach/exec
// (`docker run -i`, which closes its write side at EOF of stdin) work.
import { chmodSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { dialAgentPipe } from './agent-dial.ts';
import { isPipe } from './host-endpoints.ts';

export interface ForwarderTarget {
  port: number;
  secret: string;
}

function pipeBoth(client: Socket, upstream: Socket): void {
  client.pipe(upstream);
  upstream.pipe(client);
  const destroyBoth = () => {
    client.destroy();
    upstream.destroy();
  };
  client.on('error', destroyBoth);
  upstream.on('error', destroyBoth);
  // pipe() ends the other side on 'end' (a half-close); a full close of either tears both down.
  client.on('close', () => upstream.destroy());
  upstream.on('close', () => client.destroy());
  upstream.resume();
  client.resume();
}

/** Listens on socketPath, a unix socket or a Windows named pipe (removing a stale socket file
 * first is the caller's call). */
export async function startSocketForwarder(socketPath: string, target: ForwarderTarget): Promise<Server> {
  const server = createServer({ allowHalfOpen: true, pauseOnConnect: true }, (client) => {
    client.on('error', () => client.destroy());
    dialAgentPipe(target.port, target.secret).then(
      (upstream) => {
        if (client.destroyed) upstream.destroy();
        else pipeBoth(client, upstream);
      },
      () => client.destroy(),
    );
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
