// The transports the API is served on: any number of Unix sockets and tcp:// addresses, TLS or
// not, all feeding one node:http server (dockerd serves one router on every -H listener).
// The http server itself never binds: each listener hands it its connections, so hijacked
// streams (attach, exec) work the same on every transport.
import { createServer as createNetServer, type Server as NetServer, type Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import type { Server as HttpServer } from 'node:http';

/** PEM contents (not paths) of the server's TLS identity and the CA it checks clients against. */
export interface ServerTlsMaterial {
  ca?: Buffer;
  cert: Buffer;
  key: Buffer;
  /** Mutual TLS: the handshake fails for a client without a certificate signed by `ca`. */
  verify: boolean;
}

/** What node:http's own listener would set: half-open sockets, so a client that closes its
 * write side after sending (the CLI's attach does CloseWrite when stdin ends; over TLS that is a
 * close_notify) still gets the rest of the output; and no Nagle delay on interactive streams. */
const SOCKET_OPTIONS = { allowHalfOpen: true, noDelay: true } as const;

export type ListenAddress = { kind: 'unix'; path: string } | { kind: 'tcp'; host: string; port: number };

function listen(listener: NetServer, address: ListenAddress): Promise<void> {
  return new Promise((resolve, reject) => {
    listener.once('error', reject);
    const done = () => {
      listener.off('error', reject);
      resolve();
    };
    if (address.kind === 'unix') listener.listen(address.path, done);
    else listener.listen(address.port, address.host, done);
  });
}

/** Fails with a clear message when the files do not make a TLS identity (a key that is not the
 * certificate's, a file that is not PEM), before the engine starts its work. */
export function checkServerTls(tls: ServerTlsMaterial): void {
  try {
    process.getBuiltinModule('node:tls').createSecureContext({ cert: tls.cert, key: tls.key, ...(tls.ca ? { ca: tls.ca } : {}) });
  } catch (error) {
    throw new Error(`cannot use the TLS files (--tlscert, --tlskey, --tlscacert): ${(error as Error).message}`);
  }
}

/** A TLS server for the API; a bad certificate, key or CA fails here with a message naming it. */
function tlsListener(server: HttpServer, tls: ServerTlsMaterial, log: (message: string) => void): NetServer {
  let listener;
  try {
    // node:tls (~5 MiB RSS) is loaded only when a TLS listener is configured.
    listener = process.getBuiltinModule('node:tls').createServer({
      cert: tls.cert,
      key: tls.key,
      ...(tls.ca ? { ca: tls.ca } : {}),
      // Go's tls.RequireAndVerifyClientCert, what dockerd sets for --tlsverify; --tls alone asks
      // for no client certificate.
      requestCert: tls.verify,
      rejectUnauthorized: tls.verify,
      // dockerd's minimum (tlsconfig.ServerDefault): TLS 1.2.
      minVersion: 'TLSv1.2',
      ...SOCKET_OPTIONS,
    }, (socket: TLSSocket) => server.emit('connection', socket));
  } catch (error) {
    throw new Error(`cannot use the TLS files (--tlscert, --tlskey, --tlscacert): ${(error as Error).message}`);
  }
  // A refused handshake is the client's problem, logged like Go's http server logs it.
  listener.on('tlsClientError', (error: Error, socket: TLSSocket) => {
    log(`TLS handshake error from ${socket.remoteAddress ?? '?'}:${socket.remotePort ?? '?'}: ${error.message}`);
  });
  return listener;
}

export async function openListener(server: HttpServer, address: ListenAddress, tls: ServerTlsMaterial | undefined, log: (message: string) => void): Promise<NetServer> {
  const listener = address.kind === 'tcp' && tls
    ? tlsListener(server, tls, log)
    : createNetServer(SOCKET_OPTIONS, (socket: Socket) => server.emit('connection', socket));
  await listen(listener, address);
  // server.close() (the engine stopping) must stop new connections on every transport at once,
  // as it does for a server that bound itself: a client reconnecting during the shutdown would
  // otherwise be served by an engine that is about to exit.
  server.once('close', () => listener.close());
  return listener;
}

/** node:http starts its connection tracking (closeAllConnections, headersTimeout) on its own
 * 'listening' event; a server fed by other listeners has to be told. */
export function markListening(server: HttpServer): void {
  server.emit('listening');
}
