// The dashboard's transport: the RPC protocol over one WebSocket to the page's own origin. The
// page was loaded with the per-launch secret, which the server set as a cookie, so the socket
// needs nothing more.
import type { ClientMessage, MessageChannelLike, ServerMessage } from '../../common/rpc-protocol.ts';

export function connectWebSocketChannel(url: string): Promise<MessageChannelLike<ClientMessage, ServerMessage>> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url);
    const messageListeners: ((message: ServerMessage) => void)[] = [];
    const closeListeners: ((reason: string) => void)[] = [];
    let opened = false;
    socket.addEventListener('open', () => {
      opened = true;
      resolve({
        send: (message) => socket.send(JSON.stringify(message)),
        onMessage: (listener) => { messageListeners.push(listener); },
        onClose: (listener) => { closeListeners.push(listener); },
      });
    });
    socket.addEventListener('message', (event) => {
      const message = JSON.parse(String(event.data)) as ServerMessage;
      for (const listener of messageListeners) listener(message);
    });
    socket.addEventListener('close', (event) => {
      if (!opened) reject(new Error(`cannot reach the Berth dashboard (${event.code}${event.reason ? `: ${event.reason}` : ''})`));
      for (const listener of closeListeners) listener(event.reason || `socket closed (${event.code})`);
    });
  });
}
