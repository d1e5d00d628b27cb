// One WebSocket = one RpcConnection over the shared backend. The socket carries JSON text frames
// of common/rpc-protocol.ts; everything arriving is untrusted and a bad frame gets an error back,
// never a crash.
import type { WebSocket } from 'ws';
import type { ServerMessage } from '../../common/rpc-protocol.ts';
import type { DesktopBackend } from '../desktop-backend.ts';
import { RpcConnection } from '../rpc-server.ts';

/** Above this many bytes queued for a client, streams are asked to pause (logs, terminals). */
export const HIGH_WATER_MARK = 4 * 1024 * 1024;
/** How often a congested socket is checked for having drained. */
const DRAIN_POLL_MS = 10;
/** A client that does not answer a ping within this is gone (a sleeping laptop, a killed tab). */
const KEEPALIVE_MS = 30_000;

export function serveRpcSocket(ws: WebSocket, backend: DesktopBackend, log: (message: string) => void = () => undefined): void {
  const drainListeners: (() => void)[] = [];
  let drainTimer: NodeJS.Timeout | undefined;

  const checkDrained = () => {
    if (ws.readyState !== ws.OPEN) return stopDrainPolling();
    if (ws.bufferedAmount >= HIGH_WATER_MARK) return;
    stopDrainPolling();
    for (const listener of drainListeners.splice(0)) listener();
  };
  function stopDrainPolling() {
    if (drainTimer) clearInterval(drainTimer);
    drainTimer = undefined;
  }

  const connection = new RpcConnection(backend, {
    send(message: ServerMessage) {
      if (ws.readyState !== ws.OPEN) return true; // gone: nothing to wait for
      let text: string;
      try {
        text = JSON.stringify(message);
      } catch (error) {
        // A value JSON cannot carry (a BigInt, a cycle): the caller gets an error instead.
        log(`RPC reply: ${error instanceof Error ? error.stack : String(error)}`);
        const id = 'id' in message ? message.id : 0;
        text = JSON.stringify({ t: 'error', id, error: { message: 'the reply could not be encoded', status: 500 } } satisfies ServerMessage);
      }
      ws.send(text);
      return ws.bufferedAmount < HIGH_WATER_MARK;
    },
    onDrain(listener) {
      drainListeners.push(listener);
      drainTimer ??= setInterval(checkDrained, DRAIN_POLL_MS);
    },
  });

  ws.on('message', (data, isBinary) => {
    let message: unknown;
    try {
      message = JSON.parse(isBinary ? Buffer.from(data as Buffer).toString('utf8') : String(data));
    } catch {
      if (ws.readyState === ws.OPEN) {
        ws.send(JSON.stringify({ t: 'error', id: 0, error: { message: 'bad message: not JSON', status: 400 } } satisfies ServerMessage));
      }
      return;
    }
    try {
      connection.handle(message);
    } catch (error) {
      // A frame must never take the dashboard down, whatever a stream's input handler throws.
      log(`RPC message: ${error instanceof Error ? error.stack : String(error)}`);
      if (ws.readyState === ws.OPEN) {
        const id = typeof (message as { id?: unknown })?.id === 'number' ? (message as { id: number }).id : 0;
        ws.send(JSON.stringify({ t: 'error', id, error: { message: 'internal error in the dashboard; its log has the details', status: 500 } } satisfies ServerMessage));
      }
    }
  });

  let alive = true;
  ws.on('pong', () => { alive = true; });
  const keepalive = setInterval(() => {
    if (!alive) {
      ws.terminate();
      return;
    }
    alive = false;
    ws.ping();
  }, KEEPALIVE_MS);

  ws.once('close', () => {
    clearInterval(keepalive);
    stopDrainPolling();
    drainListeners.length = 0;
    connection.dispose();
  });
  ws.on('error', () => ws.terminate());
}
